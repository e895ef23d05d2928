/**
 * `dsr discover --detect`: per artifact, per engagement and for the run, how many items of each
 * type of other people's data there are and how many distinct values, never the values; the
 * subject's own matches are findings, not counted here.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';
import { runJob } from '../src/job.js';
import { UsageError } from '../src/errors.js';
import { tempDir, zoe } from './helpers.js';

/** A small store: the same address three times over two files and two engagements, one phone written two ways. */
const STORE: Record<string, string> = {
  'ENG-A/a.log':
    'login user=ava.chen@fabrikam.com ip=203.0.113.24\nlogin user=ava.chen@fabrikam.com ip=203.0.113.24\n' +
    'login user=jan.kowalski@fabrikam.com\nlogin user=zoe.muller@contoso.com\n',
  'ENG-A/b.txt': 'Call Ava at +1 (206) 555-0199 or 206.555.0199, mail ava.chen@fabrikam.com\n',
  'ENG-B/c.txt': 'cc: ava.chen@fabrikam.com\n',
};

async function store(): Promise<string> {
  const dir = await tempDir('dsr-detect-store-');
  for (const [rel, text] of Object.entries(STORE)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return dir;
}

test('counts of items and distinct values per artifact, engagement and run', async () => {
  const dir = await store();
  const out = path.join(await tempDir(), 'out');
  const summary = await runJob({ command: 'discover', detect: true, store: dir, request: await zoe(), out });
  expect(summary.exitCode).toBe(0);
  const raw = await readFile(path.join(out, 'report.json'), 'utf8');
  const report = JSON.parse(raw);
  const records = Object.fromEntries(report.engagements.flatMap((e: { artifacts: { artifact: string }[] }) => e.artifacts).map((a: { artifact: string }) => [a.artifact, a]));
  expect(records['ENG-A/a.log'].detected).toEqual({ EMAIL_ADDRESS: { count: 3, distinct: 2 }, IP_ADDRESS: { count: 2, distinct: 1 } });
  expect(records['ENG-A/a.log'].matches.email).toBe(1);
  // The two writings of one number are one distinct value.
  expect(records['ENG-A/b.txt'].detected).toMatchObject({ EMAIL_ADDRESS: { count: 1, distinct: 1 }, PHONE_NUMBER: { count: 2, distinct: 1 } });
  const byEngagement = Object.fromEntries(report.engagements.map((e: { engagement: string; detected: unknown }) => [e.engagement, e.detected]));
  expect(byEngagement['ENG-A']).toMatchObject({ EMAIL_ADDRESS: { count: 4, distinct: 2 }, IP_ADDRESS: { count: 2, distinct: 1 } });
  expect(byEngagement['ENG-B']).toEqual({ EMAIL_ADDRESS: { count: 1, distinct: 1 } });
  expect(report.detected.EMAIL_ADDRESS).toEqual({ count: 5, distinct: 2 });
  // Neither values nor their hashes are written anywhere.
  for (const file of ['report.json', 'findings.jsonl', 'audit.jsonl']) {
    expect(await readFile(path.join(out, file), 'utf8')).not.toMatch(/ava\.chen|kowalski|203\.0\.113|555.0199|detected:/);
  }
});

test('without --detect there are no counts, and the two kinds of run do not share an --out', async () => {
  const dir = await store();
  const out = path.join(await tempDir(), 'out');
  await runJob({ command: 'discover', store: dir, request: await zoe(), out });
  const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
  expect(report.detected).toBeUndefined();
  expect(report.engagements[0].artifacts.every((a: { detected?: unknown }) => a.detected === undefined)).toBe(true);
  await expect(runJob({ command: 'discover', detect: true, store: dir, request: await zoe(), out })).rejects.toThrow(UsageError);
});

test('a second --detect run into the same --out counts the same (nothing reused without the values)', async () => {
  const dir = await store();
  const out = path.join(await tempDir(), 'out');
  await runJob({ command: 'discover', detect: true, store: dir, request: await zoe(), out });
  const first = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
  await runJob({ command: 'discover', detect: true, store: dir, request: await zoe(), out });
  const second = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
  expect(second.detected).toEqual(first.detected);
  expect(second.engagements.map((e: { detected: unknown }) => e.detected)).toEqual(first.engagements.map((e: { detected: unknown }) => e.detected));
});
