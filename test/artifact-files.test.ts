/**
 * What the engine reads and writes per artifact: a file no larger than its head is read once and
 * searched from memory, a longer one through the stream; only artifacts with findings get a
 * findings part, and a part an earlier run left is gone once its artifact is processed again.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { HEAD_BYTES } from '../src/formats/types.js';
import { runJob } from '../src/job.js';
import type { Report } from '../src/output/report.js';
import { tempDir, zoe } from './helpers.js';

const EMAIL = 'zoe.muller@contoso.com';

/** `size` bytes of log text ending with the subject's e-mail address and a line break. */
function logEndingWithEmail(size: number): Buffer {
  const tail = ` ${EMAIL}\n`;
  const filler = 'x'.repeat(99) + '\n';
  return Buffer.from(filler.repeat(Math.ceil(size / filler.length)).slice(0, size - tail.length) + tail);
}

async function discover(store: string, out: string): Promise<{ report: Report; findings: { artifact: string }[]; audit: { event: string; path?: string; sha256?: string }[] }> {
  await runJob({ command: 'discover', store, out, request: await zoe() });
  const lines = async (file: string) => (await readFile(path.join(out, file), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return { report: JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')), findings: await lines('findings.jsonl'), audit: await lines('audit.jsonl') };
}

describe('reading the files of the store', () => {
  test('around the head size: every file searched to its end and hashed as it is', async () => {
    const root = await tempDir();
    const store = path.join(root, 'store');
    await mkdir(path.join(store, 'ENG-1'), { recursive: true });
    const files: Record<string, Buffer> = {
      'small.log': logEndingWithEmail(1000),
      'head-size.log': logEndingWithEmail(HEAD_BYTES),
      // The address straddles the end of the head.
      'longer.log': logEndingWithEmail(HEAD_BYTES + 10),
      'much-longer.log': logEndingWithEmail(3 * HEAD_BYTES + 1),
    };
    for (const [name, data] of Object.entries(files)) await writeFile(path.join(store, 'ENG-1', name), data);
    const { report, findings, audit } = await discover(store, path.join(root, 'out'));
    const artifacts = report.engagements.flatMap((e) => e.artifacts);
    for (const [name, data] of Object.entries(files)) {
      const sha256 = createHash('sha256').update(data).digest('hex');
      const artifact = `ENG-1/${name}`;
      expect(artifacts.find((a) => a.artifact === artifact), name).toMatchObject({ status: 'scanned', bytes: data.length, sha256, matches: { email: 1 } });
      expect(audit.find((e) => e.event === 'read' && e.path === artifact)?.sha256, name).toBe(sha256);
      expect(findings.filter((f) => f.artifact === artifact), name).toHaveLength(1);
    }
  });
});

describe('findings parts', () => {
  test('written for artifacts with findings only; one left by an earlier run goes when its artifact has none now', async () => {
    const root = await tempDir();
    const store = path.join(root, 'store');
    const out = path.join(root, 'out');
    await mkdir(path.join(store, 'ENG-1'), { recursive: true });
    await writeFile(path.join(store, 'ENG-1/a.log'), `contact ${EMAIL}\n`);
    await writeFile(path.join(store, 'ENG-1/b.log'), 'nothing here\n');
    const first = await discover(store, out);
    expect(first.findings.map((f) => f.artifact)).toEqual(['ENG-1/a.log']);
    const parts = () => readdir(path.join(out, '.dsr/findings'));
    expect(await parts()).toEqual([createHash('sha1').update('ENG-1/a.log').digest('hex') + '.jsonl']);

    // The same --out again after a.log changed: it is searched again and now has no finding.
    await writeFile(path.join(store, 'ENG-1/a.log'), 'contact removed, and the line is longer now\n');
    const second = await discover(store, out);
    expect(second.findings).toEqual([]);
    expect(second.report.totals.artifacts).toBe(2);
    expect(await parts()).toEqual([]);
  });
});
