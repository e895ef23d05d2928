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
