/**
 * PHONE_NUMBER: Microsoft's phone-number recognizer (recognizers-text, sequence part) finds them,
 * libphonenumber-js decides whether they can be real. Both load only when detectors are asked for.
 *
 * The recognizer is built anew on every call (the suite exposes no reusable model), so it only
 * sees the stretch of a line that holds phone-shaped digit runs, found first by a cheap regex.
 */
import type { CountryCode } from 'libphonenumber-js';
import type { Found, UnitFinder } from './types.js';

/** Regions whose national formats count as valid when a number has no country code. */
export const DEFAULT_PHONE_REGIONS: readonly CountryCode[] = ['US', 'GB', 'CA', 'AU', 'IE', 'DE', 'FR', 'NL', 'ES', 'IT', 'IN'];

/** Phone-shaped: 7 to 15 digits with spaces, dots, dashes, slashes or brackets between them. */
const CANDIDATE = /(?<![\w+.\/:%-])(?:\+|\b00)?\(?\d[\d \t().\/-]{5,24}\d(?![\w])/g;
/** Digit runs that look like a phone number but are dates, times, versions or addresses. */
const NOT_PHONE = [
  /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\D|$)/, // 2026-03-02
  /^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$/, // 03/02/2026
  /^\d{1,3}(?:\.\d{1,3}){3}$/, // 10.0.0.1
  /^\d+(?:\.\d+){3,}$/, // 1.2.3.4.5 versions (three parts, 206.555.0199, is a US number)
  /^(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:\D|$)/, // 20260301-0042: ids that start with a date
  /^(?:19|20)\d\d-\d{4,}$/, // 2026-000341: year and serial number
];
/** Format score of a valid international number that only the candidate pattern found. */
const INTERNATIONAL_SCORE = 0.9;
/** Share of the recognizer's format score that a number gets without context words. */
const FORMAT_WEIGHT = 0.75;
/** How much text before a candidate the recognizer sees (it rejects e.g. `x:` and `-` prefixes). */
const BEFORE = 24;

/** Words that say digits are a phone number. Not "number" or "contact": order numbers and contact ids. */
export const PHONE_CONTEXT = ['phone', 'tel', 'telephone', 'mobile', 'cell', 'call', 'fax', 'reach', 'whatsapp', 'sms', 'text', 'ph', 'mob', 'landline', 'dial', 'callback'];

interface Recognized {
  start: number;
  end: number;
  text: string;
  resolution?: { score?: string };
}

type Recognize = (text: string, culture: string) => Recognized[];

/** What stands before a status code and a size in a web-server access log line. */
const AFTER_REQUEST_LINE = /HTTP\/[\d.]+"\s$/;

/** A line of a hex dump (crash logs, memory dumps): groups of two digits there are bytes. */
const HEX_DUMP = /(?:(?<![\w:])[0-9a-f]{2}[ \t]){8}/i;

function candidates(unit: string): [number, number][] {
  const out: [number, number][] = [];
  if (HEX_DUMP.test(unit)) return out;
  CANDIDATE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CANDIDATE.exec(unit)) !== null) {
    const digits = m[0].replace(/\D/g, '').length;
    if (digits < 7 || digits > 15 || NOT_PHONE.some((re) => re.test(m![0]))) continue;
    // `"GET / HTTP/1.1" 200 38741`: status and response size.
    if (AFTER_REQUEST_LINE.test(unit.slice(Math.max(0, m.index - 16), m.index))) continue;
    out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

/**
 * Valid (true), possible but not valid (weak), or not a phone number of any of `regions`.
 * A number written without separators is at best weak: in logs such runs are ids and counters.
 */
export function validatePhone(
  text: string,
  parse: (text: string, region?: CountryCode) => { isValid(): boolean; isPossible(): boolean } | undefined,
  regions: readonly CountryCode[] = DEFAULT_PHONE_REGIONS,
): boolean | 'weak' {
  const international = /^\s*(?:\+|00|011)/.test(text);
  const attempts = international ? [parse(text.replace(/^\s*(?:00|011)/, '+'))] : regions.map((r) => parse(text, r));
  const valid = attempts.some((p) => p?.isValid());
  const possible = valid || attempts.some((p) => p?.isPossible());
  if (!possible) return false;
  const bare = /^\d+$/.test(text.trim());
  return valid && !bare ? true : 'weak';
}

export async function loadPhoneFinder(regions: readonly CountryCode[] = DEFAULT_PHONE_REGIONS): Promise<UnitFinder> {
  const suite = await import('@microsoft/recognizers-text-suite');
  const { parsePhoneNumberFromString } = await import('libphonenumber-js');
  const recognize: Recognize = (text, culture) => suite.recognizePhoneNumber(text, culture) as unknown as Recognized[];
  const parse = (text: string, region?: CountryCode) => parsePhoneNumberFromString(text, region);
  return {
    type: 'PHONE_NUMBER',
    name: 'phone',
    context: PHONE_CONTEXT,
    find(unit: string): Found[] {
      const spots = candidates(unit);
      if (spots.length === 0) return [];
      // One recognizer call for the stretch of the line that holds all candidates.
      const from = Math.max(0, spots[0]![0] - BEFORE);
      const to = Math.min(unit.length, spots[spots.length - 1]![1] + 2);
      // The recognizer refuses a number right after a comma (lists of amounts); in CSV rows and
      // SQL tuples that comma is a field separator: it sees a semicolon there instead.
      const chars = unit.slice(from, to).split('');
      for (const [s] of spots) if (unit[s - 1] === ',' && s - 1 >= from) chars[s - 1 - from] = ';';
      const found: Found[] = [];
      for (const r of recognize(chars.join(''), suite.Culture.English)) {
        const start = from + r.start;
        const end = from + r.end + 1; // the recognizer's end is inclusive
        // Only numbers that start inside a candidate: the window also holds digit runs the
        // candidates ruled out (`fd:01 101303948`, an inode after a device number).
        if (!spots.some(([s, e]) => s <= start && start < e)) continue;
        const verdict = validatePhone(r.text, parse, regions);
        if (verdict === false) continue;
        // The recognizer scores the format; whether the digits are a phone number at all and not
        // an id or an amount, context words say (they add CONTEXT_BOOST).
        const score = FORMAT_WEIGHT * Number(r.resolution?.score ?? 0.5);
        found.push({ start, end, score: verdict === 'weak' ? score / 2 : score });
      }
      // Numbers in international format the recognizer's patterns do not cover (`+61 2 9876 5432`):
      // the plus sign and the numbering plan are evidence enough when the number is valid.
      for (const [s, e] of spots) {
        if (!/^(?:\+|00)/.test(unit.slice(s, e)) || found.some((f) => f.start < e && s < f.end)) continue;
        if (validatePhone(unit.slice(s, e), parse, regions) === true) found.push({ start: s, end: e, score: FORMAT_WEIGHT * INTERNATIONAL_SCORE });
      }
      return found.sort((a, b) => a.start - b.start);
    },
    normalize(value: string): string {
      const international = /^\s*(?:\+|00|011)/.test(value);
      const parsed = international ? parse(value.replace(/^\s*(?:00|011)/, '+')) : regions.map((r) => parse(value, r)).find((p) => p?.isValid());
      return parsed?.number ?? value.replace(/\D/g, '');
    },
  };
}
