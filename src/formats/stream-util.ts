import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';
import type { ArtifactSource } from './types.js';

/**
 * A whole artifact in memory, for the readers that need one (e-mail, .msg, PDF). One larger than
 * `limit` is refused before any read, by its size; a stream that turns out longer is released as
 * soon as it passes the limit.
 */
export async function readWhole(source: ArtifactSource, limit: number, tooLarge: () => Error): Promise<Buffer> {
  if (source.size > limit) throw tooLarge();
  const stream = source.open();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Write with backpressure. */
export async function writeAll(out: Writable, chunks: Buffer[]): Promise<void> {
  for (const chunk of chunks) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  chunks.length = 0;
}

/**
 * Feed a stream to a scanner that hands its output chunks to `pending`, writing them to `out` (if
 * any) as they come, with backpressure.
 */
export async function scanStream(
  stream: NodeJS.ReadableStream,
  scanner: { push(chunk: Buffer): void; end(): void },
  out: Writable | undefined,
  pending: Buffer[],
): Promise<void> {
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    scanner.push(chunk);
    if (out && pending.length) await writeAll(out, pending);
  }
  scanner.end();
  if (out && pending.length) await writeAll(out, pending);
}

/** The first `max` bytes of a stream (fewer if it is shorter); the stream is then released. */
export async function readHead(stream: NodeJS.ReadableStream, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      total += chunk.length;
      if (total >= max) break;
    }
  } finally {
    (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  }
  return Buffer.concat(parts).subarray(0, max);
}

/** The first `max` bytes of a file (fewer if it is shorter: then it is the whole file, as it was read). */
export async function readFileHead(file: string, max: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.allocUnsafe(max);
    let total = 0;
    while (total < max) {
      const { bytesRead } = await handle.read(head, total, max - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    return head.subarray(0, total);
  } finally {
    await handle.close();
  }
}

/** A stream of bytes held in memory. */
export function streamOf(bytes: Buffer): Readable {
  return Readable.from(bytes.length > 0 ? [bytes] : [], { objectMode: false });
}
