/**
 * Streaming text decoding that never loses a byte's position.
 *
 * Each decoded Piece keeps the raw bytes it came from and can map any of its code-unit offsets
 * back to a byte offset, so a redacting writer can copy every byte it does not replace.
 *
 * Without a BOM, text is UTF-8 where it is valid and Windows-1252 byte by byte where it is not:
 * Latin-1 notes, a UTF-8 log with one stray byte and pure ASCII all decode sensibly, and the
 * result does not depend on where reads split the input (sequences are never cut).
 */

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * Bytes looked at before choosing an encoding. A fixed amount, so that the choice never depends
 * on how the input happens to be split into reads.
 */
export const SNIFF_BYTES = 64 * 1024;

export class Piece {
  constructor(
    readonly text: string,
    readonly bytes: Buffer,
    /** Absolute byte offset of bytes[0]. */
    readonly byteStart: number,
    /** Bytes per code unit for fixed-width encodings; 0 = UTF-8 (see offsets). */
    private readonly unitBytes: number,
    /** For UTF-8 pieces that needed the fallback: byte offset (relative) of each code unit. */
    private readonly offsets: Uint32Array | null,
  ) {}

  private cacheUnit = 0;
  private cacheByte = 0;

  /** Absolute byte offset of code unit `unit` (0..text.length) of this piece. */
  byteAt(unit: number): number {
    if (unit >= this.text.length) return this.byteStart + this.bytes.length;
    if (this.unitBytes > 0) return this.byteStart + unit * this.unitBytes;
    if (this.offsets) return this.byteStart + this.offsets[unit]!;
    // Valid UTF-8: count bytes of the code units in between, from the nearest earlier lookup.
    if (unit < this.cacheUnit) {
      this.cacheUnit = 0;
      this.cacheByte = 0;
    }
    this.cacheByte += Buffer.byteLength(this.text.slice(this.cacheUnit, unit), 'utf8');
    this.cacheUnit = unit;
    return this.byteStart + this.cacheByte;
  }
}

/** Windows-1252 bytes 0x80–0x9F; the five it leaves undefined map to the C1 control of the same number. */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function cp1252(byte: number): string {
  return byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80]! : String.fromCharCode(byte);
}

export function decodeCp1252(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

export function sniffBom(head: Uint8Array): { encoding: TextEncoding; bomLength: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return { encoding: 'utf-8', bomLength: 0 };
}

/** Length of a UTF-8 sequence from its lead byte, 0 for a byte that cannot lead. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Index where an incomplete UTF-8 sequence at the end of `data` begins (data.length if none). */
export function completeUtf8Prefix(data: Buffer): number {
  for (let back = 1; back <= Math.min(3, data.length); back++) {
    const i = data.length - back;
    const b = data[i]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for its lead
    const need = sequenceLength(b);
    return need > back ? i : data.length;
  }
  return data.length;
}

/** Decode UTF-8 where valid and Windows-1252 per byte elsewhere, recording each unit's byte offset. */
export function decodeMixed(data: Buffer): { text: string; offsets: Uint32Array; fallbackBytes: number; multibyte: number } {
  const units: string[] = [];
  const offsets: number[] = [];
  let fallbackBytes = 0;
  let multibyte = 0;
  let i = 0;
  while (i < data.length) {
    const b = data[i]!;
    const need = sequenceLength(b);
    let cp = -1;
    if (need === 1) cp = b;
    else if (need > 1 && i + need <= data.length) {
      cp = b & (0xff >> (need + 1));
      for (let k = 1; k < need; k++) {
        const c = data[i + k]!;
        if ((c & 0xc0) !== 0x80) {
          cp = -1;
          break;
        }
        cp = (cp << 6) | (c & 0x3f);
      }
      // Reject overlong forms, surrogates and values past U+10FFFF.
      const min = need === 2 ? 0x80 : need === 3 ? 0x800 : 0x10000;
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = -1;
    }
    if (cp < 0) {
      units.push(cp1252(b));
      offsets.push(i);
      fallbackBytes++;
      i++;
      continue;
    }
    if (need > 1) multibyte++;
    const s = String.fromCodePoint(cp);
    for (let k = 0; k < s.length; k++) offsets.push(i);
    units.push(s);
    i += need;
  }
  return { text: units.join(''), offsets: Uint32Array.from(offsets), fallbackBytes, multibyte };
}

/**
 * Whether the head reads as a single-byte (Windows-1252) text rather than UTF-8: it holds bytes
 * that are not UTF-8 and no multi-byte sequence that is. A Latin-1 `ZOË”` happens to contain the
 * valid UTF-8 pair CB 94, which is why the decision is made for the file and not byte by byte.
 */
export function isSingleByte(head: Buffer): boolean {
  const probe = head.subarray(0, completeUtf8Prefix(head));
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(probe);
    return false;
  } catch {
    const { fallbackBytes, multibyte } = decodeMixed(probe);
    return fallbackBytes > multibyte;
  }
}

/** The encoding of a text from its first SNIFF_BYTES (or all of it, when shorter). */
export function chooseEncoding(head: Buffer): { encoding: TextEncoding; bomLength: number } {
  const { encoding, bomLength } = sniffBom(head);
  return { encoding: bomLength === 0 && isSingleByte(head.subarray(0, SNIFF_BYTES)) ? 'windows-1252' : encoding, bomLength };
}

/** Turns a byte stream into Pieces. Call push() per chunk and end() once. */
export interface PieceDecoder {
  push(chunk: Buffer): Piece[];
  end(): Piece[];
  /** Encode a placeholder in the stream's encoding. */
  encode(text: string): Buffer;
  /** What the report says about the encoding. */
  describe(): string;
}

/** Text of unknown encoding: a BOM, else UTF-8 where valid and Windows-1252 where not. */
export class StreamDecoder implements PieceDecoder {
  encoding: TextEncoding | undefined;
  /** Bytes decoded by the Windows-1252 fallback. */
  fallbackBytes = 0;
  /** Whether any valid multi-byte UTF-8 sequence was seen. */
  sawMultibyte = false;
  private carry: Buffer = Buffer.alloc(0);
  private position = 0;
  private readonly fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private utf16: InstanceType<typeof TextDecoder> | undefined;

  push(chunk: Buffer, final = false): Piece[] {
    let data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const pieces: Piece[] = [];
    if (this.encoding === undefined) {
      if (data.length < SNIFF_BYTES && !final) {
        this.carry = data;
        return pieces;
      }
      const { encoding, bomLength } = chooseEncoding(data);
      this.encoding = encoding;
      if (encoding.startsWith('utf-16')) this.utf16 = new TextDecoder(encoding, { ignoreBOM: true });
      if (bomLength) {
        pieces.push(new Piece('', data.subarray(0, bomLength), this.position, 1, null));
        this.position += bomLength;
        data = data.subarray(bomLength);
      }
    }
    let cut: number;
    if (this.encoding === 'utf-8') cut = final ? data.length : completeUtf8Prefix(data);
    else if (this.encoding === 'windows-1252') cut = data.length;
    else cut = final ? data.length : data.length - (data.length % 2);
    const part = data.subarray(0, cut);
    this.carry = Buffer.from(data.subarray(cut));
    if (part.length > 0) pieces.push(this.decode(part));
    return pieces;
  }

  end(): Piece[] {
    return this.push(Buffer.alloc(0), true);
  }

  private decode(part: Buffer): Piece {
    const start = this.position;
    this.position += part.length;
    if (this.encoding === 'windows-1252') return new Piece(decodeCp1252(part), part, start, 1, null);
    if (this.encoding !== 'utf-8') {
      // A trailing odd byte of a truncated UTF-16 file decodes to U+FFFD: still 2 units ↔ 1 unit per 2 bytes
      // except for that last byte, which byteAt() clamps to the end.
      return new Piece(this.utf16!.decode(part), part, start, 2, null);
    }
    try {
      const text = this.fatal.decode(part);
      if (text.length !== part.length) this.sawMultibyte = true;
      return new Piece(text, part, start, text.length === part.length ? 1 : 0, null);
    } catch {
      const mixed = decodeMixed(part);
      this.fallbackBytes += mixed.fallbackBytes;
      this.sawMultibyte ||= mixed.multibyte > 0;
      return new Piece(mixed.text, part, start, 0, mixed.offsets);
    }
  }

  /** What the report says about the encoding. */
  describe(): string {
    if (this.encoding !== 'utf-8') return this.encoding ?? 'utf-8';
    if (this.fallbackBytes === 0) return 'utf-8';
    return this.sawMultibyte ? 'utf-8 with windows-1252 bytes' : 'windows-1252';
  }

  /** Encode a placeholder in the stream's encoding. */
  encode(text: string): Buffer {
    if (this.encoding === 'utf-16le') return Buffer.from(text, 'utf16le');
    if (this.encoding === 'utf-16be') return Buffer.from(text, 'utf16le').swap16();
    if (this.encoding === 'windows-1252') return Buffer.from(text, 'latin1');
    return Buffer.from(text, 'utf8');
  }
}
