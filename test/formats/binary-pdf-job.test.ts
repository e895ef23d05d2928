/**
 * End to end through the engine: a store holding a crash dump, a core file, a PDF and an
 * encrypted PDF. Erase writes a masked dump of the same size and a clean PDF, both verified by
 * being read again; the report says how each artifact was read and what could not be.
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';
import { runJob } from '../../src/job.js';
import { ROOT, tempDir, zoe } from '../helpers.js';

test('erase over dumps and PDFs: masked dumps keep their size, PDFs are rewritten, unreadable ones are reported', async () => {
  const store = await tempDir('dsr-store-');
  const out = path.join(await tempDir('dsr-out-'), 'erase');
  const files: [string, string][] = [
    ['binary/wide-across-64k.dmp', 'ENG-9/dumps/app.dmp'],
    ['binary/strings.core', 'ENG-9/dumps/core.1234'],
    ['pdf/traps.pdf', 'ENG-9/docs/case.pdf'],
    ['pdf/encrypted.pdf', 'ENG-9/docs/locked.pdf'],
  ];
  for (const [from, to] of files) {
    await mkdir(path.dirname(path.join(store, to)), { recursive: true });
    await copyFile(path.join(ROOT, 'fixtures/formats', from), path.join(store, to));
  }
  const summary = await runJob({ command: 'erase', store, request: await zoe(), out });
  const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
  const records = Object.fromEntries(report.engagements[0].artifacts.map((a: { artifact: string }) => [a.artifact, a]));

  expect(records['ENG-9/dumps/app.dmp']).toMatchObject({ status: 'scanned', format: 'binary', matches: { email: 1, name: 1 }, redacted: { verified: true, spans: 2 } });
  expect(records['ENG-9/dumps/core.1234']).toMatchObject({ status: 'scanned', format: 'binary', redacted: { verified: true } });
  for (const dump of ['ENG-9/dumps/app.dmp', 'ENG-9/dumps/core.1234']) {
    const original = await readFile(path.join(store, dump));
    const copy = await readFile(path.join(out, 'redacted', dump));
    expect(copy.length).toBe(original.length);
    expect(copy.equals(original)).toBe(false);
  }
  expect(records['ENG-9/docs/case.pdf']).toMatchObject({ status: 'scanned', format: 'pdf', notes: ['pages 1–2: text removed in place, layout kept'], redacted: { verified: true } });
  expect((await readFile(path.join(out, 'redacted/ENG-9/docs/case.pdf'))).subarray(0, 5).toString()).toBe('%PDF-');
  expect(records['ENG-9/docs/locked.pdf']).toMatchObject({ status: 'skipped', reason: 'encrypted PDF (a password is needed to read it)' });
  expect(summary.exitCode).toBe(0);

  const findings = (await readFile(path.join(out, 'findings.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  expect(findings.filter((f) => f.artifact === 'ENG-9/dumps/app.dmp').map((f) => f.locator)).toEqual([
    { offset: 65516, length: 44, encoding: 'utf-16le' },
    { offset: 131063, length: 20, encoding: 'utf-16le' },
  ]);
  // Locators name places, never values.
  expect(JSON.stringify(report)).not.toMatch(/zoe\.muller|CUST48213907|M[uü]ller/i);
});
