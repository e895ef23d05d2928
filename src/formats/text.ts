/** Plain text: logs, tickets, CSV, JSON, SQL, subtitles, in UTF-8, UTF-16 with a BOM or Windows-1252. */
import type { Writable } from 'node:stream';
import { TextStreamScanner } from '../text/stream-scanner.js';
import { sniffBom } from '../text/decoder.js';
import { writeAll } from './stream-util.js';
import type { ArtifactSource, FormatHandler, HandlerContext, HandlerOutcome } from './types.js';

/** Text unless it holds a NUL byte outside UTF-16 (ripgrep's binary heuristic). */
export function looksLikeText(head: Buffer): boolean {
  if (sniffBom(head).encoding !== 'utf-8') return true;
  return head.indexOf(0) === -1;
}

export const textHandler: FormatHandler = {
  name: 'text',
  recognizes: (head) => looksLikeText(head),
  async process(source: ArtifactSource, ctx: HandlerContext, out?: Writable): Promise<HandlerOutcome> {
    const pending: Buffer[] = [];
    const scanner = new TextStreamScanner(ctx.matcher, {
      onMatch: (m) =>
        ctx.found(source, {
          id: m.id,
          variant: m.variant,
          locator: { line: m.line, column: m.column, offset: m.offset, length: m.length },
        }),
      output: out ? (chunk) => pending.push(chunk) : undefined,
      placeholder: (id) => ctx.placeholder(id),
    });
    for await (const chunk of source.open() as AsyncIterable<Buffer>) {
      scanner.push(chunk);
      if (out && pending.length) await writeAll(out, pending);
    }
    scanner.end();
    if (out && pending.length) await writeAll(out, pending);
    return { format: 'text', encoding: scanner.decoder.describe(), spans: scanner.spans };
  },
};
