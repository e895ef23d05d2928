/** Runs one format handler on in-memory bytes, the way the engine does, and collects what it reports. */
import { PassThrough, Readable } from 'node:stream';
import { Matcher } from '../../src/scan/matcher.js';
import { DEFAULT_LIMITS, HEAD_BYTES, type ArtifactSource, type FormatHandler, type HandlerContext, type HandlerMatch } from '../../src/formats/types.js';
import { zoe } from '../helpers.js';

const { identifiers } = await zoe();
export const matcher = new Matcher(identifiers);
export { identifiers };

export interface HandlerRun {
  found: HandlerMatch[];
  format: string;
  notes: string[];
  spans: number;
  /** The redacted copy, when asked for. */
  copy?: Buffer;
}

/** A source whose stream hands out `bytes` in reads of `chunk` bytes. */
export function memorySource(bytes: Buffer, chunk = 1 << 20, path = 'ENG-1/artifact'): ArtifactSource {
  return {
    engagement: 'ENG-1',
    path,
    size: bytes.length,
    head: bytes.subarray(0, HEAD_BYTES),
    depth: 0,
    open: () => Readable.from((function* () {
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
    })()),
  };
}

/** Kind-named placeholders as the erase command writes them; `keep` ids stay (as in an access copy). */
export function placeholderFor(keep: number[] = []) {
  return (id: number): string | null => (keep.includes(id) ? null : `[REDACTED:${identifiers[id]!.kind}]`);
}

export async function runHandler(
  handler: FormatHandler,
  bytes: Buffer,
  options: { redact?: boolean; chunk?: number; keep?: number[] } = {},
): Promise<HandlerRun> {
  const found: HandlerMatch[] = [];
  const ctx: HandlerContext = {
    matcher,
    limits: DEFAULT_LIMITS,
    placeholder: placeholderFor(options.keep),
    found: (_source, m) => found.push(m),
    handlerFor: () => undefined,
    member: () => Promise.reject(new Error('no members expected')),
  };
  const source = memorySource(bytes, options.chunk);
  if (!options.redact) {
    const outcome = await handler.process(source, ctx);
    return { found, format: outcome.format, notes: outcome.notes ?? [], spans: outcome.spans };
  }
  const sink = new PassThrough();
  const parts: Buffer[] = [];
  sink.on('data', (c: Buffer) => parts.push(c));
  const outcome = await handler.process(source, ctx, sink);
  sink.end();
  return { found, format: outcome.format, notes: outcome.notes ?? [], spans: outcome.spans, copy: Buffer.concat(parts) };
}

/** Plain forms of every identifier, for checking a copy by simple byte search, independently of the matcher. */
export function plainForms(): string[] {
  return identifiers.map((i) => i.value);
}
