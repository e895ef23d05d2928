/**
 * Views of arbitrary binary data as text, so that the matcher that reads logs can find the strings
 * a program left in a dump. Each view is a PieceDecoder for TextStreamScanner, which makes results
 * independent of how reads split the bytes, and maps every code unit back to its byte offset.
 *
 * Like `strings`, a view keeps only what can be part of a string: each stretch of other bytes
 * (mostly zeros in a dump) becomes one NUL separator, which no identifier pattern matches and
 * which bounds a match the way the bytes it stands for would. The matcher then reads a fraction
 * of the dump instead of every byte.
 *
 * - ByteStringsView: ASCII, UTF-8 sequences where valid, any other byte as Windows-1252.
 * - Utf16StringsView: UTF-16LE code units at even or at odd byte positions (the wide strings of
 *   Windows programs), in Latin, Greek and Cyrillic scripts and common punctuation.
 *
 * Each view is also a TextView for the anchored scanner, which decodes only small windows around
 * the places where an identifier's anchor occurs in the raw bytes. One view object serves either
 * the stream (push/end) or the windows (decode), not both: each resets what the other keeps.
 */
import { Piece, type PieceDecoder } from '../../text/decoder.js';
import type { ByteEncoding } from '../../../detectors/anchors.js';
import { utf8Boundary, type TextView } from '../../text/fast-scanner.js';

/** Windows-1252 for bytes 0x80–0x9F; the five it leaves undefined stay C1 controls. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** Stands for a stretch of bytes that belong to no string. */
const SEPARATOR = 0;

/**
 * Length of the valid UTF-8 sequence starting at `i` (lead byte 0xC2–0xF4), 1 when none starts
 * there, or 0 when the bytes available end before the sequence could be judged.
 */
function sequenceAt(data: Uint8Array, i: number, end: number): number {
  const b = data[i]!;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b < 0xe0) need = 2;
  else if (b < 0xf0) {
    need = 3;
    if (b === 0xe0) lo = 0xa0; // overlong
    if (b === 0xed) hi = 0x9f; // surrogates
  } else {
    need = 4;
    if (b === 0xf0) lo = 0x90; // overlong
    if (b === 0xf4) hi = 0x8f; // past U+10FFFF
  }
  for (let k = 1; k < need; k++) {
    if (i + k >= end) return 0;
    const c = data[i + k]!;
    if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return 1;
  }
  return need;
}

/** Collects the code units of one decoded piece and the byte offset (within the piece) of each. */
class UnitWriter {
  private units = Buffer.alloc(0);
  offsets = new Uint32Array(0);
  length = 0;

  reset(maxUnits: number): void {
    if (this.offsets.length < maxUnits) {
      this.units = Buffer.alloc(2 * maxUnits);
      this.offsets = new Uint32Array(maxUnits);
    }
    this.length = 0;
  }

  add(unit: number, offset: number): void {
    const u = this.length++;
    this.units[2 * u] = unit & 0xff;
    this.units[2 * u + 1] = unit >> 8;
    this.offsets[u] = offset;
  }

  text(): string {
    return this.units.toString('utf16le', 0, 2 * this.length);
  }

  piece(bytes: Buffer, byteStart: number): Piece {
    return new Piece(this.text(), bytes, byteStart, 0, this.offsets.slice(0, this.length));
  }
}

/** Shared streaming frame: carried bytes, absolute position, and whether the last unit was a gap. */
abstract class StringsView implements PieceDecoder, TextView {
  abstract readonly anchors: ByteEncoding;
  abstract readonly unitBytes: number;
  abstract boundary(at: number, floor: number, byteAt: (position: number) => number): number;
  abstract startsUnit(position: number): boolean;

  protected inGap = false;
  protected readonly writer = new UnitWriter();
  private carry: Buffer = Buffer.alloc(0);
  private position = 0;

  push(chunk: Buffer): Piece[] {
    return this.pieces(this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk, false);
  }

  end(): Piece[] {
    return this.pieces(this.carry, true);
  }

  abstract encode(text: string): Buffer;
  abstract describe(): string;

  /** Decode what can be decided of `data` into the writer; returns the number of bytes consumed. */
  protected abstract units(data: Buffer, first: boolean, final: boolean): number;

  /**
   * A window of bytes that starts on a code unit boundary, decoded on its own (for the anchored
   * scanner). A stretch of other bytes at its start gives a separator, as it does in the stream
   * after a string; either way no match can reach back across it.
   */
  decode(bytes: Buffer): { text: string; offsets: Uint32Array; length: number } {
    this.inGap = false;
    this.writer.reset(bytes.length);
    const length = this.units(bytes, false, true);
    // A view of the writer's table, valid until the next window (the scanner is done with it by then).
    return { text: this.writer.text(), offsets: this.writer.offsets.subarray(0, this.writer.length), length };
  }

  protected gap(offset: number): void {
    if (!this.inGap) this.writer.add(SEPARATOR, offset);
    this.inGap = true;
  }

  private pieces(data: Buffer, final: boolean): Piece[] {
    this.writer.reset(data.length);
    const used = this.units(data, this.position === 0, final);
    // At the end, bytes that make no unit (an odd last byte of UTF-16) are left out of every piece.
    this.carry = final ? Buffer.alloc(0) : Buffer.from(data.subarray(used));
    if (used === 0) return [];
    const piece = this.writer.piece(data.subarray(0, used), this.position);
    this.position += used;
    return [piece];
  }
}

export class ByteStringsView extends StringsView {
  /** The UTF-8 anchors hold each letter's Windows-1252 byte as well. */
  readonly anchors = 'utf-8';
  /** A code unit takes at most 3 bytes, and no match holds a gap. */
  readonly unitBytes = 3;

  boundary(at: number, floor: number, byteAt: (position: number) => number): number {
    return utf8Boundary(at, floor, byteAt);
  }

  startsUnit(): boolean {
    return true;
  }

  encode(text: string): Buffer {
    return Buffer.from(text, 'latin1');
  }

  describe(): string {
    return 'ascii/utf-8/windows-1252';
  }

  protected units(data: Buffer, _first: boolean, final: boolean): number {
    const n = data.length;
    const w = this.writer;
    let i = 0;
    while (i < n) {
      const b = data[i]!;
      if (b < 0x80) {
        // C0 controls other than \t \n \v \f \r, and DEL, belong to no string.
        if (b >= 0x20 ? b === 0x7f : b < 0x09 || b > 0x0d) this.gap(i);
        else {
          w.add(b, i);
          this.inGap = false;
        }
        i++;
        continue;
      }
      const len = b >= 0xc2 && b <= 0xf4 ? sequenceAt(data, i, n) : 1;
      if (len === 0 && !final) break; // judged once the next read arrives
      this.inGap = false;
      if (len <= 1) {
        w.add(b >= 0xa0 ? b : CP1252_HIGH[b - 0x80]!, i);
        i++;
        continue;
      }
      let cp = b & (0xff >> (len + 1));
      for (let k = 1; k < len; k++) cp = (cp << 6) | (data[i + k]! & 0x3f);
      if (cp >= 0x10000) {
        w.add(0xd800 + ((cp - 0x10000) >> 10), i);
        w.add(0xdc00 + ((cp - 0x10000) & 0x3ff), i);
      } else w.add(cp, i);
      i += len;
    }
    return i;
  }
}

/** Code units that can be part of a searched string; the rest of the 65,536 is mostly noise in binary data. */
function isStringUnit(cu: number): boolean {
  if (cu < 0x7f) return cu >= 0x20 || (cu >= 0x09 && cu <= 0x0d);
  if (cu < 0xa0) return false;
  if (cu < 0x530) return true; // Latin-1, Latin Extended, IPA, combining marks, Greek, Cyrillic
  return cu >= 0x2010 && cu <= 0x2027; // dashes, quotation marks, bullets
}

export class Utf16StringsView extends StringsView {
  readonly anchors = 'utf-16le';
  readonly unitBytes = 2;

  constructor(private readonly alignment: 0 | 1) {
    super();
  }

  startsUnit(position: number): boolean {
    return (position & 1) === this.alignment;
  }

  /** A window starts on this view's alignment: `at`, or the byte before (after, at `floor`). */
  boundary(at: number, floor: number): number {
    return this.startsUnit(at) ? at : at > floor ? at - 1 : at + 1;
  }

  encode(text: string): Buffer {
    return Buffer.from(text, 'utf16le');
  }

  describe(): string {
    return 'utf-16le';
  }

  protected units(data: Buffer, first: boolean, _final: boolean): number {
    const w = this.writer;
    // Odd alignment: the very first byte of the stream belongs to no code unit.
    let i = first ? Math.min(this.alignment, data.length) : 0;
    for (; i + 1 < data.length; i += 2) {
      const cu = data[i]! | (data[i + 1]! << 8);
      if (isStringUnit(cu)) {
        w.add(cu, i);
        this.inGap = false;
      } else this.gap(i);
    }
    return i;
  }
}
