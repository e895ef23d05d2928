/**
 * sha256File reads a file through two buffers that take turns: the digest and the byte count must
 * be those of the whole file whatever its size relative to the buffers.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';
import { sha256File } from '../src/output/hash.js';
import { tempDir } from './helpers.js';

const MiB = 1 << 20;

test.each([0, 1, MiB - 1, MiB, MiB + 1, 2 * MiB, 3 * MiB + 12345])('a file of %i bytes', async (size) => {
  // Each byte depends on its position, so a buffer hashed twice or out of turn changes the digest.
  const content = Buffer.alloc(size);
  for (let i = 0; i < size; i++) content[i] = (i * 2654435761) >>> 24;
  const file = path.join(await tempDir(), 'f.bin');
  await writeFile(file, content);
  const reads: number[] = [];
  const digest = await sha256File(file, (n) => reads.push(n));
  expect(digest).toEqual({ sha256: createHash('sha256').update(content).digest('hex'), bytes: size });
  expect(reads.reduce((a, b) => a + b, 0)).toBe(size);
});

test('a file that cannot be opened rejects', async () => {
  await expect(sha256File(path.join(await tempDir(), 'missing'))).rejects.toThrow(/ENOENT/);
});

test('a failure between reads rejects with its error, after the read under way has ended', async () => {
  // The failure comes while the next read is in flight: it must be awaited before the file
  // closes, or it would end as an unhandled rejection (which fails the run under vitest).
  const file = path.join(await tempDir(), 'f.bin');
  await writeFile(file, Buffer.alloc(3 * MiB, 7));
  let reads = 0;
  const failing = sha256File(file, () => {
    if (++reads === 2) throw new Error('stop here');
  });
  await expect(failing).rejects.toThrow('stop here');
  expect(reads).toBe(2);
});
