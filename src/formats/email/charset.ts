/**
 * Text of a MIME part (or an encoded-word) in its declared charset, and back.
 *
 * Declared charsets go through iconv-lite (ISO-8859-x, Windows-125x, Shift_JIS, EUC-KR, GB2312,
 * KOI8-R, UTF-16, …) and encoding-japanese (ISO-2022-JP, which iconv-lite lacks). US-ASCII, UTF-8,
 * a missing charset and a charset nobody knows are read the way the text layer reads a file:
 * UTF-8 where valid, Windows-1252 byte by byte where not. That reading keeps each character's
 * byte offset, so a redacted copy changes exactly the bytes of the matches.
 */
import iconv from 'iconv-lite';
import Encoding from 'encoding-japanese';
import { StreamDecoder } from '../../text/decoder.js';
import { replaceAll, type Replacement } from '../segment.js';

export interface DecodedText {
  text: string;
  /** Bytes of the text with the replacements made, in the same charset. */
  replace(spans: readonly Replacement[]): Buffer;
  /** Set when the charset could not be honoured (for the report; names no content). */
  note?: string;
}

type Codec = { kind: 'auto' } | { kind: 'iconv'; name: string } | { kind: 'jis' };

/** Charset labels that mean "whatever the bytes are": read as UTF-8 with a Windows-1252 fallback. */
const AUTO_LABELS = new Set(['', 'us-ascii', 'ascii', 'utf-8', 'utf8', '7bit', '8bit', 'ansi_x3.4-1968', 'default', 'unknown-8bit', 'x-unknown', 'unknown']);

/** Lower-case label without quotes and without an RFC 2231 language suffix (`utf-8*en`). */
export function charsetLabel(raw: string | undefined): string {
  return (raw ?? '').trim().replace(/^["']|["']$/g, '').replace(/\*.*$/, '').toLowerCase();
}

/** A charset label fit for the report: labels come from the artifact, so keep them short and tame. */
export function printableLabel(label: string): string {
  return /^[\w.:+-]{1,40}$/.test(label) ? label : '(unreadable label)';
}

function codecFor(label: string): Codec | undefined {
  if (AUTO_LABELS.has(label)) return { kind: 'auto' };
  if (/^(?:x-|cs)?(?:iso-?2022-?jp|jis)/.test(label)) return { kind: 'jis' };
  const candidates = [
    label,
    label.replace(/^x-/, ''),
    label.replace(/^win(?:dows)?[-_]?(\d+)$/, 'windows-$1'),
    label.replace(/^(?:iso[-_ ]?)?8859[-_ ]?(\d+)$/, 'iso-8859-$1'),
    label.replace(/^latin[-_ ]?(\d)$/, 'iso-8859-$1'),
  ];
  const name = candidates.find((c) => iconv.encodingExists(c));
  return name ? { kind: 'iconv', name } : undefined;
}

/** Whether text in this charset can be cut anywhere between characters (not a shift-state encoding). */
export function isStateless(label: string): boolean {
  const codec = codecFor(charsetLabel(label));
  return codec !== undefined && codec.kind !== 'jis' && !/^utf-?(7|16|32)|^ucs-?2/.test(codec.kind === 'iconv' ? codec.name : '');
}

/** Encode text in a charset that can be encoded (see isStateless); UTF-8 for `auto`. */
export function encodeIn(label: string, text: string): Buffer {
  const codec = codecFor(charsetLabel(label));
  if (codec?.kind === 'iconv') return iconv.encode(text, codec.name);
  return Buffer.from(text, 'utf8');
}

export function decodeText(bytes: Buffer, rawLabel: string | undefined): DecodedText {
  const label = charsetLabel(rawLabel);
  const codec = codecFor(label);
  if (!codec) {
    const decoded = decodeAuto(bytes);
    decoded.note = `unknown charset ${printableLabel(label)}; read as UTF-8 / Windows-1252`;
    return decoded;
  }
  if (codec.kind === 'auto') return decodeAuto(bytes);
  if (codec.kind === 'jis') {
    const text = Encoding.convert(bytes, { to: 'UNICODE', from: 'JIS', type: 'string' }) as string;
    return {
      text,
      replace: (spans) => Buffer.from(Encoding.convert(Encoding.stringToCode(replaceAll(text, spans)), { to: 'JIS', from: 'UNICODE' }) as number[]),
    };
  }
  const text = iconv.decode(bytes, codec.name);
  return { text, replace: (spans) => iconv.encode(replaceAll(text, spans), codec.name) };
}

/** UTF-8 / Windows-1252 reading that keeps byte offsets, so replacements splice the original bytes. */
function decodeAuto(bytes: Buffer): DecodedText {
  const decoder = new StreamDecoder();
  const pieces = decoder.push(bytes, true);
  // A BOM comes as a piece of its own with no text; the text is that of the one other piece.
  const main = pieces.find((p) => p.text.length > 0);
  const text = main?.text ?? '';
  const byteAt = (unit: number): number => (main ? main.byteAt(unit) : bytes.length);
  return {
    text,
    replace(spans) {
      const parts: Buffer[] = [];
      let at = 0;
      for (const s of spans) {
        const from = byteAt(s.start);
        parts.push(bytes.subarray(at, from), decoder.encode(s.text));
        at = byteAt(s.end);
      }
      parts.push(bytes.subarray(at));
      return Buffer.concat(parts);
    },
  };
}
