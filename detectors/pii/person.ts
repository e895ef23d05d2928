/**
 * PERSON from compromise (the people() match over its tagger), loaded only when detectors are
 * asked for, and kept away from what logs and code are full of: log levels, camelCase and
 * PascalCase names, words inside paths, URLs and keys, product names. Beside the tagger, two
 * rules that need its name lexicon: transcript speaker labels and name fields of CSV/SQL rows.
 * Rules without the lexicon (names after labels and greetings) live with the specs (specs.ts).
 */
import { plainView } from './plain-view.js';
import { NOT_PEOPLE, notAnOrganisation } from './specs.js';
import type { Found, UnitFinder } from './types.js';

/** Tags of compromise's lexicon that make a word worth running the tagger for. */
const NAME_TAGS = new Set(['MaleName', 'FemaleName', 'FirstName', 'LastName', 'Person', 'Honorific']);

/** A capitalised word: the tagger is only run on units that hold one from the name lexicon. */
const TITLE_WORD = /(?<![\p{L}\p{N}_])\p{Lu}[\p{Ll}\p{M}'’]+/gu;

const HONORIFIC = /^(?:(?:mr|mrs|ms|miss|mx|dr|prof|sir|madam|dame|lord|lady|rev|fr)\.?\s+)+/i;
const TRAILING = /(?:['’]s)?[\s.,;:!?'"’)\]]+$|['’]s$/;
const LEADING = /^[\s'"‘“(\[]+/;

/** Prefixes that put a capital inside a real surname: McDonald, MacArthur, O'Brien, DeAngelo, VanDyke. */
const INNER_CAPITAL_OK = /^(?:Mc|Mac|O['’]|D['’]|De|Di|Da|Du|La|Le|Van|Von)\p{Lu}\p{Ll}/u;

/** Why a span the tagger calls a person is not one, or undefined when it may be one. */
export function notAPerson(unit: string, start: number, end: number): string | undefined {
  const text = unit.slice(start, end);
  if (text.length < 2) return 'too short';
  if (/[\d_@/\\=<>#{}|$%&*+~^]/.test(text)) return 'code or path characters';
  const tokens = text.split(/\s+/);
  if (tokens.some((t) => !/^\p{Lu}[\p{L}\p{M}'’.-]*$/u.test(t))) return 'a word not capitalised';
  if (tokens.length === 1 && text === text.toUpperCase()) return 'one word in capitals (a log level, a constant)';
  if (tokens.some((t) => /\p{Ll}\p{Lu}/u.test(t) && !INNER_CAPITAL_OK.test(t))) return 'camelCase or PascalCase';
  if (tokens.some((t) => /\.\p{L}/u.test(t))) return 'dotted name (package, file, host)';
  if (tokens.every((t) => NOT_PEOPLE.has(t.toLowerCase().replace(/[.'’]/g, '')))) return 'a product, weekday or month';
  const before = unit[start - 1] ?? ' ';
  const after = unit.slice(end, end + 2);
  if (/[/\\@.=_#$%&?+]/.test(before)) return 'inside a path, key or address';
  if (/^[/\\@_(=][\p{L}\d]|^\.[\p{Ll}\d]/u.test(after)) return 'followed by a path, call or extension';
  return undefined;
}

/**
 * First names that the tagger's lexicon files under another word class (a month, a verb). Only
 * used where a field holds nothing but a name (`Jan Kowalski` in a CSV row), never in prose.
 */
const FIELD_FIRST_NAMES = new Set(['jan', 'may', 'june', 'april', 'august', 'will', 'mark', 'bill', 'grant', 'jack', 'frank', 'rose', 'dawn', 'hope', 'joy', 'art', 'carol', 'ray']);

/** A capitalised name word: `Chen`, `O'Brien`, `Jean-Luc`, `Müllerová` (an apostrophe only between letters). */
const WORD = String.raw`\p{Lu}[\p{Ll}\p{M}]{0,20}(?:['’-]\p{Lu}?[\p{Ll}\p{M}]{1,20})?`;
const CAPS_WORD = String.raw`\p{Lu}[\p{Lu}\p{M}]{0,20}(?:['’-]\p{Lu}[\p{Lu}\p{M}]{0,20})?`;
/** `Ava Chen:`, `AVA CHEN:` or `[16:40] Ava Chen:` starting a line of a transcript or chat. */
const SPEAKER = new RegExp(String.raw`(?<=(?<![^\n])[ \t]{0,3}(?:\[[\d:.,/ -]{4,24}\][ \t]{1,3})?)(?:${WORD}(?:[ \t]${WORD}){0,2}|${CAPS_WORD}(?:[ \t]${CAPS_WORD}){0,2})(?=[ \t]?:[ \t])`, 'gu');
/** A delimited field (CSV, SQL tuple) that holds two or three capitalised words and nothing else. */
const FIELD = new RegExp(String.raw`(?<=(?<![^,;\t|(\n])[ \t]{0,2}["']?)${WORD}(?: ${WORD}){1,2}(?=["']?[ \t]{0,2}(?:[,;\t|)\r\n]|(?![\s\S])))`, 'gu');
/** The same, in quotes (SQL tuples, quoted CSV): `'Jan Kowalski'`. */
const QUOTED_FIELD = new RegExp(String.raw`(?<=(?<![^,;\t|(\n])[ \t]{0,2}["'])${WORD}(?: ${WORD}){1,2}(?=["'][ \t]{0,2}(?:[,;\t|)\r\n]|(?![\s\S])))`, 'gu');
/** A row of delimited data: two or more of the same separator. */
const DELIMITED = /(?:[^,\n]*,){2}|(?:[^\t\n]*\t){2}|(?:[^;\n]*;){2}|(?:[^|\n]*\|){2}/;
/** A greeting is not a first name, even in a field of its own (`Hi Sarah,`). */
const GREETING = /^(?:Hi|Hello|Dear|Hey|Thanks|Thank|Regards|Cheers|Best|Kind|Good|Morning|Evening)$/;
/** A quoted field `"Chen, Ava"`: family name, comma, given name. */
const LAST_FIRST_FIELD = new RegExp(String.raw`(?<=(?<![^,;\t|(\n])[ \t]{0,2}["'])${WORD}, ${WORD}(?=["'])`, 'gu');

/** Matches of `re` in `unit` whose words include a known name and no organisation word. */
function byLexicon(unit: string, re: RegExp, isName: (word: string) => boolean, score: number): Found[] {
  const found: Found[] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(unit)) !== null) {
    const words = m[0].split(/[\s,]+/).filter(Boolean);
    if (words.some(isName) && !GREETING.test(words[0]!) && notAnOrganisation(m[0])) found.push({ start: m.index, end: m.index + m[0].length, score });
  }
  return found;
}

/** Honorifics, quotes, possessives and punctuation around a name are not part of it. */
function tidy(unit: string, start: number, end: number): [number, number] {
  let text = unit.slice(start, end);
  const lead = LEADING.exec(text)?.[0].length ?? 0;
  text = text.slice(lead);
  const honorific = HONORIFIC.exec(text)?.[0].length ?? 0;
  text = text.slice(honorific);
  const trail = TRAILING.exec(text)?.[0].length ?? 0;
  const s = start + lead + honorific;
  return [s, s + text.length - trail];
}

export async function loadPersonFinder(): Promise<UnitFinder> {
  // The tagger of compromise/two with the matching of three's people() (topics/people/find.js):
  // three's extra analyses (chunks, coreference) cost three times as much and change no #Person tag.
  const nlp = (await import('compromise/two')).default;
  const lexicon = (nlp.model() as { one: { lexicon: Record<string, string | string[]> } }).one.lexicon;
  const names = new Set<string>();
  for (const [word, tags] of Object.entries(lexicon)) {
    if ((Array.isArray(tags) ? tags : [tags]).some((t) => NAME_TAGS.has(t))) names.add(word);
  }
  // `Zoë` is looked up as `zoe`, `Müller` as `muller`.
  const fold = (word: string) => word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/['’]s$/, '');
  const isName = (word: string) => names.has(fold(word));
  const isFieldName = (word: string) => isName(word) || FIELD_FIRST_NAMES.has(fold(word));
  const worthTagging = (unit: string): boolean => {
    TITLE_WORD.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = TITLE_WORD.exec(unit)) !== null) if (isName(m[0])) return true;
    return false;
  };
  return {
    type: 'PERSON',
    name: 'person',
    find(unit: string): Found[] {
      const found: Found[] = [...byLexicon(unit, SPEAKER, isName, 0.8), ...byLexicon(unit, LAST_FIRST_FIELD, isFieldName, 0.75)];
      // Bare fields only in delimited rows (CSV, TSV, SQL tuples); quoted ones anywhere.
      found.push(...byLexicon(unit, DELIMITED.test(unit) ? FIELD : QUOTED_FIELD, isFieldName, 0.75));
      // The tagger reads markup and escapes decoded (`<cite>Zo&euml; M&uuml;ller</cite>`).
      const view = plainView(unit);
      if (!worthTagging(view.text)) return found;
      const doc = nlp(view.text).splitAfter('@hasComma').match('#Honorific+? #Person+');
      const people = doc.splitAfter(doc.match('#Possessive').ifNo('(his|her)')).json({ offset: true }) as { offset: { start: number; length: number } }[];
      for (const { offset } of people) {
        // A name does not run on over a line break (or a tag, which the view made one).
        const raw = view.text.slice(offset.start, offset.start + offset.length);
        const cut = raw.indexOf('\n', raw.search(/\S/));
        const [start, end] = tidy(view.text, offset.start, offset.start + (cut > 0 ? cut : raw.length));
        if (end <= start || notAPerson(view.text, start, end)) continue;
        found.push({ start: view.start[start]!, end: view.end[end - 1]!, score: /\s/.test(view.text.slice(start, end)) ? 0.85 : 0.7 });
      }
      return found;
    },
    normalize: (value) => plainView(value).text.normalize('NFC').toLowerCase().replace(/\s+/g, ' '),
  };
}
