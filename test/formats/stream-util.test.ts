/**
 * readWhole: what the e-mail, .msg and PDF readers hold in memory is capped; past the cap the
 * reader gets its own problem and the stream is released.
 */
import { Readable } from 'node:stream';
import { expect, test } from 'vitest';
import { readWhole } from '../../src/formats/stream-util.js';

test('a stream within the limit is read whole; past it, the caller\'s problem is thrown and the stream destroyed', async () => {
  const chunks = () => [Buffer.from('abc'), Buffer.from('defg'), Buffer.from('h')];
  expect((await readWhole(Readable.from(chunks()), 8, () => new Error('too large'))).toString()).toBe('abcdefgh');
  const over = Readable.from(chunks());
  await expect(readWhole(over, 7, () => new Error('too large'))).rejects.toThrow('too large');
  expect(over.destroyed).toBe(true);
});
