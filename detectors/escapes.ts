/**
 * The encodings a single character takes in support artifacts: JSON `\u0040`, URL `%40`,
 * HTML `&#64;` / `&#x40;` / `&commat;`. Each function returns regex *source* (no flags
 * assumed except `i`) together with an upper bound of the text length it can match, because
 * the streaming scanner needs to know how far a match can reach across a read boundary.
 */

export interface Pattern {
  source: string;
  /** Upper bound on the number of UTF-16 code units one match of `source` can span. */
  maxLen: number;
}

export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

export function alternation(options: Pattern[]): Pattern {
  const unique = [...new Map(options.map((o) => [o.source, o])).values()];
  if (unique.length === 1) return unique[0]!;
  return {
    source: `(?:${unique.map((o) => o.source).join('|')})`,
    maxLen: Math.max(...unique.map((o) => o.maxLen)),
  };
}

export function sequence(parts: Pattern[]): Pattern {
  return {
    source: parts.map((p) => p.source).join(''),
    maxLen: parts.reduce((sum, p) => sum + p.maxLen, 0),
  };
}

export function literal(text: string): Pattern {
  return { source: escapeRegex(text), maxLen: text.length };
}

/** Named HTML entities worth knowing for the characters of e-mail addresses, names and ids. */
const NAMED_ENTITIES: Record<string, string[]> = {
  '@': ['commat'],
  '.': ['period'],
  _: ['lowbar'],
  '+': ['plus'],
  '-': ['dash', 'hyphen'],
  "'": ['apos'],
  '\u2019': ['rsquo'],
  ' ': ['nbsp'],
  '&': ['amp'],
  '(': ['lpar'],
  ')': ['rpar'],
  '/': ['sol'],
  ':': ['colon'],
  ß: ['szlig'],
  æ: ['aelig'],
  ø: ['oslash'],
  œ: ['oelig'],
  ð: ['eth'],
  þ: ['thorn'],
};

/** Combining marks with an HTML entity suffix: `ë` is `&euml;`, `é` is `&eacute;`. */
const MARK_ENTITY_SUFFIX: Record<string, string> = {
  '\u0300': 'grave',
  '\u0301': 'acute',
  '\u0302': 'circ',
  '\u0303': 'tilde',
  '\u0308': 'uml',
  '\u030a': 'ring',
  '\u0327': 'cedil',
  '\u030c': 'caron',
};

export function namedEntities(ch: string): string[] {
  const lower = ch.toLowerCase();
  const names = [...(NAMED_ENTITIES[lower] ?? [])];
  const nfd = lower.normalize('NFD');
  if (nfd.length === 2) {
    const suffix = MARK_ENTITY_SUFFIX[nfd[1]!];
    if (suffix) names.push(nfd[0] + suffix);
  }
  return names;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/**
 * Every escaped writing of one character, letter case included (`\u0041` and `\u0061` for `a`,
 * since a JSON writer may have escaped either). Literal forms are not included.
 */
export function escapedForms(ch: string): Pattern[] {
  const forms: Pattern[] = [];
  const cases = [...new Set([ch, ch.toLowerCase(), ch.toUpperCase()])].filter((c) => [...c].length === 1);
  for (const c of cases) {
    const cp = c.codePointAt(0)!;
    if (cp <= 0xffff) forms.push({ source: `\\\\u${hex(cp, 4)}`, maxLen: 6 });
    // URL: percent-encoded UTF-8 bytes. Space is also `+` in form encoding.
    const bytes = Buffer.from(c, 'utf8');
    forms.push({ source: [...bytes].map((b) => `%${hex(b, 2)}`).join(''), maxLen: bytes.length * 3 });
    // HTML numeric references, decimal and hex, with the leading zeros some encoders emit.
    forms.push({ source: `&#0{0,4}${cp};`, maxLen: 4 + 4 + String(cp).length });
    forms.push({ source: `&#x0{0,4}${cp.toString(16)};`, maxLen: 5 + 4 + cp.toString(16).length });
  }
  if (ch === ' ') forms.push({ source: '\\+', maxLen: 1 });
  if (ch === '/') forms.push({ source: '\\\\/', maxLen: 2 });
  for (const name of namedEntities(ch)) forms.push({ source: `&${name};`, maxLen: name.length + 2 });
  return forms;
}

/** One character: literally (any case, thanks to the `i` flag) or in any escaped writing. */
export function anyForm(ch: string): Pattern {
  return alternation([literal(ch), ...escapedForms(ch)]);
}

/**
 * Text that may precede an identifier even though its last character is a letter or digit:
 * the end of an escape sequence (`mailto%3Azoe`, `"\nZoë"`, `&lt;zoe`).
 */
export const AFTER_ESCAPE = '(?<=\\\\[nrtbf]|\\\\u[0-9a-f]{4}|&#?[a-z0-9]{1,10};|%[0-9a-f]{2})';

/** How far any lookbehind used by the identifier patterns reaches back. */
export const MAX_LOOKBEHIND = 16;
/** How far any lookahead used by the identifier patterns reaches forward. */
export const MAX_LOOKAHEAD = 16;
