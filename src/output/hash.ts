/** SHA-256 and byte counts: of a stream, of a file, and of bytes passing through a pipeline. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
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

export function sha256File(file: string): Promise<Digest> {
  return digestOf(createReadStream(file, { highWaterMark: 1 << 20 }));
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
