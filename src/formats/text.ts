/** Plain text: logs, tickets, CSV, JSON, SQL, subtitles, in UTF-8, UTF-16 with a BOM or Windows-1252. */
import type { Writable } from 'node:stream';
import { createTextScanner } from '../text/scanner.js';
import { chooseEncoding, sniffBom } from '../text/decoder.js';
import { scanFileInRanges, worthSplitting } from '../text/parallel-scan.js';
import type { TextMatch } from '../text/stream-scanner.js';
import { Matcher, type SpanFinder } from '../scan/matcher.js';
import { scanStream, writeAll } from './stream-util.js';
import { SpanWriter } from '../text/span-writer.js';
import type { ArtifactSource, FormatHandler, HandlerContext, HandlerMatch, HandlerOutcome } from './types.js';

/** Text unless it holds a NUL byte outside UTF-16 (ripgrep's binary heuristic). */
export function looksLikeText(head: Buffer): boolean {
  if (sniffBom(head).encoding !== 'utf-8') return true;
  return head.indexOf(0) === -1;
}

/**
 * Whether a text reads like a call or chat transcript: WebVTT, SubRip, JSON messages with a
 * speaker, or lines that open with a speaker's name. Only transcripts are searched for
 * identifiers read out in words ("four one five…"): elsewhere such words are not the subject's
 * data, and anchoring on common words would slow every log down.
 */
export function looksLikeTranscript(head: Buffer): boolean {
  const text = head.toString('latin1');
  if (/^(?:\xef\xbb\xbf)?WEBVTT/.test(text)) return true;
  if (/(?:^|\n)\d+\r?\n\d{2}:\d{2}:\d{2},\d{3} --> \d{2}:\d{2}:\d{2},\d{3}/.test(text)) return true;
  if (/"(?:speaker|role|author|from)"\s*:/.test(text)) return true;
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  // `Agent: …`, `[09:19] Caller: …`, and chat logs' `[09:19] <nick> …`.
  const turn = /^[ \t]*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?[ \t]+)?(?:[A-Z][A-Za-z .'-]{1,30}:|<[^>\s]{1,32}>)[ \t]/;
  const turns = lines.filter((l) => turn.test(l)).length;
  return turns >= 3 && turns >= lines.length / 3;
}

/** The finder for this text: with spoken forms if it is a transcript. */
function finderFor(ctx: HandlerContext, head: Buffer): SpanFinder {
  return ctx.transcriptMatcher && looksLikeTranscript(head) ? ctx.transcriptMatcher : ctx.matcher;
}

function locate(m: TextMatch): HandlerMatch {
  return { id: m.id, variant: m.variant, locator: { line: m.line, offset: m.offset, length: m.length } };
}

export const textHandler: FormatHandler = {
  name: 'text',
  recognizes: (head) => looksLikeText(head),
  async process(source: ArtifactSource, ctx: HandlerContext, out?: Writable): Promise<HandlerOutcome> {
    const finder = finderFor(ctx, source.head);
    if (source.file && worthSplitting(source.size) && finder instanceof Matcher) {
      const { encoding, bomLength } = chooseEncoding(source.head);
      if (encoding === 'utf-8' || encoding === 'windows-1252') {
        if (out) return redactInRanges(source, source.file, finder, encoding, bomLength, ctx, out);
        const hashed = source.readThrough?.();
        const described = await scanFileInRanges(source.file, source.size, finder, encoding, bomLength, (m) => ctx.found(source, locate(m)));
        await hashed;
        return { format: 'text', encoding: described, spans: 0 };
      }
    }
    const pending: Buffer[] = [];
    const scanner = createTextScanner(finder, {
      onMatch: (m) => ctx.found(source, locate(m)),
      output: out ? (chunk) => pending.push(chunk) : undefined,
      placeholder: (id) => ctx.placeholder(id),
    });
    await scanStream(source.open(), scanner, out, pending);
    return { format: 'text', encoding: scanner.describe(), spans: scanner.spans };
  },
};

/**
 * Erase for a large text file: the workers search it in ranges (parallel-scan.ts) and this thread
 * writes the copy, reading the file once in order (the engine's read, which hashes it). Bytes are
 * written as soon as every span that starts before them is known, which is after each range's
 * matches: the copy is what the sequential scanner's SpanWriter would write, from the same spans.
 */
async function redactInRanges(
  source: ArtifactSource,
  file: string,
  finder: Matcher,
  encoding: 'utf-8' | 'windows-1252',
  bomLength: number,
  ctx: HandlerContext,
  out: Writable,
): Promise<HandlerOutcome> {
  const pending: Buffer[] = [];
  const writer = new SpanWriter(
    (chunk) => pending.push(chunk),
    (text) => Buffer.from(text, encoding === 'windows-1252' ? 'latin1' : 'utf8'),
  );
  const input = (source.open() as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  // The bytes read and not yet written: [bufStart, bufStart + buf.length) of the file, which
  // ends where the read has got to.
  let buf: Buffer = Buffer.alloc(0);
  let bufStart = 0;
  const copy = (from: number, to: number) => pending.push(buf.subarray(from - bufStart, to - bufStart));
  const emitTo = async (limit: number) => {
    while (writer.emitted < limit) {
      if (bufStart + buf.length <= writer.emitted) {
        const next = await input.next();
        if (next.done) throw new Error(`the file ended at ${bufStart + buf.length} bytes, before ${limit}`);
        // Everything read so far is written (or covered by a placeholder, which may also cover
        // bytes not read yet: those are dropped as they come).
        const readTo = bufStart + buf.length;
        const skip = Math.min(writer.emitted - readTo, next.value.length);
        buf = next.value.subarray(skip);
        bufStart = readTo + skip;
      }
      writer.emitTo(Math.min(limit, bufStart + buf.length), copy);
      await writeAll(out, pending);
    }
  };
  const encodingDescribed = await scanFileInRanges(
    file,
    source.size,
    finder,
    encoding,
    bomLength,
    (m) => {
      ctx.found(source, locate(m));
      const text = ctx.placeholder(m.id);
      if (text !== null) writer.add({ byteStart: m.offset, byteEnd: m.offset + m.length, text });
    },
    emitTo,
  );
  // Read to the end, so that the read is complete (and hashed) even past the last range.
  for (let next = await input.next(); !next.done; next = await input.next());
  return { format: 'text', encoding: encodingDescribed, spans: writer.spans };
}
