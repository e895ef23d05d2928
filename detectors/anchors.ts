/**
 * Anchors: short, mostly literal patterns such that every match of an identifier's written forms
 * contains an anchor occurrence that starts at most `before` code units after the match start.
 * A scanner can look for anchors in the raw bytes (fast) and try the full patterns only at the
 * positions they allow, with the same results as trying them everywhere.
 *
 * Why each set is complete (see detectors/identifiers.ts for the patterns):
 * - e-mail: letters and digits of the local part are literal unless escaped; its symbols and the
 *   `@` take any form. So either the local part + `@` + the first domain character occurs with
 *   those letters literal (the match starts there), or one of those letters is escaped.
 * - id: letters and digits of ids are always literal; a GUID always starts with its first group.
 * - phone: every writing holds the national number's digits, literally, with separators.
 * - name: every form holds the first name. Written first, the match starts with it, and when the
 *   name has more tokens a separator follows it; in the `Last, First` form the first name follows
 *   a comma and separators. Each of its letters is an ASCII letter, a letter with diacritics,
 *   followed by combining marks, or escaped.
 *
 * Anchors are rendered for the raw bytes of a UTF-8 or Windows-1252 file viewed as Latin-1, with
 * the `i` flag; they are deliberately plain (literal first characters, escapes factored by their
 * introducer) because that is what lets the regex engine skip quickly. They are also rendered for
 * UTF-16LE bytes, for the wide strings in binary data (src/formats/binary/).
 */
import type { Identifier } from '../src/types.js';
import { escapeRegex, namedEntities } from './escapes.js';
import { GUID_PARTS, idShape, parsePhone } from './identifiers.js';
import { foldDiacritics, letterVariants } from './latin-letters.js';

export type ByteEncoding = 'utf-8' | 'windows-1252' | 'utf-16le';

/** Regex source for the Latin-1 view of a file's bytes. */
type Render = (encoding: ByteEncoding) => string;

export interface Anchor {
  render: Render;
  /** Upper bound, in UTF-16 code units, of how far the anchor may start after the match start. */
  before: number;
  /**
   * Set when the anchor is exactly this ASCII text in any letter case: such anchors are searched
   * together in one alternation of plain literals, which the regex engine runs much faster.
   */
  literal?: string;
}

const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function encodeBytes(text: string, encoding: ByteEncoding): Buffer | undefined {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  if (encoding === 'utf-16le') return Buffer.from(text, 'utf16le');
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff)) out.push(cp);
    else if (CP1252_HIGH.includes(ch)) out.push(0x80 + CP1252_HIGH.indexOf(ch));
    else return undefined;
  }
  return Buffer.from(out);
}

function bytesSource(bytes: Buffer): string {
  return [...bytes].map((b) => (b >= 0x20 && b < 0x80 ? escapeRegex(String.fromCharCode(b)) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
}

/** Literal text in any letter case (ASCII case is left to the `i` flag) and in NFC or NFD. */
function literal(text: string): Render {
  return (encoding) => {
    if (/^[\x00-\x7f]*$/.test(text) && encoding !== 'utf-16le') return escapeRegex(text);
    const forms = new Set([text, text.toLowerCase(), text.toUpperCase(), text.normalize('NFD'), text.toUpperCase().normalize('NFD')]);
    // A UTF-8 file's invalid bytes are read as Windows-1252 (src/text/decoder.ts): a name written
    // in a stray Latin-1 line of a UTF-8 log must be anchored in those bytes too.
    const encodings: ByteEncoding[] = encoding === 'utf-8' ? ['utf-8', 'windows-1252'] : [encoding];
    const sources = [...forms].flatMap((f) => encodings.map((e) => encodeBytes(f, e))).filter((b): b is Buffer => !!b).map(bytesSource);
    const unique = [...new Set(sources)];
    return unique.length === 0 ? '(?!)' : unique.length === 1 ? unique[0]! : `(?:${unique.join('|')})`;
  };
}

function oneOf(renders: Render[]): Render {
  return (encoding) => {
    const alts = [...new Set(renders.map((r) => r(encoding)))];
    return alts.length === 1 ? alts[0]! : `(?:${alts.join('|')})`;
  };
}

function seq(renders: Render[]): Render {
  return (encoding) => renders.map((r) => r(encoding)).join('');
}

function repeat(render: Render, min: number, max: number): Render {
  return (encoding) => `(?:${render(encoding)}){${min},${max}}`;
}

/**
 * The characters `\s` matches in text beyond ASCII (no-break space, the Unicode spaces, the byte
 * order mark): in bytes each has its own form, which a byte-level `\s` does not see.
 */
const SPACES = String.fromCharCode(...Array.from({ length: 0x10000 - 0x80 }, (_, i) => 0x80 + i)).match(/\s/g)!;

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');

/**
 * A pattern over single-byte characters (ASCII and `\xNN` Latin-1 only: the escapes and
 * separators below), the same in UTF-8 and Windows-1252 and widened for UTF-16LE.
 */
function latin1(source: string): Render {
  let wide: string | undefined;
  return (encoding) => (encoding === 'utf-16le' ? (wide ??= widen(source)) : source);
}

/**
 * One token of a Latin-1 pattern that widen() understands: a `\xNN` byte, an escaped character
 * (not an assertion, a backreference, a `\u`/`\c`/`\k` escape or a negated class such as `\S`,
 * which would take in wide characters), a class that is not negated, a non-capturing or plain
 * group, `)`, `|`, a greedy quantifier, or a literal character.
 */
const WIDEN_TOKEN = /\\x[0-9a-fA-F]{2}|\\[^bBuckDSW0-9]|\[(?!\^)(?:\\.|[^\]])*\]|\(\?:|\((?!\?)|[)|]|[*+?](?![*+?{])|\{\d+(?:,\d*)?\}(?![*+?{])|[^\\[\](){}|*+?^$.]/y;

/**
 * The UTF-16LE form of a Latin-1 pattern: every character is followed by a zero byte (an atom
 * under a quantifier is grouped with it first). Only the constructs the patterns here use are
 * accepted; anything else throws, rather than render a pattern that would miss.
 */
export function widen(source: string): string {
  const out: string[] = [];
  WIDEN_TOKEN.lastIndex = 0;
  for (let at = 0; at < source.length; at = WIDEN_TOKEN.lastIndex) {
    const m = WIDEN_TOKEN.exec(source);
    if (!m) throw new Error(`cannot widen ${JSON.stringify(source)} at ${at}`);
    const token = m[0];
    if (token === '(?:' || token === '(' || token === ')' || token === '|') out.push(token);
    else if (/^[*+?{]/.test(token)) {
      const last = out.pop();
      if (last === undefined || last === '(?:' || last === '(' || last === '|') throw new Error(`cannot widen ${JSON.stringify(source)} at ${at}`);
      out.push(last === ')' ? `)${token}` : `(?:${last})${token}`);
    } else out.push(`${token}\\x00`);
  }
  return out.join('');
}

/**
 * Any escaped form of any of `chars` (both letter cases), factored by introducer so that the
 * regex engine only looks further at `%`, `\` and `&`: the forms detectors/escapes.ts accepts.
 */
function escapesOf(chars: Iterable<string>): Render {
  const cps = new Set<number>();
  for (const ch of chars) for (const c of [ch, ch.toLowerCase(), ch.toUpperCase()]) if ([...c].length === 1) cps.add(c.codePointAt(0)!);
  const list = [...cps];
  const url = [...new Set(list.map((cp) => [...Buffer.from(String.fromCodePoint(cp), 'utf8')].map((b) => `%${hex(b, 2)}`).join('')))];
  const json = list.filter((cp) => cp <= 0xffff).map((cp) => hex(cp, 4));
  // Named entities: those of the characters, and any accent on a letter's base (`&euml;`).
  const named = new Set<string>();
  for (const cp of list) {
    const ch = String.fromCodePoint(cp);
    namedEntities(ch).forEach((n) => named.add(escapeRegex(n)));
    const base = foldDiacritics(ch).toLowerCase();
    if (/^[a-z]$/.test(base)) named.add(`${base}(?:grave|acute|circ|tilde|uml|ring|cedil|caron)`);
  }
  const source =
    `(?:%(?:${url.map((u) => u.slice(1)).join('|')})` +
    `|\\\\u(?:${json.join('|')})` +
    `|&#(?:x0{0,4}(?:${list.map((cp) => cp.toString(16)).join('|')})|0{0,4}(?:${list.join('|')}));` +
    (named.size ? `|&(?:${[...named].join('|')});` : '') +
    ')';
  return latin1(source);
}

/** Combining marks U+0300–U+036F after a letter (none exist in Windows-1252). */
const MARKS: Render = (encoding) =>
  encoding === 'utf-8' ? '(?:\\xcc[\\x80-\\xbf]|\\xcd[\\x80-\\xaf]){0,3}' : encoding === 'utf-16le' ? '(?:[\\x00-\\x6f]\\x03){0,3}' : '';

/** A letter of a name as the name patterns accept it, except escaped. */
function nameLetter(ch: string): Render {
  const variants = [...letterVariants(ch)].map(literal);
  return seq([oneOf([literal(foldDiacritics(ch)), ...variants]), MARKS]);
}

function emailAnchors(value: string, maxLen: number): Anchor[] {
  const email = value.trim().toLowerCase();
  const at = email.lastIndexOf('@');
  const local = [...email.slice(0, at)];
  const firstDomain = email[at + 1] ?? '';
  const anyForm = (ch: string) => oneOf([literal(ch), escapesOf([ch])]);
  const units = [...local.map((ch) => (/[a-z0-9]/.test(ch) ? literal(ch) : anyForm(ch))), anyForm('@'), literal(firstDomain)];
  const letters = [...local, firstDomain].filter((ch) => /[a-z0-9]/.test(ch));
  return [
    { render: seq(units), before: 0 },
    { render: escapesOf(letters), before: maxLen },
  ];
}

function idAnchors(value: string): Anchor[] {
  const trimmed = value.trim();
  if (idShape(trimmed) === 'guid') {
    const group = GUID_PARTS.exec(trimmed)![1]!;
    return [{ render: literal(group), before: 0, literal: group }];
  }
  if (/^[a-z0-9]+$/i.test(trimmed)) return [{ render: literal(trimmed), before: 0, literal: trimmed }];
  const units = [...trimmed].map((ch) => (/[a-z0-9]/i.test(ch) ? literal(ch) : oneOf([literal(ch), escapesOf([ch])])));
  return [{ render: seq(units), before: 0 }];
}

/** The separators the phone pattern accepts between digits, in bytes. */
const PHONE_SEP: Render = repeat(oneOf([latin1('[ \\t.\\-/()]|%20|&nbsp;'), literal('\u00a0')]), 0, 3);
/** Upper bound of one separator run of the phone pattern, in code units. */
const PHONE_SEP_MAX = 18;

function phoneAnchors(value: string, region: string | undefined, maxLen: number): Anchor[] {
  const phone = parsePhone(value, region);
  if (!phone) return [];
  const units: Render[] = [];
  [...phone.national].forEach((d, i) => units.push(...(i > 0 ? [PHONE_SEP, literal(d)] : [literal(d)])));
  // The national number ends the match: what comes before it is the prefix.
  const nationalMax = phone.national.length + (phone.national.length - 1) * PHONE_SEP_MAX;
  return [{ render: seq(units), before: Math.max(0, maxLen - nationalMax) }];
}

/** Separators between the parts of a name, in bytes (NAME_SEP in detectors/identifiers.ts). */
const NAME_SEP: Render = repeat(
  oneOf([latin1('\\s|&nbsp;|&#160;|%20|\\+|\\\\u00a0|\\\\u0020|\\\\[nrt]'), ...SPACES.map(literal)]),
  1,
  3,
);

const APOSTROPHES = "'\u2019";

function nameAnchors(value: string, maxLen: number): Anchor[] {
  const tokens = value.normalize('NFC').trim().split(/\s+/);
  const first = [...tokens[0]!];
  const rest = first.slice(1).map((ch) => {
    if (/\p{L}/u.test(ch)) return oneOf([nameLetter(ch), escapesOf([ch, foldDiacritics(ch)])]);
    if (APOSTROPHES.includes(ch)) return oneOf([...APOSTROPHES].map(literal));
    return oneOf([literal(ch), escapesOf([ch])]);
  });
  const head = first[0]!;
  const headLetter = /\p{L}/u.test(head) ? nameLetter(head) : literal(head);
  const headEscaped = escapesOf([head, foldDiacritics(head)]);
  // A name of several tokens written first name first has a separator after the first name
  // (before the middle or the last name): requiring it keeps `Zoey` from anchoring `Zoë Müller`.
  const after = tokens.length > 1 ? [NAME_SEP] : [];
  const anchors: Anchor[] = [
    // The first name written first: the match starts where it does.
    { render: seq([headLetter, ...rest, ...after]), before: 0 },
    { render: seq([headEscaped, ...rest, ...after]), before: 0 },
  ];
  if (tokens.length > 1) {
    // `Last, First`: the comma comes at most the last name (each letter at most 14 code units in
    // any of its forms) and two spaces after the start of the match.
    const lastLength = [...tokens[tokens.length - 1]!].length;
    anchors.push({ render: seq([latin1(','), NAME_SEP, oneOf([headLetter, headEscaped])]), before: Math.min(maxLen, 14 * lastLength + 2) });
  }
  return anchors;
}

export function anchorsFor(identifier: Identifier, maxLen: number, phoneRegion?: string): Anchor[] {
  switch (identifier.kind) {
    case 'email':
      return emailAnchors(identifier.value, maxLen);
    case 'id':
      return idAnchors(identifier.value);
    case 'phone':
      return phoneAnchors(identifier.value, phoneRegion, maxLen);
    case 'name':
      return nameAnchors(identifier.value, maxLen);
  }
}

export function renderAnchor(anchor: Anchor, encoding: ByteEncoding): string {
  return anchor.render(encoding);
}
