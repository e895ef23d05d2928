/**
 * Search binary data (crash dumps, core files, anything without a reader of its own) for the
 * strings it holds, and optionally write a copy masked in place.
 *
 * Three views read the same bytes: single-byte text (ASCII, UTF-8, Windows-1252) and UTF-16LE at
 * even and at odd byte positions. Each runs through its own scanner, so a string straddling any
 * read boundary is found whatever the chunk size: the anchored FastTextScanner, which decodes only
 * windows around the places where an anchor occurs in the raw bytes, when the finder has anchors,
 * or a TextStreamScanner over the whole view (the same findings, slower). The masked copy keeps every byte
 * outside a match and overwrites each match with a placeholder of exactly the same byte length in
 * the match's own encoding, so file size and offsets stay valid for debuggers.
 */
import { Matcher, type SpanFinder } from '../../scan/matcher.js';
import type { PieceDecoder } from '../../text/decoder.js';
import { FastTextScanner } from '../../text/fast-scanner.js';
import { TextStreamScanner, type TextMatch } from '../../text/stream-scanner.js';
import { ByteStringsView, Utf16StringsView } from './string-views.js';

/** Bytes handed to the views at a time. */
const PIECE_BYTES = 64 * 1024;

export type DumpEncoding = 'ascii' | 'utf-8' | 'windows-1252' | 'utf-16le';

export interface DumpMatch {
  id: number;
  variant: string;
  /** Byte offset and length in the stream. */
  offset: number;
  length: number;
  encoding: DumpEncoding;
}

export interface DumpScannerOptions {
  onMatch: (m: DumpMatch) => void;
  /** When set, the masked copy is handed out chunk by chunk. */
  output?: (chunk: Buffer) => void;
  /** Placeholder for a match, or null to keep it (default `[REDACTED]`). */
  placeholder?: (id: number) => string | null;
}

interface Mask {
  start: number;
  end: number;
  bytes: Buffer;
}

/** Bytes not yet decided by every view (the match encoding and the masks need them); `own` once a mask has been written into a private copy. */
interface HeldChunk {
  start: number;
  data: Buffer;
  own: boolean;
}

/** The placeholder cut or padded with `X` to exactly `length` bytes of `decoder`'s encoding. */
export function fittedMask(text: string, length: number, decoder: PieceDecoder): Buffer {
  const unit = decoder.encode('X').length;
  const units = Math.floor(length / unit);
  const fitted = decoder.encode(text.slice(0, units).padEnd(units, 'X'));
  // A stray odd byte (a truncated UTF-16 unit at the end of a file) is masked as well.
  return fitted.length === length ? fitted : Buffer.concat([fitted, Buffer.alloc(length - fitted.length, 0x58)]);
}

/** One view's scanner, as the dump scanner drives it. */
interface ViewScanner {
  push(chunk: Buffer): void;
  end(): void;
  /** Byte offset before which every match has been reported. */
  readonly decidedBytes: number;
}

export class DumpScanner {
  /** Number of masks written. */
  spans = 0;
  private readonly views: ViewScanner[];
  private held: HeldChunk[] = [];
  /** Matches not yet reported: they go out in byte order once every view has passed them. */
  private found: DumpMatch[] = [];
  private masks: Mask[] = [];
  private position = 0;

  constructor(
    matcher: SpanFinder,
    private readonly options: DumpScannerOptions,
  ) {
    // Anchored when the finder is a Matcher with anchors in every view's encoding (not one with
    // spoken forms, whose anchor has no UTF-16LE form; the engine hands readers written forms).
    const anchored = matcher instanceof Matcher && matcher.anchors('utf-16le') !== undefined;
    const views = [
      { view: new ByteStringsView(), utf16: false },
      { view: new Utf16StringsView(0), utf16: true },
      { view: new Utf16StringsView(1), utf16: true },
    ];
    this.views = views.map(({ view, utf16 }): ViewScanner => {
      const onMatch = (m: TextMatch) => this.matched(m.id, m.variant, m.offset, m.length, utf16, view);
      if (anchored) return new FastTextScanner(matcher, view, 0, { onMatch });
      return new TextStreamScanner(matcher, { decoder: view, onMatch });
    });
  }

  push(chunk: Buffer): void {
    // In pieces: each view decodes what it is given into strings and offset tables several
    // times the size of the bytes, and large ones go straight to the old generation.
    for (let at = 0; at < chunk.length; at += PIECE_BYTES) {
      const piece = chunk.subarray(at, at + PIECE_BYTES);
      this.held.push({ start: this.position, data: piece, own: false });
      this.position += piece.length;
      for (const scanner of this.views) scanner.push(piece);
      this.flush(false);
    }
  }

  end(): void {
    for (const scanner of this.views) scanner.end();
    this.flush(true);
  }

  get bytes(): number {
    return this.position;
  }

  private matched(id: number, variant: string, offset: number, length: number, utf16: boolean, decoder: PieceDecoder): void {
    const encoding = utf16 ? 'utf-16le' : this.singleByteEncoding(offset, length);
    this.found.push({ id, variant, offset, length, encoding });
    if (!this.options.output) return;
    const text = this.options.placeholder ? this.options.placeholder(id) : '[REDACTED]';
    if (text === null) return;
    this.masks.push({ start: offset, end: offset + length, bytes: fittedMask(text, length, decoder) });
    this.spans++;
  }

  /** Which single-byte form a match was written in, judged from its bytes. */
  private singleByteEncoding(offset: number, length: number): DumpEncoding {
    const bytes = Buffer.concat(
      this.held.map(({ start, data }) => data.subarray(Math.max(0, offset - start), Math.max(0, Math.min(data.length, offset + length - start)))),
    );
    if (!bytes.some((b) => b >= 0x80)) return 'ascii';
    return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes) ? 'utf-8' : 'windows-1252';
  }

  /**
   * Report matches and release held bytes up to where every view has decided, so that the order of
   * findings and the copy never depend on read sizes. Bytes go out with masks written over them.
   */
  private flush(final: boolean): void {
    const output = this.options.output;
    const limit = final ? this.position : Math.min(...this.views.map((v) => v.decidedBytes));
    if (this.found.length) {
      // Stable sort: at one offset, the views' order and each view's own order are kept.
      const ready = this.found.filter((m) => m.offset < limit).sort((a, b) => a.offset - b.offset);
      this.found = this.found.filter((m) => m.offset >= limit);
      for (const m of ready) this.options.onMatch(m);
    }
    // A match lies in bytes already read and starts past what was handed out: all of it is held.
    for (const mask of this.masks) this.apply(mask);
    this.masks = [];
    while (this.held.length > 0) {
      const chunk = this.held[0]!;
      const end = chunk.start + chunk.data.length;
      if (end > limit) {
        if (limit > chunk.start) {
          output?.(chunk.data.subarray(0, limit - chunk.start));
          this.held[0] = { start: limit, data: chunk.data.subarray(limit - chunk.start), own: chunk.own };
        }
        break;
      }
      output?.(chunk.data);
      this.held.shift();
    }
  }

  private apply(mask: Mask): void {
    for (let i = 0; i < this.held.length; i++) {
      const chunk = this.held[i]!;
      const from = Math.max(mask.start, chunk.start);
      const to = Math.min(mask.end, chunk.start + chunk.data.length);
      if (from >= to) continue;
      // The source's buffers are never written to: a chunk is copied once, when first masked.
      if (!chunk.own) this.held[i] = { start: chunk.start, data: Buffer.from(chunk.data), own: true };
      mask.bytes.copy(this.held[i]!.data, from - chunk.start, from - mask.start, to - mask.start);
    }
  }
}
