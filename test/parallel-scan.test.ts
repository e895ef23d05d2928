/**
 * A large text file is split into byte ranges searched by worker threads. Whatever the range
 * size, the findings and the report must be those of one sequential scan: identifiers straddling
 * a range boundary, matches whose anchor lies in the next range, line numbers across ranges and
 * the same-identifier overlap rule all depend on the join being right. Small range sizes (set
 * through DSR_RANGE_BYTES) put boundaries everywhere in the example store.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { dsr, STORE, tempDir, ZOE_REQUEST } from './helpers.js';

async function discover(env: Record<string, string> = {}) {
  const out = path.join(await tempDir(), 'out');
  const run = await dsr(['discover', '--store', STORE, '--request', ZOE_REQUEST, '--out', out], { env });
  expect(run.code, run.stderr).toBe(0);
  const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
  return { findings: await readFile(path.join(out, 'findings.jsonl'), 'utf8'), engagements: report.engagements };
}

// On one core the ranges are not used at all and the comparison would be of a scan with itself.
describe.skipIf(availableParallelism() < 2)('discover in parallel ranges equals one sequential scan', () => {
  let sequential: Awaited<ReturnType<typeof discover>>;
  beforeAll(async () => {
    sequential = await discover();
  });

  test.each([97, 777, 4096, 65536])('ranges of %i bytes', async (bytes) => {
    const parallel = await discover({ DSR_PARALLEL_MIN_BYTES: '1', DSR_RANGE_BYTES: String(bytes) });
    expect(parallel.findings).toBe(sequential.findings);
    expect(parallel.engagements).toEqual(sequential.engagements);
  });
});

async function erase(env: Record<string, string> = {}) {
  const out = path.join(await tempDir(), 'out');
  const run = await dsr(['erase', '--store', STORE, '--request', ZOE_REQUEST, '--out', out], { env });
  expect(run.code, run.stderr).toBe(0);
  const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
  const copies = new Map<string, Buffer>();
  for (const e of report.engagements) {
    for (const a of e.artifacts) if (a.redacted) copies.set(a.redacted.path, await readFile(path.join(out, 'redacted', a.redacted.path)));
  }
  return { findings: await readFile(path.join(out, 'findings.jsonl'), 'utf8'), engagements: report.engagements, copies };
}

// The workers search, this thread writes the copy from their spans: placeholders that cross a
// range boundary, and ranges that end inside a placeholder, must give the sequential copy.
describe.skipIf(availableParallelism() < 2)('erase in parallel ranges writes the sequential copy', () => {
  let sequential: Awaited<ReturnType<typeof erase>>;
  beforeAll(async () => {
    sequential = await erase();
  });

  test.each([97, 4096])('ranges of %i bytes', async (bytes) => {
    const parallel = await erase({ DSR_PARALLEL_MIN_BYTES: '1', DSR_RANGE_BYTES: String(bytes) });
    expect(parallel.findings).toBe(sequential.findings);
    expect(parallel.engagements).toEqual(sequential.engagements);
    expect([...parallel.copies.keys()]).toEqual([...sequential.copies.keys()]);
    for (const [name, bytes] of sequential.copies) expect(parallel.copies.get(name)!.equals(bytes), name).toBe(true);
    // Some copies really were redacted, so the comparison covers placeholders.
    expect([...sequential.copies.values()].some((b) => b.includes('[REDACTED'))).toBe(true);
  });
});

describe.skipIf(availableParallelism() < 2)('erase in parallel ranges: placeholders across read chunks', () => {
  test('a placeholder over a 1 MiB read boundary and over range boundaries', async () => {
    // The engine reads 1 MiB at a time: the e-mail straddles each read boundary, so the writer
    // must skip bytes it has not read yet; the ranges end inside the e-mail too.
    const { writeFile, mkdir } = await import('node:fs/promises');
    const store = path.join(await tempDir(), 'store');
    await mkdir(path.join(store, 'ENG-1'), { recursive: true });
    const email = 'zoe.muller@contoso.com';
    const parts: string[] = [];
    let size = 0;
    for (const boundary of [1 << 20, 2 << 20, 3 << 20]) {
      const filler = '\n' + 'x'.repeat(boundary - 7 - size - 2) + '\n';
      parts.push(filler, email);
      size += filler.length + email.length;
    }
    parts.push('\nend\n');
    await writeFile(path.join(store, 'ENG-1', 'big.log'), parts.join(''));
    const run = async (env: Record<string, string>) => {
      const out = path.join(await tempDir(), 'out');
      const result = await dsr(['erase', '--store', store, '--request', ZOE_REQUEST, '--out', out], { env });
      expect(result.code, result.stderr).toBe(0);
      return readFile(path.join(out, 'redacted', 'ENG-1', 'big.log'));
    };
    const sequential = await run({});
    const parallel = await run({ DSR_PARALLEL_MIN_BYTES: '1', DSR_RANGE_BYTES: String((1 << 20) - 3) });
    expect(sequential.toString().split('[REDACTED:email]')).toHaveLength(4);
    expect(parallel.equals(sequential)).toBe(true);
  });

  test('discover in ranges records the digest of the whole file, read once beside the workers', async () => {
    // Larger than the head the engine keeps in memory, so the digest comes from the read-through
    // (src/job.ts readThrough) that runs beside the range workers: 3 MiB and an odd tail, across
    // its two 1 MiB buffers.
    const { writeFile, mkdir } = await import('node:fs/promises');
    const { createHash } = await import('node:crypto');
    const store = path.join(await tempDir(), 'store');
    await mkdir(path.join(store, 'ENG-1'), { recursive: true });
    const content = Buffer.from(('log line with zoe.muller@contoso.com and more text\n').repeat(61_681) + 'tail');
    await writeFile(path.join(store, 'ENG-1', 'big.log'), content);
    const out = path.join(await tempDir(), 'out');
    const result = await dsr(['discover', '--store', store, '--request', ZOE_REQUEST, '--out', out], { env: { DSR_PARALLEL_MIN_BYTES: '1' } });
    expect(result.code, result.stderr).toBe(0);
    const expected = createHash('sha256').update(content).digest('hex');
    const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
    const artifact = report.engagements[0].artifacts[0];
    expect(artifact.sha256).toBe(expected);
    expect(artifact.matches.email).toBe(61_681);
    const reads = (await readFile(path.join(out, 'audit.jsonl'), 'utf8')).split('\n').filter((l) => l.includes('"event":"read"'));
    expect(reads).toHaveLength(1);
    expect(JSON.parse(reads[0]!)).toMatchObject({ sha256: expected, bytes: content.length });
  });
});
