/** Plain text: logs, tickets, CSV, JSON, SQL, subtitles, in UTF-8, UTF-16 with a BOM or Windows-1252. */
import type { Writable } from 'node:stream';
import { createTextScanner } from '../text/scanner.js';
import { chooseEncoding, sniffBom } from '../text/decoder.js';
import { scanFileInRanges, worthSplitting } from '../text/parallel-scan.js';
import type { TextMatch } from '../text/stream-scanner.js';
import { Matcher } from '../scan/matcher.js';
import { finished } from 'node:stream/promises';
import { scanStream } from './stream-util.js';
import type { ArtifactSource, FormatHandler, HandlerContext, HandlerMatch, HandlerOutcome } from './types.js';

/** Text unless it holds a NUL byte outside UTF-16 (ripgrep's binary heuristic). */
export function looksLikeText(head: Buffer): boolean {
  if (sniffBom(head).encoding !== 'utf-8') return true;
  return head.indexOf(0) === -1;
}

function locate(m: TextMatch): HandlerMatch {
  return { id: m.id, variant: m.variant, locator: { line: m.line, offset: m.offset, length: m.length } };
}

export const textHandler: FormatHandler = {
  name: 'text',
  recognizes: (head) => looksLikeText(head),
  async process(source: ArtifactSource, ctx: HandlerContext, out?: Writable): Promise<HandlerOutcome> {
    if (!out && source.file && worthSplitting(source.size) && ctx.matcher instanceof Matcher) {
      const { encoding, bomLength } = chooseEncoding(source.head);
      if ((encoding === 'utf-8' || encoding === 'windows-1252') && ctx.matcher.anchors(encoding)) {
        // The engine's first read hashes the artifact and counts progress: let it run beside the workers.
        const hashed = finished(source.open().resume()).catch(() => undefined);
        const described = await scanFileInRanges(source.file, source.size, ctx.matcher, encoding, bomLength, (m) => ctx.found(source, locate(m)));
        await hashed;
        return { format: 'text', encoding: described, spans: 0 };
      }
    }
    const pending: Buffer[] = [];
    const scanner = createTextScanner(ctx.matcher, {
      onMatch: (m) => ctx.found(source, locate(m)),
      output: out ? (chunk) => pending.push(chunk) : undefined,
      placeholder: (id) => ctx.placeholder(id),
    });
    await scanStream(source.open(), scanner, out, pending);
    return { format: 'text', encoding: scanner.describe(), spans: scanner.spans };
  },
};
