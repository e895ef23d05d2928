/**
 * Identifiers read out loud, as call transcripts write them: "zoe dot muller at contoso dot com",
 * "four one five, five five five, oh one one five", "double five", "triple seven", "fifty-five".
 *
 * Everything a language contributes is in a word table (SpokenLanguage); the builders below only
 * combine table entries into patterns, so another language is another table. Patterns are plain
 * regex source (no `u` flag, like the other identifier patterns) with an honest upper bound on
 * their length, because the streaming scanner relies on it.
 *
 * Each spoken pattern also lists how it can start (`first`: its first word, or for a spelled-out
 * run its first two letters). The matcher looks for those cheaply and tries the full pattern only
 * there: tried at every position of a log, the spoken alternatives would slow the whole scan down.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { alternation, escapeRegex, literal, sequence, type Pattern } from './escapes.js';

export interface SpokenLanguage {
  /** Words for each digit 0–9. */
  digits: readonly (readonly string[])[];
  /** 10–19. */
  teens: readonly string[];
  /** Tens by first digit; entries 0 and 1 are unused. */
  tens: readonly string[];
  /** Between a tens word and a unit word (`fifty-five`, `fifty five`). */
  tensJoin: Pattern;
  hundred: readonly string[];
  /** Optional word after hundred (`four hundred and fifteen`). */
  hundredAnd: readonly string[];
  /** "double five" = 55, "triple seven" = 777. */
  double: readonly string[];
  triple: readonly string[];
  /** Spoken names of the characters of e-mail addresses and ids. */
  symbols: Readonly<Record<string, readonly string[]>>;
  /** Words that say a phone number is given with its country code (`plus four four`). */
  plus: readonly string[];
  /** Digit words that are also ordinary words, so they do not count as "another digit follows". */
  fillers: readonly string[];
}

export const ENGLISH: SpokenLanguage = {
  digits: [['zero', 'oh', 'nought'], ['one'], ['two'], ['three'], ['four'], ['five'], ['six'], ['seven'], ['eight'], ['nine']],
  teens: ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'],
  tens: ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'],
  tensJoin: { source: '[ -]', maxLen: 1 },
  hundred: ['hundred'],
  hundredAnd: ['and'],
  double: ['double'],
  triple: ['triple'],
  symbols: {
    '.': ['dot', 'period', 'point'],
    '@': ['at', 'at sign'],
    '-': ['dash', 'hyphen', 'minus'],
    _: ['underscore', 'under score'],
    '+': ['plus'],
  },
  plus: ['plus'],
  fillers: ['oh'],
};

/** A spoken form of one identifier, with how a match can start. */
export interface SpokenPattern extends Pattern {
  /** Regex sources (ASCII, no lookaround, case-insensitive): every match starts with one of them. */
  first: string[];
}

/** Between spoken words: spaces, commas, pauses written as dots or dashes. */
const SEP: Pattern = { source: '[\\s,;.\\u2026\\u2013\\u2014-]{1,4}', maxLen: 4 };
/** Between spelled-out letters (`z-o-e`, `z o e`). */
const LETTER_SEP: Pattern = { source: '[\\s,.-]{1,3}', maxLen: 3 };
/** Letters of the languages the tables cover (the identifier patterns are compiled without `u`). */
const LETTER = 'a-z\\u00c0-\\u024f';
/** Digit groups longer than this are spoken digit by digit (with double and triple) only. */
const MAX_GROUP_FOR_NUMBERS = 4;

function words(list: readonly string[]): Pattern {
  return alternation(list.map((w) => ({ source: w.split(' ').map(escapeRegex).join('\\s{1,2}'), maxLen: w.length + w.split(' ').length })));
}

function join(parts: Pattern[], sep: Pattern = SEP): Pattern {
  return sequence(parts.flatMap((p, i) => (i === 0 ? [p] : [sep, p])));
}

function optional(p: Pattern): Pattern {
  return { source: `(?:${p.source})?`, maxLen: p.maxLen };
}

// ---------------------------------------------------------------- digits

/** All ways to say the digit string `group`, as one pattern. */
function spokenGroup(lang: SpokenLanguage, group: string): Pattern {
  const numbers = group.length <= MAX_GROUP_FOR_NUMBERS;
  const memo = new Map<number, Pattern>();
  const from = (i: number): Pattern => {
    let p = memo.get(i);
    if (!p) {
      p = alternation(tokensAt(lang, group, i, numbers).map(([size, token]) => (i + size === group.length ? token : join([token, from(i + size)]))));
      memo.set(i, p);
    }
    return p;
  };
  return from(0);
}

/** The words that can say the digits starting at `i`: one digit, double, triple, a pair, a hundred. */
function tokensAt(lang: SpokenLanguage, group: string, i: number, numbers: boolean): [number, Pattern][] {
  const d = (k: number) => Number(group[i + k]);
  const left = group.length - i;
  const out: [number, Pattern][] = [[1, words(lang.digits[d(0)]!)]];
  if (left >= 2 && d(0) === d(1)) out.push([2, join([words(lang.double), words(lang.digits[d(0)]!)])]);
  if (left >= 3 && d(0) === d(1) && d(1) === d(2)) out.push([3, join([words(lang.triple), words(lang.digits[d(0)]!)])]);
  if (numbers && left >= 2 && d(0) !== 0) out.push([2, pairWords(lang, d(0), d(1))]);
  if (numbers && left >= 3 && d(0) !== 0) {
    // 400 = "four hundred", 405 = "four hundred (and) five", 415 = "four hundred (and) fifteen".
    const head = join([words(lang.digits[d(0)]!), words(lang.hundred)]);
    if (d(1) === 0 && d(2) === 0) out.push([3, head]);
    else {
      const rest = d(1) === 0 ? words(lang.digits[d(2)]!) : pairWords(lang, d(1), d(2));
      out.push([3, join([head, sequence([optional(sequence([words(lang.hundredAnd), SEP])), rest])])]);
    }
  }
  return out;
}

/** A two-digit number said as a number: "fifteen", "fifty", "fifty-five". */
function pairWords(lang: SpokenLanguage, tensDigit: number, unit: number): Pattern {
  if (tensDigit === 1) return literal(lang.teens[unit]!);
  const tens = literal(lang.tens[tensDigit]!);
  return unit === 0 ? tens : sequence([tens, lang.tensJoin, literal(lang.digits[unit]![0]!)]);
}

/** Every word that can start the saying of digits that begin with `d`, as regex sources. */
function firstWords(lang: SpokenLanguage, d: number): string[] {
  return [...lang.digits[d]!, ...lang.double, ...lang.triple, ...(d === 1 ? lang.teens : d > 1 ? [lang.tens[d]!] : [])].map(wordSource);
}

function wordSource(word: string): string {
  return word.toLowerCase().split(' ').map(escapeRegex).join('\\s{1,2}');
}

/** Digit words that are not also ordinary words: the sign that a longer number goes on. */
function strictDigitWords(lang: SpokenLanguage): string {
  const all = lang.digits.flat().filter((w) => !lang.fillers.includes(w));
  return [...all, ...lang.teens, ...lang.tens.filter(Boolean)].join('|');
}

/** Between the words of one number on one line: a number does not go on across a line break. */
const INLINE_SEP = '[ \\t,;.\\u2026\\u2013\\u2014-]{1,4}';

/**
 * No letter or digit glued on either side. When the value starts (ends) with a digit, also no
 * (non-filler) digit word or digit just before (after) it on the same line: that would be a
 * longer number, not this one.
 */
function bounded(lang: SpokenLanguage, body: Pattern, first: string[], digits: { start: boolean; end: boolean }): SpokenPattern {
  const digitWord = strictDigitWords(lang);
  const left = `(?<![${LETTER}0-9])` + (digits.start ? `(?<!(?<![${LETTER}])(?:${digitWord}|[0-9])${INLINE_SEP})` : '');
  const right = `(?![${LETTER}0-9])` + (digits.end ? `(?!${INLINE_SEP}(?:${digitWord}|[0-9])(?![${LETTER}]))` : '');
  return { source: `${left}(?:${body.source})${right}`, maxLen: body.maxLen, first: [...new Set(first)] };
}

// ---------------------------------------------------------------- phone

function digitGroups(formatted: string): string[] {
  return formatted.split(/\D+/).filter(Boolean);
}

/**
 * "four one five, five five five, oh one one five", "plus four four, seven seven double oh, …".
 * Words for several digits (fifteen, four hundred, double five) stay inside the groups of the
 * number's usual written format; digit by digit, any grouping matches.
 */
export function spokenPhone(value: string, region = 'US', lang: SpokenLanguage = ENGLISH): SpokenPattern | undefined {
  const parsed = parsePhoneNumberFromString(value, region as CountryCode);
  if (!parsed) return undefined;
  const national = digitGroups(parsed.formatNational());
  const international = digitGroups(parsed.formatInternational());
  const body = alternation([
    join(national.map((g) => spokenGroup(lang, g))),
    sequence([optional(sequence([words(lang.plus), SEP])), join(international.map((g) => spokenGroup(lang, g)))]),
  ]);
  const first = [...lang.plus.map(wordSource), ...firstWords(lang, Number(national[0]![0])), ...firstWords(lang, Number(international[0]![0]))];
  return bounded(lang, body, first, { start: true, end: true });
}

// ---------------------------------------------------------------- e-mail and ids

/** A run of letters: as the word, or spelled letter by letter (`m u double l e r`). */
function spokenLetters(lang: SpokenLanguage, run: string): Pattern {
  const spelled: Pattern[] = [];
  for (let i = 0; i < run.length; i++) {
    const ch = literal(run[i]!);
    if (run[i + 1]?.toLowerCase() === run[i]!.toLowerCase()) {
      spelled.push(alternation([join([ch, ch], LETTER_SEP), join([words(lang.double), ch])]));
      i++;
    } else spelled.push(ch);
  }
  const spelledOut = join(spelled, LETTER_SEP);
  return run.length > 1 ? alternation([literal(run), spelledOut]) : spelledOut;
}

/**
 * How a run of letters can start: the word itself, or its first two letters spelled out (a lone
 * letter would be found everywhere: `Z` ends every UTC timestamp), or "double" for a doubled letter.
 */
function firstOfLetters(lang: SpokenLanguage, run: string): string[] {
  const a = escapeRegex(run[0]!.toLowerCase());
  if (run.length === 1) return [a];
  const b = escapeRegex(run[1]!.toLowerCase());
  return [escapeRegex(run.toLowerCase()), `${a}${LETTER_SEP.source}${b}`, ...(a === b ? lang.double.map(wordSource) : [])];
}

/**
 * The characters of `value` as a transcript writes them when it is read out: letter runs as words
 * or spelled, digit runs in words (e-mail addresses also keep numerals), symbols as their names or,
 * glued to their neighbours, as themselves. `@` is always said: written, it is a written address.
 */
function spokenChars(lang: SpokenLanguage, value: string, numerals: boolean): { body: Pattern; first: string[] } {
  const runs = value.match(/[a-z]+|[0-9]+|[^a-z0-9]/gi) ?? [];
  const parts: Pattern[] = [];
  let previousWasWord = false;
  for (const run of runs) {
    if (/^[a-z0-9]/i.test(run)) {
      const token = /^[a-z]/i.test(run)
        ? spokenLetters(lang, run)
        : numerals
          ? alternation([literal(run), spokenGroup(lang, run)])
          : spokenGroup(lang, run);
      // Letters then digits (`muller29`, `CUST48213907`) are two words when read out.
      if (previousWasWord) parts.push(SEP);
      parts.push(token);
      previousWasWord = true;
    } else {
      const names = lang.symbols[run];
      const spoken = names ? sequence([SEP, words(names), SEP]) : literal(run);
      parts.push(run === '@' || !names ? spoken : alternation([spoken, literal(run)]));
      previousWasWord = false;
    }
  }
  const head = runs[0] ?? '';
  const first = /^[a-z]/i.test(head) ? firstOfLetters(lang, head) : [...(numerals ? [escapeRegex(head)] : []), ...firstWords(lang, Number(head[0]))];
  return { body: sequence(parts), first };
}

/** "zoe dot muller at contoso dot com", "zoe.muller at contoso.com", "z o e dot m u double l e r at …". */
export function spokenEmail(value: string, lang: SpokenLanguage = ENGLISH): SpokenPattern {
  const address = value.trim().toLowerCase();
  const { body, first } = spokenChars(lang, address, true);
  const bounds = bounded(lang, body, first, { start: /^[0-9]/.test(address), end: /[0-9]$/.test(address) });
  // Like the written address: no address character glued before, no further domain label after,
  // written (`.au`) or spoken (`dot au`).
  const dot = words(lang.symbols['.'] ?? ['.']);
  return { ...bounds, source: `(?<![._%+@-])${bounds.source}(?![._@+-][a-z0-9])(?!${SEP.source}${dot.source}${SEP.source}[a-z0-9])` };
}

/**
 * Account numbers and short hex ids read out: "C U S T four eight two one three nine oh seven".
 * GUIDs and long ids are not read out loud, and ids without digits are just words.
 */
export function spokenId(value: string, lang: SpokenLanguage = ENGLISH): SpokenPattern | undefined {
  const trimmed = value.trim();
  if (trimmed.length > 24 || !/[0-9]/.test(trimmed)) return undefined;
  const { body, first } = spokenChars(lang, trimmed, false);
  return bounded(lang, body, first, { start: /^[0-9]/.test(trimmed), end: /[0-9]$/.test(trimmed) });
}

/**
 * A regex source for the places where one of these spoken patterns may start: one of their
 * starts, not followed by a letter or digit. It has no lookbehind, so the regex engine can skip
 * through text quickly; the full pattern then decides.
 */
export function spokenStarts(patterns: readonly SpokenPattern[]): string {
  const firsts = [...new Set(patterns.flatMap((p) => p.first))].sort((a, b) => b.length - a.length);
  return `(?:${firsts.join('|')})(?![a-z0-9])`;
}
