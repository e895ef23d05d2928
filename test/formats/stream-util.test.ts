/**
 * readWhole: what the e-mail, .msg and PDF readers hold in memory is capped; past the cap the
 * reader gets its own problem: before any read when the size says so, else as soon as the stream
 * passes it, and the stream is released.
 */
import { Readable } from 'node:stream';
import { expect, test } from 'vitest';
import { readWhole } from '../../src/formats/stream-util.js';
import type { ArtifactSource } from '../../src/formats/types.js';

const chunks = () => [Buffer.from('abc'), Buffer.from('defg'), Buffer.from('h')];
/** A source of `size` (as listed) whose stream yields 8 bytes; `opened` holds the streams handed out. */
function source(size: number, opened: Readable[] = []): ArtifactSource {
  return { engagement: 'E', path: 'E/a', size, head: Buffer.alloc(0), depth: 0, open: () => opened[opened.push(Readable.from(chunks())) - 1]! };
}

test('an artifact within the limit is read whole', async () => {
  expect((await readWhole(source(8), 8, () => new Error('too large'))).toString()).toBe('abcdefgh');
});

test('one listed larger than the limit is refused without a read', async () => {
  const opened: Readable[] = [];
  await expect(readWhole(source(9, opened), 8, () => new Error('too large'))).rejects.toThrow('too large');
  expect(opened).toHaveLength(0);
});

test('a stream longer than its listed size is released as it passes the limit', async () => {
  const opened: Readable[] = [];
  await expect(readWhole(source(7, opened), 7, () => new Error('too large'))).rejects.toThrow('too large');
  expect(opened).toHaveLength(1);
  expect(opened[0]!.destroyed).toBe(true);
});
