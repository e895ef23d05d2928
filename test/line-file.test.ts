/** The audit log's and the journal's file: lines appended whole, in order, even when long and written at once. */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';
import { LineFile } from '../src/output/line-file.js';
import { tempDir } from './helpers.js';

test('lines appended at once land whole and in call order after what the file held; close is idempotent', async () => {
  const file = path.join(await tempDir(), 'lines.jsonl');
  await writeFile(file, 'earlier\n');
  const lines = await LineFile.open(file);
  // Long lines are written in several pieces: pieces of two lines must not interleave.
  const long = ['a', 'b', 'c', 'd'].map((c) => c.repeat(3 << 20));
  await Promise.all(long.map((line) => lines.append(line)));
  await lines.close();
  await lines.close();
  expect((await readFile(file, 'utf8')).split('\n')).toEqual(['earlier', ...long, '']);
});

test('a line appended after close is refused, not written to a closed file or dropped silently', async () => {
  const file = path.join(await tempDir(), 'lines.jsonl');
  const lines = await LineFile.open(file);
  const before = lines.append('kept');
  const closing = lines.close();
  await expect(lines.append('late')).rejects.toThrow(/closed/);
  await before;
  await closing;
  expect(await readFile(file, 'utf8')).toBe('kept\n');
});
