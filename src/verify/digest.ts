import { createHash } from 'node:crypto';
import type { Digest } from '../output/atomic.js';

/** SHA-256 and length of everything a stream yields. */
export async function digestOf(stream: NodeJS.ReadableStream): Promise<Digest> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

