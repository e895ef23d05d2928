/**
 * The hash-chained audit log: how lines are chained, how a second run continues the chain, and
 * that every way of tampering with lines is found and named with its line.
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { AuditLog, GENESIS } from '../src/output/audit.js';

/** The documented chain rule, written out here rather than taken from the code under test: SHA-256 of the line's bytes without its newline. */
const lineHash = (line: string) => createHash('sha256').update(Buffer.from(line, 'utf8')).digest('hex');
import { checkAuditLog } from '../src/verify/audit-chain.js';
import { tempDir } from './helpers.js';
import { runOnStore, zoeValues } from './verify-helpers.js';

/** A log of two runs: run-start, three reads, run-end; then run-start, read, run-end. */
async function sampleLog(): Promise<string> {
  const file = path.join(await tempDir(), 'audit.jsonl');
  const log = new AuditLog(file);
  await log.open();
  await log.record({ event: 'run-start', command: 'discover' });
  for (const name of ['a.log', 'b.log', 'c.log']) await log.record({ event: 'read', path: `ENG-1/${name}`, sha256: lineHash(name), bytes: 10 });
  await log.record({ event: 'run-end', exitCode: 0 });
  await log.close();
  const again = new AuditLog(file);
  await again.open();
  await again.record({ event: 'run-start', command: 'discover' });
  await again.record({ event: 'read', path: 'ENG-1/d.log', sha256: lineHash('d'), bytes: 1 });
  await again.record({ event: 'run-end', exitCode: 0 });
  await again.close();
  return file;
}

async function lines(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8')).split('\n').slice(0, -1);
}

async function rewrite(file: string, edit: (lines: string[]) => string[]): Promise<void> {
  await writeFile(file, edit(await lines(file)).join('\n') + '\n');
}

async function problems(file: string) {
  return (await checkAuditLog(file, 'audit.jsonl')).problems;
}

describe('the chain as written', () => {
  test('line n holds seq n and the SHA-256 of line n-1; the first holds the genesis value', async () => {
    const all = await lines(await sampleLog());
    expect(all).toHaveLength(8);
    all.forEach((line, i) => {
      const entry = JSON.parse(line);
      expect(Object.keys(entry).slice(0, 3)).toEqual(['seq', 'prev', 'time']);
      expect(entry.seq).toBe(i + 1);
      expect(entry.prev).toBe(i === 0 ? GENESIS : lineHash(all[i - 1]!));
    });
  });

  test('a second AuditLog on the same file continues the chain (a resumed run)', async () => {
    const file = await sampleLog();
    const check = await checkAuditLog(file, 'audit.jsonl');
    expect(check.problems).toEqual([]);
    expect(check.head).toEqual({ lines: 8, sha256: lineHash((await lines(file))[7]!) });
  });

  test('a torn last line (run killed mid-append) is cut on reopening and the repair is recorded', async () => {
    const file = await sampleLog();
    await appendFile(file, '{"seq":9,"prev":"12');
    expect((await problems(file)).map((p) => p.message)).toContain('is incomplete (no newline at the end): a torn write, or the file was cut');
    const log = new AuditLog(file);
    await log.open();
    await log.record({ event: 'run-start' });
    await log.record({ event: 'run-end' });
    await log.close();
    const all = await lines(file);
    expect(JSON.parse(all[8]!)).toMatchObject({ seq: 9, event: 'repair', discardedBytes: 19 });
    expect(await problems(file)).toEqual([]);
  });

  test('erase on the example store, run twice into one --out: one chain, and no identifier value in it', async () => {
    const { out } = await runOnStore('erase');
    const first = await lines(path.join(out, 'audit.jsonl'));
    await runOnStore('erase', {}, out);
    const all = await lines(path.join(out, 'audit.jsonl'));
    expect(JSON.parse(all[first.length]!)).toMatchObject({ seq: first.length + 1, prev: lineHash(first.at(-1)!), event: 'run-start' });
    expect((await checkAuditLog(path.join(out, 'audit.jsonl'), 'audit.jsonl')).problems).toEqual([]);
    const text = all.join('\n');
    const lower = text.toLowerCase();
    for (const value of await zoeValues()) expect(lower).not.toContain(value.toLowerCase());
  });
});

describe('tampering is found and named', () => {
  test('a removed line: the entry number skipped names where', async () => {
    const file = await sampleLog();
    await rewrite(file, (l) => l.filter((_, i) => i !== 2));
    expect(await problems(file)).toEqual([{ file: 'audit.jsonl', line: 3, message: 'entry 3 is missing before this line: lines were removed' }]);
  });

  test('the first line removed', async () => {
    const file = await sampleLog();
    await rewrite(file, (l) => l.slice(1));
    expect(await problems(file)).toEqual([{ file: 'audit.jsonl', line: 1, message: 'entry 1 is missing before this line: lines were removed' }]);
  });

  test('two lines swapped', async () => {
    const file = await sampleLog();
    await rewrite(file, (l) => [l[0]!, l[2]!, l[1]!, ...l.slice(3)]);
    const found = await problems(file);
    expect(found.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(found[0]!.message).toBe('entry 2 is not in their place before this line: lines were reordered');
    expect(found[1]!.message).toBe('holds entry 2 where entry 4 belongs: lines were reordered or repeated');
  });

  test('an edited line (still valid JSON, same entry number): the link after it no longer matches', async () => {
    const file = await sampleLog();
    const before = await lines(file);
    await rewrite(file, (l) => l.map((line, i) => (i === 2 ? line.replace('"bytes":10', '"bytes":11') : line)));
    const edited = (await lines(file))[2]!;
    expect(await problems(file)).toEqual([
      {
        file: 'audit.jsonl',
        line: 3,
        message: `was changed after it was written (or the link to it in line 4 was): its SHA-256 is ${lineHash(edited)}, line 4 records ${lineHash(before[2]!)}`,
      },
    ]);
  });

  test('a line replaced by garbage', async () => {
    const file = await sampleLog();
    await rewrite(file, (l) => l.map((line, i) => (i === 4 ? 'not json' : line)));
    const found = await problems(file);
    expect(found.map((p) => [p.line, p.message.slice(0, 30)])).toEqual([
      [5, 'is not a JSON object: edited o'],
      [5, 'was changed after it was writt'],
    ]);
  });

  test('lines removed from the end of a run: the log ends inside it', async () => {
    const file = await sampleLog();
    await rewrite(file, (l) => l.slice(0, 7));
    expect(await problems(file)).toEqual([
      {
        file: 'audit.jsonl',
        message: 'ends inside a run: no run-end after the run-start at line 6 (the run was interrupted or is still going, or lines were removed from the end)',
      },
    ]);
  });

  test('an anchor (the head an attestation signed) catches an edited or removed last line', async () => {
    const file = await sampleLog();
    const head = { lines: 8, sha256: lineHash((await lines(file))[7]!) };
    expect((await checkAuditLog(file, 'audit.jsonl', { head, by: 'attestation.json' })).problems).toEqual([]);
    await rewrite(file, (l) => l.map((line, i) => (i === 7 ? line.replace('"exitCode":0', '"exitCode":1') : line)));
    const edited = await checkAuditLog(file, 'audit.jsonl', { head, by: 'attestation.json' });
    expect(edited.problems).toHaveLength(1);
    expect(edited.problems[0]).toMatchObject({ line: 8, message: expect.stringContaining(`attestation.json signed ${head.sha256}`) });
    await rewrite(file, (l) => l.slice(0, 5));
    const cut = await checkAuditLog(file, 'audit.jsonl', { head, by: 'attestation.json' });
    expect(cut.problems).toEqual([{ file: 'audit.jsonl', message: 'has 5 lines, attestation.json signed 8: lines were removed from the end' }]);
  });
});
