/**
 * gzip: a transparent layer. The decompressed content is searched by the handler for its own
 * format, and a redacted copy is the redacted content compressed again.
 */
import { createGunzip, createGzip } from 'node:zlib';
import { Transform, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { readHead } from './stream-util.js';
import { ArtifactProblem, HEAD_BYTES, type ArtifactSource, type FormatHandler, type HandlerContext, type Limits } from './types.js';

/** Counts bytes in and out and stops a decompression bomb by ratio and by total size. */
export function bombGuard(limits: Limits, compressedSoFar: () => number): Transform {
  let expanded = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      expanded += chunk.length;
      const ratio = expanded / Math.max(1, compressedSoFar());
      if (expanded > limits.maxExpandedBytes) {
        done(new ArtifactProblem('failed', `decompressed size exceeds ${limits.maxExpandedBytes} bytes (decompression bomb?)`));
      } else if (expanded > 16 * 1024 * 1024 && ratio > limits.maxRatio) {
        done(new ArtifactProblem('failed', `compression ratio above ${limits.maxRatio}:1 (decompression bomb?)`));
      } else done(null, chunk);
    },
  });
}

function gunzipped(source: ArtifactSource, limits: Limits): NodeJS.ReadableStream {
  let compressed = 0;
  const raw = source.open();
  raw.on('data', (c: Buffer) => (compressed += c.length));
  const gunzip = createGunzip();
  const guard = bombGuard(limits, () => compressed);
  const fail = (err: Error) => guard.destroy(err instanceof ArtifactProblem ? err : new ArtifactProblem('failed', `corrupt gzip data: ${err.message}`));
  raw.on('error', fail);
  gunzip.on('error', fail);
  return raw.pipe(gunzip).pipe(guard);
}

export const gzipHandler: FormatHandler = {
  name: 'gzip',
  recognizes: (head) => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b,
  async process(source, ctx: HandlerContext, out?: Writable) {
    const head = await readHead(gunzipped(source, ctx.limits), HEAD_BYTES);
    const innerPath = source.path.replace(/\.(gz|gzip)$/i, '');
    const inner = ctx.handlerFor(head, innerPath);
    if (!inner) throw new ArtifactProblem('skipped', 'gzip content of an unsupported format');
    const innerSource: ArtifactSource = { ...source, head, open: () => gunzipped(source, ctx.limits), file: undefined };
    if (!out) {
      const outcome = await inner.process(innerSource, ctx);
      return { ...outcome, format: `gzip/${outcome.format}` };
    }
    const gzip = createGzip();
    gzip.pipe(out, { end: false });
    const outcome = await inner.process(innerSource, ctx, gzip);
    gzip.end();
    await finished(gzip);
    return { ...outcome, format: `gzip/${outcome.format}` };
  },
};
