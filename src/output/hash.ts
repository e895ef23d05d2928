/** SHA-256 and byte counts: of a stream, of a file, and of bytes passing through a pipeline. */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';

export interface Digest {
  sha256: string;
  bytes: number;
}

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

/** Bytes per read of sha256File. */
const FILE_READ_BYTES = 1 << 20;

/**
 * SHA-256 and length of a file; `onRead` sees each read's length. Two buffers take turns, one
 * being read into while the other is hashed: no buffer per read to allocate and collect (a
 * stream's, at 1 GB, cost the main thread about a third of a second in garbage collection).
 */
export async function sha256File(file: string, onRead?: (bytes: number) => void): Promise<Digest> {
  const hash = createHash('sha256');
  const handle = await open(file, 'r');
  // Buffers the size of the file (and a byte, to meet its end) when it is small: most files of a
  // store are, and this runs for each of them in erase and verify.
  const { size } = await handle.stat().catch(async (err: Error) => {
    await handle.close();
    throw err;
  });
  const length = Math.min(FILE_READ_BYTES, size + 1);
  const buffers = [Buffer.allocUnsafeSlow(length), Buffer.allocUnsafeSlow(length)];
  let reading = handle.read(buffers[0]!, 0, length, 0);
  try {
    let bytes = 0;
    let turn = 0;
    for (;;) {
      const { bytesRead, buffer } = await reading;
      if (bytesRead === 0) break;
      bytes += bytesRead;
      turn ^= 1;
      reading = handle.read(buffers[turn]!, 0, length, bytes);
      hash.update(buffer.subarray(0, bytesRead));
      onRead?.(bytesRead);
    }
    return { sha256: hash.digest('hex'), bytes };
  } finally {
    // A read still under way (after a failure) ends before the file closes.
    await reading.catch(() => undefined);
    await handle.close();
  }
}

/** Hashes and counts the bytes that pass through; `onChunk` sees each chunk too. */
export class Hashing extends Transform {
  private readonly hash = createHash('sha256');
  private result?: Digest;
  bytes = 0;

  constructor(private readonly onChunk?: (chunk: Buffer) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.onChunk?.(chunk);
    callback(null, chunk);
  }

  digest(): Digest {
    this.result ??= { sha256: this.hash.digest('hex'), bytes: this.bytes };
    return this.result;
  }
}
