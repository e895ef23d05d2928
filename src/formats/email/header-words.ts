/**
 * Header field values: unfolded and with RFC 2047 encoded-words (`=?UTF-8?Q?Zo=C3=AB?=`) decoded
 * for searching, and rewritten with replacements for a redacted copy. Plain text stays as it was
 * written; a run of encoded-words that holds a replacement is encoded again in the charset and
 * encoding (Q or B) of its first word; everything else keeps its bytes.
 */
import { decodeText, encodeIn, isStateless } from './charset.js';
import { replaceAll, type Replacement } from '../segment.js';
import { decodeBase64Text, decodeQuotedPrintable } from './transfer.js';

const ENCODED_WORD = /=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=/g;

interface Word {
  charset: string;
  encoding: 'Q' | 'B';
  bytes: Buffer;
}

interface Segment {
  /** Range of the segment in the raw value. */
  rawStart: number;
  rawEnd: number;
  /** Start of the segment's text in the decoded value. */
  start: number;
  text: string;
  /** Encoded-words of the segment; absent for plain text. */
  words?: Word[];
  /** Plain text: raw offset of each decoded code unit (line breaks of folding are dropped). */
  rawOf?: number[];
}

export interface DecodedValue {
  raw: string;
  /** The value as a reader sees it: unfolded, encoded-words decoded. */
  text: string;
  segments: Segment[];
  notes: string[];
}

function decodeWordBytes(encoding: 'Q' | 'B', text: string): Buffer {
  if (encoding === 'B') return decodeBase64Text(text);
  return decodeQuotedPrintable(Buffer.from(text.replace(/_/g, ' '), 'latin1'));
}

/** Decoded text of a run of encoded-words: adjacent words in one charset are decoded together. */
function decodeRun(words: Word[], notes: string[]): string {
  let text = '';
  for (let i = 0; i < words.length; ) {
    let j = i + 1;
    while (j < words.length && words[j]!.charset.toLowerCase() === words[i]!.charset.toLowerCase()) j++;
    const decoded = decodeText(Buffer.concat(words.slice(i, j).map((w) => w.bytes)), words[i]!.charset);
    if (decoded.note) notes.push(decoded.note);
    text += decoded.text;
    i = j;
  }
  return text;
}

export function decodeValue(raw: string): DecodedValue {
  const segments: Segment[] = [];
  const notes: string[] = [];
  let text = '';
  const addPlain = (from: number, to: number) => {
    if (to <= from) return;
    const rawOf: number[] = [];
    let t = '';
    for (let i = from; i < to; i++) {
      const c = raw[i]!;
      if (c === '\r' || c === '\n') continue; // unfolding
      t += c;
      rawOf.push(i);
    }
    segments.push({ rawStart: from, rawEnd: to, start: text.length, text: t, rawOf });
    text += t;
  };
  let at = 0;
  let run: { rawStart: number; rawEnd: number; words: Word[] } | undefined;
  const closeRun = () => {
    if (!run) return;
    const t = decodeRun(run.words, notes);
    segments.push({ rawStart: run.rawStart, rawEnd: run.rawEnd, start: text.length, text: t, words: run.words });
    text += t;
    run = undefined;
  };
  for (const m of raw.matchAll(ENCODED_WORD)) {
    const gap = raw.slice(at, m.index);
    const word: Word = { charset: m[1]!, encoding: m[2]!.toUpperCase() as 'Q' | 'B', bytes: decodeWordBytes(m[2]!.toUpperCase() as 'Q' | 'B', m[3]!) };
    if (run && /^[ \t\r\n]*$/.test(gap)) {
      // Blanks between two encoded-words are not part of the text (RFC 2047 §6.2).
      run.words.push(word);
      run.rawEnd = m.index + m[0].length;
    } else {
      closeRun();
      addPlain(at, m.index);
      run = { rawStart: m.index, rawEnd: m.index + m[0].length, words: [word] };
    }
    at = m.index + m[0].length;
  }
  closeRun();
  addPlain(at, raw.length);
  return { raw, text, segments, notes };
}

export interface RewriteOptions {
  /** An address-list field: a placeholder in plain text outside quotes, <> and comments is quoted. */
  addresses: boolean;
  eol: string;
}

/**
 * The raw value with the replacements (in decoded coordinates) made. A replacement that spans
 * several segments is written into the first and the rest of its text is removed from the others.
 */
export function rewriteValue(value: DecodedValue, spans: readonly Replacement[], options: RewriteOptions): string {
  let out = '';
  for (const seg of value.segments) {
    const end = seg.start + seg.text.length;
    const local: Replacement[] = [];
    for (const s of spans) {
      if (s.end <= seg.start || s.start >= end) continue;
      if (s.start === s.end) continue;
      local.push({
        start: Math.max(s.start, seg.start) - seg.start,
        end: Math.min(s.end, end) - seg.start,
        text: s.start >= seg.start ? s.text : '',
      });
    }
    if (local.length === 0) out += value.raw.slice(seg.rawStart, seg.rawEnd);
    else if (seg.words) out += encodeWords(replaceAll(seg.text, local), seg.words[0]!).join(options.eol + ' ');
    else out += rewritePlain(value.raw, seg, local, options);
  }
  return out;
}

function rewritePlain(raw: string, seg: Segment, local: Replacement[], options: RewriteOptions): string {
  const rawOf = seg.rawOf!;
  let out = '';
  let at = seg.rawStart;
  for (const r of local) {
    const rawStart = rawOf[r.start]!;
    const rawEnd = rawOf[r.end - 1]! + 1;
    out += raw.slice(at, rawStart);
    const bare = options.addresses && r.text !== '' && !insideQuotedOrBracketed(raw, rawStart);
    // `[REDACTED:name]` unquoted in an address list would read as a group named `[REDACTED`: a
    // bare address becomes `<placeholder>`, a bare name a quoted string.
    if (!bare) out += r.text;
    else if (raw.slice(rawStart, rawEnd).includes('@')) out += `<${r.text}>`;
    else out += `"${r.text.replace(/["\\]/g, '\\$&')}"`;
    at = rawEnd;
  }
  return out + raw.slice(at, seg.rawEnd);
}

/** Whether raw[pos] sits in a quoted string, an angle-bracketed address or a comment. */
function insideQuotedOrBracketed(raw: string, pos: number): boolean {
  let quoted = false;
  let comment = 0;
  let angle = false;
  for (let i = 0; i < pos; i++) {
    const c = raw[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (quoted) {
      if (c === '"') quoted = false;
    } else if (comment > 0) {
      if (c === '(') comment++;
      else if (c === ')') comment--;
    } else if (c === '"') quoted = true;
    else if (c === '(') comment++;
    else if (c === '<') angle = true;
    else if (c === '>') angle = false;
  }
  return quoted || comment > 0 || angle;
}

/** Characters a Q-encoded word may carry as they are (RFC 2047 §5 (3), the strictest rule). */
const Q_SAFE = /[A-Za-z0-9!*+\-/]/;
const MAX_WORD = 75;

/**
 * `text` as encoded-words in the charset and encoding of `model`, each at most 75 characters,
 * never splitting a character. Shift-state charsets (ISO-2022-JP, UTF-7, UTF-16) are written as UTF-8.
 */
export function encodeWords(text: string, model: Word): string[] {
  const charset = isStateless(model.charset) ? model.charset.replace(/\*.*$/, '') : 'UTF-8';
  const prefix = `=?${charset}?${model.encoding}?`;
  const encode = (bytes: Buffer): string => {
    if (model.encoding === 'B') return bytes.toString('base64');
    let s = '';
    for (const b of bytes) {
      const c = String.fromCharCode(b);
      s += b === 0x20 ? '_' : b < 0x80 && Q_SAFE.test(c) ? c : '=' + b.toString(16).toUpperCase().padStart(2, '0');
    }
    return s;
  };
  const words: string[] = [];
  let pending: Buffer[] = [];
  for (const ch of text) {
    const bytes = encodeIn(charset, ch);
    const trial = encode(Buffer.concat([...pending, bytes]));
    if (pending.length > 0 && prefix.length + trial.length + 2 > MAX_WORD) {
      words.push(`${prefix}${encode(Buffer.concat(pending))}?=`);
      pending = [bytes];
    } else pending.push(bytes);
  }
  if (pending.length > 0 || words.length === 0) words.push(`${prefix}${encode(Buffer.concat(pending))}?=`);
  return words;
}
