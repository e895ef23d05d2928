/**
 * Supplied identifiers → regex patterns that match every written form of exactly that identifier
 * and nothing else. One builder per kind; each states its token boundaries, which is what keeps
 * near misses (`contoso.com.au`, `Doel`, a longer digit run) out.
 */
import { parsePhoneNumberFromString, Metadata, type CountryCode } from 'libphonenumber-js';
import type { Identifier, IdentifierKind } from '../src/types.js';
import {
  AFTER_ESCAPE,
  alternation,
  anyForm,
  escapedForms,
  escapeRegex,
  literal,
  sequence,
  type Pattern,
} from './escapes.js';
import { baseLetter, foldDiacritics, letterVariants } from './latin-letters.js';
import { spokenEmail, spokenId, spokenPhone, type SpokenPattern } from './spoken.js';

export interface IdentifierPattern extends Pattern {
  identifier: Identifier;
  /** The identifier read out in words, as call transcripts write it (variant `spoken`). */
  spoken?: SpokenPattern;
}

export interface BuildOptions {
  /** Region for phone numbers written without a country code (ISO 3166 alpha-2). */
  phoneRegion?: string;
  /** Also match e-mail addresses, phone numbers and ids read out in words (default true). */
  spoken?: boolean;
}

export function buildPattern(identifier: Identifier, options: BuildOptions = {}): IdentifierPattern {
  const written = BUILDERS[identifier.kind](identifier.value, options);
  const spoken = options.spoken === false ? undefined : spokenPattern(identifier, options);
  return { ...written, identifier, ...(spoken ? { spoken } : {}) };
}

/** The identifier as a call transcript writes it when it was read out (detectors/spoken.ts). */
function spokenPattern(identifier: Identifier, options: BuildOptions): SpokenPattern | undefined {
  switch (identifier.kind) {
    case 'email':
      return spokenEmail(identifier.value);
    case 'phone':
      return spokenPhone(identifier.value, options.phoneRegion);
    case 'id':
      return idShape(identifier.value.trim()) === 'guid' ? undefined : spokenId(identifier.value);
    case 'name':
      return undefined;
  }
}

const BUILDERS: Record<IdentifierKind, (value: string, options: BuildOptions) => Pattern> = {
  email: emailPattern,
  phone: phonePattern,
  name: namePattern,
  id: idPattern,
};

function bounded(left: string, body: Pattern, right: string): Pattern {
  return { source: `${left}${body.source}${right}`, maxLen: body.maxLen };
}

// ---------------------------------------------------------------- e-mail

const EMAIL_CHAR = 'a-z0-9._%+\\-';
const DOT_ANY = anyForm('.').source;

export function emailPattern(value: string): Pattern {
  const body = sequence([...value.trim().toLowerCase()].map(anyForm));
  // Not preceded by a local-part character (`xzoe@…` is someone else), unless that character
  // ends an escape (`mailto%3Azoe@…`). Not followed by more domain (`.com.au`, `.company`).
  const left = `(?:(?<![${EMAIL_CHAR}])|${AFTER_ESCAPE})`;
  const right = `(?![a-z0-9_\\-])(?!${DOT_ANY}[a-z0-9])`;
  return bounded(left, body, right);
}

// ---------------------------------------------------------------- phone

/** Between two digits: spaces, dots, hyphens, slashes, brackets, also URL/HTML-escaped spaces. */
const PHONE_SEP: Pattern = { source: '(?:[ \\t\\u00a0.\\-/()]|%20|&nbsp;){0,3}', maxLen: 3 * 6 };
const PLUS: Pattern = alternation([literal('+'), ...escapedForms('+')]);
const EXIT_CODE: Pattern = { source: '(?:00|011)', maxLen: 3 };

function digitRun(digits: string): Pattern {
  const parts: Pattern[] = [];
  [...digits].forEach((d, i) => {
    if (i > 0) parts.push(PHONE_SEP);
    parts.push(literal(d));
  });
  return sequence(parts);
}

export function parsePhone(value: string, region?: string) {
  const parsed = parsePhoneNumberFromString(value, (region ?? 'US') as CountryCode);
  if (!parsed) return undefined;
  const metadata = new Metadata();
  metadata.selectNumberingPlan((parsed.country ?? parsed.countryCallingCode) as CountryCode);
  // nationalPrefix() exists at run time but is missing from the package's type declarations.
  const plan = metadata.numberingPlan as unknown as { nationalPrefix(): string | undefined } | undefined;
  const trunk = plan?.nationalPrefix() ?? '';
  // possible: a length the numbering plan allows (a digit too many is a typo, not a number).
  return { countryCode: parsed.countryCallingCode, national: parsed.nationalNumber, trunk, possible: parsed.isPossible() };
}

export function phonePattern(value: string, options: BuildOptions = {}): Pattern {
  const phone = parsePhone(value, options.phoneRegion);
  if (!phone) throw new Error('not a phone number');
  const national = digitRun(phone.national);
  const openBracket: Pattern = { source: '\\(?', maxLen: 1 };
  // +44 7700 900968, 0044 7700 900968, +44 (0)7700 900968, +1 (415) 555-0115, 001 415 555 0115
  const international = sequence([
    alternation([PLUS, EXIT_CODE]),
    PHONE_SEP,
    digitRun(phone.countryCode),
    PHONE_SEP,
    phone.trunk ? { source: `(?:\\(${escapeRegex(phone.trunk)}\\)${PHONE_SEP.source})?`, maxLen: 3 + PHONE_SEP.maxLen } : literal(''),
    openBracket,
    national,
  ]);
  // 07700 900968, (415) 555-0115, 1-415-555-0115, 4155550115
  const trunk = phone.trunk
    ? { source: `(?:\\(?${escapeRegex(phone.trunk)}\\)?${PHONE_SEP.source})?`, maxLen: phone.trunk.length + 2 + PHONE_SEP.maxLen }
    : literal('');
  const domestic = sequence([trunk, openBracket, national]);
  // Never part of a longer digit run; `+` so that `+1 415…` is not matched again from the `1`.
  const left = '(?<![0-9+])(?<![0-9][.\\-])';
  const right = '(?![0-9])';
  return bounded(left, alternation([international, domestic]), right);
}

// ---------------------------------------------------------------- name

const LETTER = 'a-z\\u00c0-\\u024f';
const MARKS = '[\\u0300-\\u036f]{0,3}';

/** A letter with or without diacritics, precomposed or decomposed, literal or escaped. */
function nameLetter(ch: string): Pattern {
  if (!/\p{L}/u.test(ch)) return anyForm(ch);
  const base = baseLetter(ch);
  const variants = letterVariants(ch);
  const cls: Pattern = { source: `[${escapeRegex(variants)}]${MARKS}`, maxLen: 1 + 3 };
  const entity: Pattern = /[a-z]/i.test(base)
    ? { source: `&${escapeRegex(base)}(?:grave|acute|circ|tilde|uml|ring|cedil|caron);`, maxLen: base.length + 7 }
    : literal(ch);
  const escapes = [...escapedForms(ch), ...(base !== ch ? escapedForms(base) : [])];
  return alternation([cls, entity, ...escapes]);
}

const NAME_SEP: Pattern = {
  source: '(?:[\\s\\u00a0]|&nbsp;|&#160;|%20|\\+|\\\\u00a0|\\\\u0020|\\\\[nrt]){1,3}',
  maxLen: 3 * 6,
};
const APOSTROPHES: Record<string, string> = { "'": "['\u2019]", '\u2019': "['\u2019]" };

function nameToken(token: string): Pattern {
  return sequence(
    [...token].map((ch) => (APOSTROPHES[ch] ? { source: APOSTROPHES[ch]!, maxLen: 1 } : nameLetter(ch))),
  );
}

function initial(token: string): Pattern {
  return sequence([nameLetter([...token][0]!), { source: '\\.?', maxLen: 1 }]);
}

/** An unknown middle initial: one letter, optionally with a dot, standing alone. */
const ANY_INITIAL: Pattern = { source: `[${LETTER}]\\.?(?![${LETTER}])`, maxLen: 2 };

export function namePattern(value: string): Pattern {
  const tokens = value.normalize('NFC').trim().split(/\s+/);
  if (tokens.length === 0 || tokens[0] === '') throw new Error('empty name');
  const first = nameToken(tokens[0]!);
  let body: Pattern;
  if (tokens.length === 1) {
    body = first;
  } else {
    const last = nameToken(tokens[tokens.length - 1]!);
    const middles = tokens.slice(1, -1);
    const middle: Pattern = middles.length
      ? alternation([sequence(middles.flatMap((m) => [NAME_SEP, nameToken(m)])), sequence(middles.flatMap((m) => [NAME_SEP, initial(m)]))])
      : sequence([NAME_SEP, ANY_INITIAL]);
    const optionalMiddle: Pattern = { source: `(?:${middle.source})?`, maxLen: middle.maxLen };
    const comma: Pattern = { source: '\\s{0,2},', maxLen: 3 };
    body = alternation([
      sequence([first, optionalMiddle, NAME_SEP, last]),
      sequence([last, comma, NAME_SEP, first, optionalMiddle]),
    ]);
  }
  const left = `(?:(?<![${LETTER}\\u0300-\\u036f])|${AFTER_ESCAPE})`;
  // Not followed by more letters, literal or escaped (`Müllers`, `M\u00fcller\u00e9`).
  const right = `(?![${LETTER}\\u0300-\\u036f])(?!\\\\u00[c-f][0-9a-f]|&[a-z](?:grave|acute|circ|tilde|uml|ring|cedil|caron);)`;
  return bounded(left, body, right);
}

// ---------------------------------------------------------------- id

export const GUID_PARTS = /^\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

export type IdShape = 'numeric' | 'hex' | 'guid' | 'token';

export function idShape(value: string): IdShape {
  if (GUID_PARTS.test(value)) return 'guid';
  if (/^[0-9]+$/.test(value)) return 'numeric';
  if (/^[0-9a-f]+$/i.test(value)) return 'hex';
  return 'token';
}

function idChars(value: string): Pattern {
  return sequence([...value].map((ch) => (/[a-z0-9]/i.test(ch) ? literal(ch) : anyForm(ch))));
}

export function idPattern(value: string): Pattern {
  const trimmed = value.trim();
  switch (idShape(trimmed)) {
    case 'guid': {
      const groups = GUID_PARTS.exec(trimmed)!.slice(1);
      const body: Pattern = {
        source: groups.map(escapeRegex).join('-?'),
        maxLen: 36,
      };
      return bounded('(?<![0-9a-f])(?<![0-9a-f]-)', body, '(?![0-9a-f])(?!-[0-9a-f])');
    }
    case 'numeric':
      // A numeric id glued to letters (`CUST48213907`) counts; inside a longer digit run it does not.
      return bounded('(?<![0-9])', literal(trimmed), '(?![0-9])');
    case 'hex':
      return bounded('(?<![0-9a-f])', literal(trimmed), '(?![0-9a-f])');
    case 'token':
      return bounded('(?<![a-z0-9])', idChars(trimmed), '(?![a-z0-9])');
  }
}

// ---------------------------------------------------------------- variants

const JSON_ESCAPE = /\\u[0-9a-f]{4}|\\\//i;
const URL_ESCAPE = /%[0-9a-f]{2}/i;
const HTML_ESCAPE = /&(?:#x?[0-9a-f]+|[a-z]+);/i;

const NAMED_DECODE: Record<string, string> = {
  commat: '@', period: '.', lowbar: '_', plus: '+', dash: '-', hyphen: '-', apos: "'", rsquo: '\u2019',
  nbsp: ' ', amp: '&', lpar: '(', rpar: ')', sol: '/', colon: ':', szlig: 'ß', aelig: 'æ', oslash: 'ø',
  oelig: 'œ', eth: 'ð', thorn: 'þ',
};
const MARK_BY_SUFFIX: Record<string, string> = {
  grave: '\u0300', acute: '\u0301', circ: '\u0302', tilde: '\u0303', uml: '\u0308', ring: '\u030a',
  cedil: '\u0327', caron: '\u030c',
};

/** Undo the escapes the patterns accept, to see which plain form was written. */
export function unescapeForms(text: string): string {
  let out = text.replace(/\\u([0-9a-f]{4})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  out = out.replace(/\\\//g, '/');
  out = out.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)));
  out = out.replace(/&#([0-9]+);/g, (_, d: string) => String.fromCodePoint(parseInt(d, 10)));
  out = out.replace(/&([a-z]+);/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (NAMED_DECODE[lower]) return NAMED_DECODE[lower]!;
    const m = /^([a-z])(grave|acute|circ|tilde|uml|ring|cedil|caron)$/i.exec(name);
    return m ? (m[1]! + MARK_BY_SUFFIX[m[2]!.toLowerCase()]!).normalize('NFC') : whole;
  });
  out = out.replace(/(?:%[0-9a-f]{2})+/gi, (seq) => {
    try {
      return decodeURIComponent(seq);
    } catch {
      return seq;
    }
  });
  return out;
}

/**
 * Name the form a match was written in, e.g. `exact`, `case`, `url-encoded`, `last-first+no-diacritics`.
 * Cheap enough for the hot path because it only runs on matches.
 */
export function classifyVariant(identifier: Identifier, matched: string): string {
  const tags: string[] = [];
  if (JSON_ESCAPE.test(matched)) tags.push('json-escaped');
  if (URL_ESCAPE.test(matched)) tags.push('url-encoded');
  if (HTML_ESCAPE.test(matched)) tags.push('html-escaped');
  const plain = unescapeForms(matched);
  const value = identifier.value.trim();
  switch (identifier.kind) {
    case 'email':
      if (plain !== value) tags.push('case');
      break;
    case 'phone': {
      const compact = plain.replace(/[^0-9+]/g, '');
      if (compact.startsWith('+') || /^(00|011)/.test(compact)) tags.push('international');
      else tags.push('national');
      if (/^[+0-9]+$/.test(plain)) tags.push('unformatted');
      break;
    }
    case 'name': {
      const nfc = plain.normalize('NFC');
      if (plain !== nfc) tags.push('nfd');
      if (nfc.includes(',')) tags.push('last-first');
      const words = nfc.replace(',', ' ').split(/\s+/).filter(Boolean);
      if (words.length > value.split(/\s+/).length) tags.push('middle-initial');
      const sameLetters = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
      const wanted = value.normalize('NFC').split(/\s+/);
      const got = nfc.includes(',') ? [...words.slice(1), words[0]!] : words;
      const firstLast = (w: string[]) => [w[0]!, w[w.length - 1]!].join(' ');
      const a = firstLast(got);
      const b = firstLast(wanted);
      if (!sameLetters(a, b)) tags.push(foldDiacritics(a).toLowerCase() === foldDiacritics(b).toLowerCase() ? 'diacritics' : 'other');
      else if (a !== b) tags.push('case');
      break;
    }
    case 'id': {
      const shape = idShape(value);
      if (shape === 'guid' && !plain.includes('-')) tags.push('no-hyphens');
      const canon = (s: string) => s.replace(/[{}-]/g, '');
      if (canon(plain) !== canon(value)) tags.push('case');
      break;
    }
  }
  return tags.length ? tags.join('+') : 'exact';
}
