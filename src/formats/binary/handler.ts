/**
 * Binary content without a reader of its own: minidumps, core files, database pages, anything
 * else. Its strings are searched (ASCII, UTF-8, Windows-1252 and UTF-16LE); a redacted copy is
 * the same file with each match masked in place. Comes last: it takes whatever no other handler
 * recognised.
 */
import type { Writable } from 'node:stream';
import { scanStream } from '../stream-util.js';
import type { ArtifactSource, FormatHandler, HandlerContext, HandlerOutcome } from '../types.js';
import { DumpScanner } from './dump-scanner.js';

export const binaryHandler: FormatHandler = {
  name: 'binary',
  recognizes: () => true,
  async process(source: ArtifactSource, ctx: HandlerContext, out?: Writable): Promise<HandlerOutcome> {
    const pending: Buffer[] = [];
    const scanner = new DumpScanner(ctx.matcher, {
      onMatch: (m) =>
        ctx.found(source, { id: m.id, variant: m.variant, locator: { offset: m.offset, length: m.length, encoding: m.encoding } }),
      output: out ? (chunk) => pending.push(chunk) : undefined,
      placeholder: (id) => ctx.placeholder(id),
    });
    await scanStream(source.open(), scanner, out, pending);
    return { format: 'binary', spans: scanner.spans };
  },
};
