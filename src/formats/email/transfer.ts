/**
 * Content-Transfer-Encoding: decode a part's body to its bytes, and encode redacted bytes back in
 * the same encoding, shaped like the original (base64 line length, the line break in use, the
 * blank lines that followed the body).
 */

export type TransferKind = 'base64' | 'quoted-printable' | 'identity';

export function transferKind(label: string): { kind: TransferKind; unknown: boolean } {
  const l = label.trim().toLowerCase();
  if (l === 'base64') return { kind: 'base64', unknown: false };
  if (l === 'quoted-printable') return { kind: 'quoted-printable', unknown: false };
  return { kind: 'identity', unknown: !['', '7bit', '8bit', 'binary'].includes(l) };
}

export function decodeTransfer(body: Buffer, kind: TransferKind): Buffer {
  if (kind === 'base64') return decodeBase64(body);
  if (kind === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

/**
 * `bytes` encoded like `original` was. For base64, the line breaks that ended the original body
 * (before the next boundary or the end of the message) are kept as they were.
 */
export function encodeTransfer(bytes: Buffer, kind: TransferKind, original: Buffer, eol: string): Buffer {
  if (kind === 'identity') return bytes;
  // Quoted-printable line breaks are content, and come back from the content itself.
  if (kind === 'quoted-printable') return Buffer.from(encodeQuotedPrintable(bytes, eol), 'latin1');
  const tail = original.subarray(trailingBreaksStart(original));
  return Buffer.concat([Buffer.from(encodeBase64(bytes, base64LineLength(original), eol), 'latin1'), tail]);
}

function trailingBreaksStart(buf: Buffer): number {
  let i = buf.length;
  while (i > 0 && (buf[i - 1] === 0x0a || buf[i - 1] === 0x0d)) i--;
  return i;
}

function decodeBase64(body: Buffer): Buffer {
  return decodeBase64Text(body.toString('latin1'));
}

/** Base64 alphabet and blanks, padding (and blanks) at the end only. */
const PLAIN_BASE64 = /^[A-Za-z0-9+/ \t\r\n]*(?:=[= \t\r\n]*)?$/;

/** Base64 as decoders read it: whitespace and stray characters ignored; padding ends nothing early. */
export function decodeBase64Text(text: string): Buffer {
  return readBase64(text).bytes;
}

/**
 * decodeBase64Text, and whether the text holds characters other than its alphabet, padding and
 * whitespace (what they say is lost in decoding).
 */
export function readBase64(text: string): { bytes: Buffer; stray: boolean } {
  // Node's decoder skips whitespace itself, but stops at the first `=` and reads `-` and `_` as
  // URL-safe base64: text it reads the same way goes to it as written, which spares building a
  // cleaned copy of every body (the cleaning costs many times the decoding).
  if (PLAIN_BASE64.test(text)) return { bytes: Buffer.from(text, 'base64'), stray: false };
  return { bytes: Buffer.from(text.replace(/[^A-Za-z0-9+/]/g, ''), 'base64'), stray: /[^A-Za-z0-9+/=\s]/.test(text) };
}

/** The original's line length when it is a sensible one (a multiple of 4 up to 76), else 76. */
function base64LineLength(original: Buffer): number {
  const text = original.toString('latin1').trimStart();
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  const more = text.length > first.length + 2;
  return more && first.length >= 4 && first.length <= 76 && first.length % 4 === 0 ? first.length : 76;
}

function encodeBase64(bytes: Buffer, lineLength: number, eol: string): string {
  const flat = bytes.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < flat.length; i += lineLength) lines.push(flat.slice(i, i + lineLength));
  return lines.join(eol);
}

/** The value of a hex digit's byte; -1 for any other byte, or none. */
function hexDigit(b: number | undefined): number {
  if (b === undefined) return -1;
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  const lower = b | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/** RFC 2045 §6.7, leniently: soft breaks (even with trailing blanks), `=XX`, a stray `=` kept as is. */
export function decodeQuotedPrintable(body: Buffer): Buffer {
  const out = Buffer.alloc(body.length);
  let n = 0;
  let i = 0;
  while (i < body.length) {
    const b = body[i]!;
    if (b === 0x3d /* = */) {
      const high = hexDigit(body[i + 1]);
      const low = hexDigit(body[i + 2]);
      if (high >= 0 && low >= 0) {
        out[n++] = high * 16 + low;
        i += 3;
        continue;
      }
      // `=` followed by optional blanks and a line break (or the end) is a soft line break.
      let j = i + 1;
      while (body[j] === 0x20 || body[j] === 0x09) j++;
      if (j >= body.length) break;
      if (body[j] === 0x0d && body[j + 1] === 0x0a) {
        i = j + 2;
        continue;
      }
      if (body[j] === 0x0a) {
        i = j + 1;
        continue;
      }
      out[n++] = b;
      i++;
      continue;
    }
    if (b === 0x20 || b === 0x09) {
      // Blanks at the end of a line are transport padding, not content.
      let j = i;
      while (body[j] === 0x20 || body[j] === 0x09) j++;
      if (j >= body.length || body[j] === 0x0a || (body[j] === 0x0d && body[j + 1] === 0x0a)) {
        i = j;
        continue;
      }
    }
    out[n++] = b;
    i++;
  }
  return out.subarray(0, n);
}

/**
 * Quoted-printable with hard breaks where the content has line breaks and soft breaks (`=` + eol)
 * keeping lines within 76 characters. A line starting with `From ` gets its F encoded, so that an
 * mbox reader never takes it for a message separator.
 */
export function encodeQuotedPrintable(bytes: Buffer, eol: string): string {
  const lines: string[] = [];
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    const last = end === -1;
    if (last) end = bytes.length;
    const contentEnd = end > start && bytes[end - 1] === 0x0d ? end - 1 : end;
    lines.push(softWrap(encodeLine(bytes.subarray(start, contentEnd)), eol));
    if (last) break;
    start = end + 1;
  }
  return lines.join(eol);
}

function encodeLine(line: Buffer): string[] {
  const tokens: string[] = [];
  for (let i = 0; i < line.length; i++) {
    const b = line[i]!;
    const atEnd = i === line.length - 1;
    const literal =
      (b >= 0x21 && b <= 0x7e && b !== 0x3d) || ((b === 0x20 || b === 0x09) && !atEnd);
    const fromLine = i === 0 && b === 0x46 && line.toString('latin1', 0, 5) === 'From ';
    tokens.push(literal && !fromLine ? String.fromCharCode(b) : '=' + b.toString(16).toUpperCase().padStart(2, '0'));
  }
  return tokens;
}

/** Join tokens into lines of at most 76 characters, a soft break never splitting an `=XX`. */
function softWrap(tokens: string[], eol: string): string {
  let out = '';
  let width = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const rest = i === tokens.length - 1 ? 0 : 1; // room for the soft-break `=` unless this is the last token
    let token = t;
    if (width + t.length + rest > 76) {
      out += '=' + eol;
      width = 0;
      if (t === 'F' && tokens.slice(i + 1, i + 5).join('') === 'rom ') token = '=46';
    }
    out += token;
    width += token.length;
  }
  return out;
}
