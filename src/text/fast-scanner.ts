/**
 * The fast path for UTF-8 and Windows-1252 text: find anchors (detectors/anchors.ts) in the raw
 * bytes viewed as Latin-1 — no decoding — and decode and run the full identifier patterns only
 * in small windows around them. Every match contains an anchor that starts at most `before` code
 * units after it, so the positions evaluated include every position where a match starts, and
 * each is evaluated with the same context as the plain scan would give it: the findings and the
 * redacted bytes are the same as TextStreamScanner's, which the tests check.
 *
 * Anchors are found in two stages when the anchor set allows: the byte prefilter (prefilter.ts)
 * passes the few positions where an anchor may start, and the anchors' regexes are tried there
 * only. The bytes then live in the prefilter's WebAssembly memory, where it reads them.
 *
 * How the bytes read as text is a TextView: a text file's encoding (textView), or one of the
 * string views of binary data (src/formats/binary/string-views.ts), UTF-16LE among them.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { readSync } from 'node:fs';
import type { ByteEncoding } from '../../detectors/anchors.js';
import { eachAnchor, type AnchorSearch, type Match, type Matcher, type MatchState } from '../scan/matcher.js';
import type { PrefilterWindow } from './prefilter.js';
import { completeUtf8Prefix, decodeCp1252, decodeMixed } from './decoder.js';
import type { TextMatch } from './stream-scanner.js';
import { SpanWriter } from './span-writer.js';

export interface FastScannerOptions {
  onMatch: (m: TextMatch) => void;
  output?: (chunk: Buffer) => void;
  placeholder?: (id: number) => string | null;
  /**
   * Scan one byte range of a larger file (a worker's share): the stream starts at `readStart`
   * (context before `start`) and may run past `end` (context after it). Only positions in
   * [start, end) are evaluated; matches are reported raw (the caller applies MatchState in file
   * order) with `line` counting the newlines between `start` and the match.
   */
  range?: { readStart: number; start: number; end: number; endsFile: boolean };
}

/** Bytes gathered before a step. */
const STEP_BYTES = 256 * 1024;

/** How the scanner reads bytes as text. */
export interface TextView {
  /** The rendering of the anchors that finds them in these bytes. */
  readonly anchors: ByteEncoding;
  /** The most bytes one code unit of the text takes. */
  readonly unitBytes: number;
  /**
   * A text file's encoding: its validity is tracked, its lines counted and placeholders written
   * in it. A view of binary data has none (and its matches no line).
   */
  readonly encoding?: 'utf-8' | 'windows-1252';
  /**
   * The first byte at or before `at` (never before `floor`) where decoding gives the text the
   * whole stream has from there: a character boundary. `byteAt` reads the stream.
   */
  boundary(at: number, floor: number, byteAt: (position: number) => number): number;
  /** False when no code unit of this view starts at byte `position`. */
  startsUnit(position: number): boolean;
  /**
   * A window of bytes as text; `offsets` (byte of each code unit) is null when each unit is one
   * byte, and `length` is set when the text covers fewer bytes than the window (a stray last byte).
   */
  decode(bytes: Buffer): { text: string; offsets: Uint32Array | null; length?: number };
}

const TEXT_VIEWS: Record<'utf-8' | 'windows-1252', TextView> = {
  'utf-8': {
    anchors: 'utf-8',
    // Bytes per UTF-16 code unit at most, in UTF-8.
    unitBytes: 3,
    encoding: 'utf-8',
    boundary: utf8Boundary,
    startsUnit: () => true,
    decode: (bytes) => (isAscii(bytes) ? { text: bytes.toString('latin1'), offsets: null } : decodeMixed(bytes)),
  },
  'windows-1252': {
    anchors: 'windows-1252',
    unitBytes: 1,
    encoding: 'windows-1252',
    boundary: (at) => at,
    startsUnit: () => true,
    decode: (bytes) => ({ text: decodeCp1252(bytes), offsets: null }),
  },
};

/** The view of a text file in `encoding`. */
export function textView(encoding: 'utf-8' | 'windows-1252'): TextView {
  return TEXT_VIEWS[encoding];
}

/** Back from `at` to the first byte of a UTF-8 sequence (at most three continuation bytes), as the decoder starts. */
export function utf8Boundary(at: number, floor: number, byteAt: (position: number) => number): number {
  for (let k = 0; k < 3 && at > floor && isContinuation(byteAt(at)); k++) at--;
  return at;
}

export class FastTextScanner {
  private readonly search: AnchorSearch;
  /** Holds the bytes when the anchors have a prefilter; `buf` is its view then. */
  private readonly window: PrefilterWindow | undefined;
  private readonly state: MatchState;
  private readonly writer: SpanWriter | undefined;
  /** Bytes from the start of the stream that are not text (a UTF-8 BOM). */
  private readonly textStart: number;
  /** Positions evaluated: [evalFloor, evalCeil). */
  private readonly evalFloor: number;
  private readonly evalCeil: number;
  private readonly reachBytes: number;
  private readonly lookbehindBytes: number;
  private readonly maxBeforeBytes: number;
  /** How close to the end of what was read an anchor may start and still be wholly read. */
  private readonly margin: number;
  private buf: Buffer = Buffer.alloc(0);
  private bufStart = 0;
  private scanFrom: number;
  private evaluatedTo: number;
  private line = 1;
  private countedTo = 0;
  private total = 0;
  private sawFallback = false;
  private sawMultibyte = false;
  private validityCarry: Buffer = Buffer.alloc(0);
  /** Chunks not yet joined to `buf` (without a window only). */
  private queued: Buffer[] = [];
  /** Bytes taken in since the last step. */
  private gathered = 0;
  /** Byte intervals [from, to) of positions still to evaluate, in order, disjoint, with the identifiers to try. */
  private pending: { from: number; to: number; ids: number[] }[] = [];

  constructor(
    private readonly matcher: Matcher,
    private readonly view: TextView,
    bomLength: number,
    private readonly options: FastScannerOptions,
  ) {
    this.search = matcher.anchors(view.anchors)!;
    this.window = this.search.prefilter?.acquire();
    this.state = matcher.newState();
    const range = options.range;
    this.textStart = range && range.readStart > 0 ? range.readStart : bomLength;
    this.evalFloor = range ? Math.max(range.start, bomLength) : bomLength;
    this.evalCeil = range ? range.end : Infinity;
    this.bufStart = range ? range.readStart : 0;
    this.scanFrom = this.textStart;
    this.evaluatedTo = this.countedTo = this.evalFloor;
    if (range) this.line = 0;
    this.reachBytes = view.unitBytes * matcher.reach + 4;
    this.lookbehindBytes = 4 * matcher.lookbehind + 4;
    this.maxBeforeBytes = view.unitBytes * this.search.maxBefore;
    // An anchor is never longer than the longest match plus its context.
    this.margin = this.reachBytes + 8 * matcher.reach + 64;
    if (options.output) this.writer = new SpanWriter(options.output, (text) => this.encode(text));
  }

  get spans(): number {
    return this.writer?.spans ?? 0;
  }

  /** Byte offset before which every match has been reported: later matches start at or after it. */
  get decidedBytes(): number {
    return this.evaluatedTo;
  }

  describe(): string {
    return describeEncoding(this.view.encoding!, this.validity());
  }

  /** Whether the text held bytes read as Windows-1252, and valid multi-byte UTF-8. */
  validity(): Validity {
    return { fallback: this.sawFallback, multibyte: this.sawMultibyte };
  }

  push(chunk: Buffer): void {
    if (this.window) {
      this.window.append(chunk);
      this.buf = this.window.bytes;
    } else this.queued.push(chunk);
    this.took(chunk);
  }

  /**
   * Read up to `length` bytes of the open file `fd` at `position` straight into the scanner's
   * memory, as push() would take them (a range worker's reads: no buffer per read to copy and
   * collect). The read blocks: a worker thread has nothing else to do meanwhile, and an
   * asynchronous read would hand each chunk to the thread pool and back. Returns the bytes read.
   */
  readFrom(fd: number, position: number, length: number): number {
    if (!this.window) {
      const buffer = Buffer.allocUnsafe(length);
      const bytesRead = readSync(fd, buffer, 0, length, position);
      if (bytesRead > 0) this.push(buffer.subarray(0, bytesRead));
      return bytesRead;
    }
    const bytesRead = readSync(fd, this.window.reserve(length), 0, length, position);
    this.window.commit(bytesRead);
    this.buf = this.window.bytes;
    this.took(this.buf.subarray(this.buf.length - bytesRead));
    return bytesRead;
  }

  /** Account for bytes just taken in; a step once enough have gathered. */
  private took(chunk: Buffer): void {
    this.noteValidity(chunk, false);
    this.total += chunk.length;
    this.gathered += chunk.length;
    // Small reads are gathered first: each step copies what it keeps of the previous one.
    if (this.gathered >= STEP_BYTES) this.step(false);
  }

  end(): void {
    this.noteValidity(Buffer.alloc(0), this.options.range?.endsFile ?? true);
    this.step(true);
    if (this.options.range) this.countLinesTo(this.evalCeil);
    if (this.window) this.search.prefilter!.release(this.window);
  }

  /** Range mode: newlines in [start, end) once the stream has ended. */
  get newlines(): number {
    return this.line;
  }

  /** Keep what the report says about the encoding, as the plain decoder would. */
  private noteValidity(chunk: Buffer, final: boolean): void {
    if (this.view.encoding !== 'utf-8' || this.sawFallback) return;
    let data = this.validityCarry.length ? Buffer.concat([this.validityCarry, chunk]) : chunk;
    if (this.total === 0 && this.options.range) {
      // A range starts anywhere: skip to the first byte that starts a sequence.
      let skip = 0;
      while (skip < 3 && skip < data.length && isContinuation(data[skip]!)) skip++;
      data = data.subarray(skip);
    } else if (this.total === 0 && this.textStart > 0) data = data.subarray(this.textStart);
    const cut = final ? data.length : completeUtf8Prefix(data);
    const part = data.subarray(0, cut);
    this.validityCarry = Buffer.from(data.subarray(cut));
    if (isAscii(part)) return;
    if (isUtf8(part)) this.sawMultibyte = true;
    else {
      this.sawFallback = true;
      this.sawMultibyte ||= decodeMixed(part).multibyte > 0;
    }
  }

  private step(final: boolean): void {
    // Without a window the chunks were only queued: join them to what is kept (a window holds
    // them already).
    if (this.queued.length) {
      this.buf = Buffer.concat(this.buf.length ? [this.buf, ...this.queued] : this.queued);
      this.queued = [];
    }
    this.gathered = 0;
    const end = this.bufStart + this.buf.length;
    const hitLimit = final ? end : end - this.margin;
    if (hitLimit > this.scanFrom) {
      this.findAnchors(hitLimit);
      this.scanFrom = hitLimit;
    }
    // Below this, every position is evaluated or too far from any anchor still to be found, so
    // positions are evaluated in order and matches come out in order.
    const settled = final ? end : Math.max(this.evaluatedTo, this.scanFrom - this.maxBeforeBytes);
    this.evaluateTo(settled);
    this.writer?.emitTo(settled, (from, to) => this.options.output!(this.slice(from, to)));
    this.trim(Math.min(settled - this.lookbehindBytes - 4, this.writer ? this.writer.emitted : Infinity));
  }

  /** Add the intervals of every anchor that starts in [scanFrom, hitLimit). */
  private findAnchors(hitLimit: number): void {
    const at = (position: number) => this.bufStart + position;
    eachAnchor(
      this.search,
      this.window,
      this.buf,
      this.scanFrom - this.bufStart,
      hitLimit - this.bufStart,
      (position, a) => this.addInterval(at(position), a.before, a.owner),
      (position) => this.view.startsUnit(at(position)),
    );
  }

  /** Identifier `id` may start in the `before` code units up to an anchor found at byte `hit`. */
  private addInterval(hit: number, before: number, id: number): void {
    const from = Math.max(hit - this.view.unitBytes * before, this.evalFloor);
    const to = Math.min(hit + 1, this.evalCeil);
    if (from >= to) return;
    const list = this.pending;
    // Hits come in order, so a new interval starts after the last one or overlaps the tail.
    let i = list.length;
    while (i > 0 && list[i - 1]!.from > from) i--;
    list.splice(i, 0, { from, to, ids: [id] });
    // Merge what now overlaps, front to back (a wide interval may swallow several); the merged
    // interval tries the identifiers of all of them.
    for (let k = Math.max(1, i); k < list.length; ) {
      const [a, b] = [list[k - 1]!, list[k]!];
      if (b.from <= a.to) {
        a.to = Math.max(a.to, b.to);
        for (const x of b.ids) if (!a.ids.includes(x)) a.ids.push(x);
        list.splice(k, 1);
      } else if (k > i) break;
      else k++;
    }
  }

  private evaluateTo(limit: number): void {
    while (this.pending.length > 0 && this.pending[0]!.from < limit) {
      const interval = this.pending[0]!;
      const from = Math.max(interval.from, this.evaluatedTo);
      const to = Math.min(interval.to, limit);
      if (from < to) this.evaluate(from, to, interval.ids.sort((a, b) => a - b));
      if (interval.to > limit) {
        interval.from = limit;
        break;
      }
      this.pending.shift();
    }
    this.evaluatedTo = Math.max(this.evaluatedTo, limit);
  }

  /** Run the full patterns at every position in [from, to), with the context the plain scan has. */
  private evaluate(from: number, to: number, ids: number[]): void {
    const floor = Math.max(this.textStart, this.bufStart);
    const windowStart = this.view.boundary(Math.max(from - this.lookbehindBytes, floor), floor, (at) => this.buf[at - this.bufStart]!);
    const windowEnd = Math.min(to + this.reachBytes, this.bufStart + this.buf.length);
    const bytes = this.buf.subarray(windowStart - this.bufStart, windowEnd - this.bufStart);
    const { text, offsets, length = bytes.length } = this.view.decode(bytes);
    const charAt = (byte: number) => (offsets ? lowerBound(offsets, byte - windowStart) : byte - windowStart);
    const byteAt = (unit: number) => windowStart + (offsets ? (unit < offsets.length ? offsets[unit]! : length) : unit);
    this.matcher.scanIdsAt(text, charAt(from), charAt(to), ids, (raw: Match) => {
      const start = byteAt(raw.start);
      const end = byteAt(raw.end);
      if (this.options.range || this.state.accept(raw.id, start, end)) this.report(raw, start, end);
    });
  }

  private report(raw: Match, start: number, end: number): void {
    this.countLinesTo(start);
    this.options.onMatch({ id: raw.id, variant: raw.variant, line: this.line, offset: start, length: end - start });
    const text = this.options.placeholder ? this.options.placeholder(raw.id) : '[REDACTED]';
    if (this.writer && text !== null) this.writer.add({ byteStart: start, byteEnd: end, text });
  }

  private countLinesTo(upTo: number): void {
    if (!this.view.encoding) return;
    const abs = Math.min(upTo, this.evalCeil);
    const stop = abs - this.bufStart;
    if (this.window) this.line += this.window.count(this.countedTo - this.bufStart, stop, 10);
    else {
      const buf = this.buf;
      let i = buf.indexOf(10, this.countedTo - this.bufStart);
      while (i !== -1 && i < stop) {
        this.line++;
        i = buf.indexOf(10, i + 1);
      }
    }
    if (abs > this.countedTo) this.countedTo = abs;
  }

  private slice(from: number, to: number): Buffer {
    const part = this.buf.subarray(from - this.bufStart, to - this.bufStart);
    // The window's memory is reused for the next bytes: what is written must be a copy.
    return this.window ? Buffer.from(part) : part;
  }

  private trim(keepFrom: number): void {
    if (keepFrom <= this.bufStart) return;
    const keep = Math.min(keepFrom, this.bufStart + this.buf.length);
    this.countLinesTo(keep);
    if (this.window) {
      this.window.discard(keep - this.bufStart);
      this.buf = this.window.bytes;
    } else this.buf = this.buf.subarray(keep - this.bufStart);
    this.bufStart = keep;
  }

  private encode(text: string): Buffer {
    return Buffer.from(text, this.view.encoding === 'windows-1252' ? 'latin1' : 'utf8');
  }
}

export interface Validity {
  fallback: boolean;
  multibyte: boolean;
}

/** What report.json says about a text's encoding. */
export function describeEncoding(encoding: 'utf-8' | 'windows-1252', v: Validity): string {
  if (encoding === 'windows-1252') return 'windows-1252';
  if (!v.fallback) return 'utf-8';
  return v.multibyte ? 'utf-8 with windows-1252 bytes' : 'windows-1252';
}

function isContinuation(b: number): boolean {
  return (b & 0xc0) === 0x80;
}

/** First index whose value is >= target (offsets are increasing). */
function lowerBound(offsets: Uint32Array, target: number): number {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (offsets[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
