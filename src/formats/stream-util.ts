import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ArtifactSource } from './types.js';

/**
 * For a reader that reads `source.file` itself (in ranges, in place): the engine's first read
 * through open() hashes the artifact and counts progress, so it is run to the end beside the
 * reader. Resolves at once when the source needs no such read.
 */
export async function drainHashingRead(source: ArtifactSource): Promise<void> {
  if (source.hashedOnRead) await finished(source.open().resume()).catch(() => undefined);
}

/** A whole stream in memory; past `limit` bytes the stream is released and `tooLarge()` thrown. */
export async function readWhole(stream: NodeJS.ReadableStream, limit: number, tooLarge: () => Error): Promise<Buffer> {
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
