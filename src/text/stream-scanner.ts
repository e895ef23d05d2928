/**
 * Search a byte stream of text for the request's identifiers with bounded memory, and optionally
 * write a redacted copy in the same pass.
 *
 * Chunk size never changes the result: a start position is only tried once the text reaches
 * `matcher.reach` code units past it (or the stream ended), and `matcher.lookbehind` units of
 * context are kept before it. The redacted copy is written up to the same point, copying every
 * original byte outside a match and writing a placeholder in the stream's encoding for each match.
 */
import type { SpanFinder, MatchState } from '../scan/matcher.js';
import { StreamDecoder, type Piece, type PieceDecoder } from './decoder.js';
import { SpanWriter } from './span-writer.js';

export interface TextMatch {
  /** Position of the identifier in matcher.identifiers. */
  id: number;
  variant: string;
  /** 1-based line of the match start. */
  line: number;
  /** Byte offset and length of the match in the stream. */
  offset: number;
  length: number;
}

export interface StreamScannerOptions<D extends PieceDecoder = StreamDecoder> {
  onMatch: (m: TextMatch) => void;
  /** How bytes become text (default: a StreamDecoder, which sniffs the text encoding). */
  decoder?: D;
  /** When set, the redacted copy is handed out chunk by chunk. */
  output?: (chunk: Buffer) => void;
  /** Placeholder text for a match, or null to keep it (default: `[REDACTED]` for every match). */
  placeholder?: (id: number) => string | null;
}

interface Held {
  piece: Piece;
  charStart: number;
}

export class TextStreamScanner<D extends PieceDecoder = StreamDecoder> {
  readonly decoder: D;
  private readonly writer: SpanWriter | undefined;
  private readonly state: MatchState;
  private held: Held[] = [];
  private win = '';
  private winStart = 0;
  private resume = 0;
  private line = 1;
  private countedTo = 0;
  private totalBytes = 0;

  constructor(
    private readonly matcher: SpanFinder,
    private readonly options: StreamScannerOptions<D>,
  ) {
    this.decoder = options.decoder ?? (new StreamDecoder() as PieceDecoder as D);
    this.state = matcher.newState();
    if (options.output) this.writer = new SpanWriter(options.output, (text) => this.decoder.encode(text));
  }

  /** Number of placeholders written. */
  get spans(): number {
    return this.writer?.spans ?? 0;
  }

  push(chunk: Buffer): void {
    this.take(this.decoder.push(chunk));
    this.step(false);
  }

  end(): void {
    this.take(this.decoder.end());
    this.step(true);
  }

  /** Byte offset before which every match has been reported: later matches start at or after it. */
  get decidedBytes(): number {
    return this.byteOf(Math.max(this.resume, this.winStart));
  }

  private take(pieces: Piece[]): void {
    if (pieces.length === 0) return;
    const texts = [this.win];
    let charEnd = this.winStart + this.win.length;
    for (const piece of pieces) {
      this.held.push({ piece, charStart: charEnd });
      charEnd += piece.text.length;
      texts.push(piece.text);
      this.totalBytes = piece.byteStart + piece.bytes.length;
    }
    this.win = texts.join('');
  }

  private step(final: boolean): void {
    const end = this.winStart + this.win.length;
    const safe = final ? end : end - this.matcher.reach;
    if (safe > this.resume) {
      this.matcher.scan(this.win, this.winStart, this.resume - this.winStart, safe - this.winStart, this.state, (m) => {
        this.countLinesTo(m.start);
        const offset = this.byteOf(m.start);
        const byteEnd = this.byteOf(m.end);
        this.options.onMatch({
          id: m.id,
          variant: m.variant,
          line: this.line,
          offset,
          length: byteEnd - offset,
        });
        const text = this.options.placeholder ? this.options.placeholder(m.id) : '[REDACTED]';
        if (this.writer && text !== null) this.writer.add({ byteStart: offset, byteEnd, text });
      });
      this.resume = safe;
      this.countLinesTo(safe);
    }
    this.writer?.emitTo(final ? this.totalBytes : this.byteOf(Math.max(this.resume, this.winStart)), (from, to) => this.copy(from, to));
    this.trim();
  }

  private countLinesTo(abs: number): void {
    const win = this.win;
    const stop = abs - this.winStart;
    let i = win.indexOf('\n', this.countedTo - this.winStart);
    while (i !== -1 && i < stop) {
      this.line++;
      i = win.indexOf('\n', i + 1);
    }
    if (abs > this.countedTo) this.countedTo = abs;
  }

  /** Byte offset in the stream of absolute code unit `abs`. */
  private byteOf(abs: number): number {
    for (const { piece, charStart } of this.held) {
      if (abs < charStart + piece.text.length) return piece.byteAt(Math.max(0, abs - charStart));
    }
    return this.totalBytes;
  }

  /** Hand out original bytes [from, to). */
  private copy(from: number, to: number): void {
    for (const { piece } of this.held) {
      const pStart = piece.byteStart;
      const pEnd = pStart + piece.bytes.length;
      if (pEnd <= from || pStart >= to) continue;
      this.options.output!(piece.bytes.subarray(Math.max(from, pStart) - pStart, Math.min(to, pEnd) - pStart));
    }
  }

  /** Drop text and pieces that no later step can need. */
  private trim(): void {
    const keep = this.resume - this.matcher.lookbehind;
    if (keep > this.winStart) {
      this.win = this.win.slice(keep - this.winStart);
      this.winStart = keep;
    }
    const needBytesFrom = this.writer ? this.writer.emitted : Infinity;
    while (this.held.length > 1) {
      const { piece, charStart } = this.held[0]!;
      const charEnd = charStart + piece.text.length;
      if (charEnd > this.winStart || piece.byteStart + piece.bytes.length > needBytesFrom) break;
      this.held.shift();
    }
  }
}
