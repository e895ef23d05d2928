/**
 * Checksums and structural checks that turn a pattern match into a confirmed entity. Each takes
 * the matched text and says whether it is what the pattern claims (see Verdict).
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Verdict } from './types.js';

const digitsOf = (text: string): number[] => [...text.replace(/\D/g, '')].map(Number);

/** Luhn mod 10 (payment cards). */
export function luhn(text: string): boolean {
  const digits = digitsOf(text);
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits[digits.length - 1 - i]!;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Issuer prefixes and lengths of the card networks people paste into tickets. */
const CARD_NETWORKS: { prefix: RegExp; lengths: number[] }[] = [
  { prefix: /^4/, lengths: [13, 16, 19] }, // Visa
  { prefix: /^(5[1-5]|2(2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720))/, lengths: [16] }, // Mastercard
  { prefix: /^3[47]/, lengths: [15] }, // American Express
  { prefix: /^(6011|65|64[4-9])/, lengths: [16, 19] }, // Discover
  { prefix: /^35(2[89]|[3-8])/, lengths: [16, 19] }, // JCB
  { prefix: /^3(0[0-5]|[689])/, lengths: [14, 16] }, // Diners Club
  { prefix: /^(62|81)/, lengths: [16, 19] }, // UnionPay
  { prefix: /^(5018|5020|5038|5893|6304|67[0-9]{2})/, lengths: [12, 13, 14, 15, 16, 17, 18, 19] }, // Maestro
];

export function creditCard(text: string): Verdict {
  const digits = text.replace(/\D/g, '');
  if (/^(\d)\1+$/.test(digits)) return false;
  const known = CARD_NETWORKS.some((n) => n.prefix.test(digits) && n.lengths.includes(digits.length));
  return known && luhn(digits);
}

/** IBAN length per country (ISO 13616 registry). */
export const IBAN_LENGTH: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21, CR: 22,
  CY: 28, CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22,
  GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30,
  KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31,
  MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SE: 24,
  SI: 19, SK: 24, SM: 27, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

/** ISO 7064 mod 97-10 over the rearranged IBAN, with the registry length of its country. */
export function iban(text: string): boolean {
  const compact = text.replace(/[\s-]/g, '').toUpperCase();
  if (IBAN_LENGTH[compact.slice(0, 2)] !== compact.length) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const value = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of value) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
}

/** US Social Security number: the area, group and serial numbers never issued are rejected. */
export function usSsn(text: string): Verdict {
  const d = text.replace(/\D/g, '');
  if (d.length !== 9) return false;
  const area = d.slice(0, 3);
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (d.slice(3, 5) === '00' || d.slice(5) === '0000') return false;
  // Numbers printed on sample cards and in advertising, used again and again as examples.
  if (d === '078051120' || d === '219099999' || d === '123456789') return false;
  return true;
}

/** NHS number: 10 digits, weights 10..2, mod 11. */
export function ukNhs(text: string): boolean {
  const d = digitsOf(text);
  if (d.length !== 10) return false;
  const sum = d.slice(0, 9).reduce((acc, digit, i) => acc + digit * (10 - i), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === d[9];
}

const NIF_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spanish DNI/NIF: 8 digits and the letter of their remainder mod 23. */
export function esNif(text: string): boolean {
  const m = /^(\d{8})-?([A-Z])$/i.exec(text);
  return !!m && NIF_LETTERS[Number(m[1]) % 23] === m[2]!.toUpperCase();
}

/** Spanish NIE: X/Y/Z (0/1/2), 7 digits and the NIF letter of the whole number. */
export function esNie(text: string): boolean {
  const m = /^([XYZ])-?(\d{7})-?([A-Z])$/i.exec(text);
  if (!m) return false;
  const number = Number('XYZ'.indexOf(m[1]!.toUpperCase()) + m[2]!);
  return NIF_LETTERS[number % 23] === m[3]!.toUpperCase();
}

const FISCAL_ODD: Record<string, number> = Object.fromEntries(
  [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((ch, i) => {
    const odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
    const index = i < 10 ? i : i - 10;
    return [ch, odd[index]!];
  }),
);

/** Italian codice fiscale: 16 characters, the last a check letter over the first 15. */
export function itFiscalCode(text: string): boolean {
  const code = text.toUpperCase();
  if (!/^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const ch = code[i]!;
    // Positions are counted from 1: odd positions use the table, even ones the plain value.
    sum += i % 2 === 0 ? FISCAL_ODD[ch]! : ch >= 'A' ? ch.charCodeAt(0) - 65 : Number(ch);
  }
  return String.fromCharCode(65 + (sum % 26)) === code[15];
}

/** Polish PESEL: 11 digits, a real birth date (century in the month) and a weighted check digit. */
export function plPesel(text: string): boolean {
  const d = digitsOf(text);
  if (d.length !== 11) return false;
  const weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = weights.reduce((acc, w, i) => acc + w * d[i]!, 0);
  if ((10 - (sum % 10)) % 10 !== d[10]) return false;
  const month = (d[2]! * 10 + d[3]!) % 20;
  const day = d[4]! * 10 + d[5]!;
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

const HETU_CHECK = '0123456789ABCDEFHJKLMNPRSTUVWXY';

/** Finnish henkilötunnus: DDMMYY, century sign, individual number, check character mod 31. */
export function fiPersonalIdentityCode(text: string): boolean {
  const m = /^(\d{2})(\d{2})(\d{2})[-+A-FU-Y](\d{3})([0-9A-Y])$/i.exec(text);
  if (!m) return false;
  const [, dd, mm] = m;
  if (Number(dd) < 1 || Number(dd) > 31 || Number(mm) < 1 || Number(mm) > 12) return false;
  return HETU_CHECK[Number(m[1]! + m[2]! + m[3]! + m[4]!) % 31] === m[5]!.toUpperCase();
}

/** An IPv4 address that can point at someone's device: not unspecified, loopback, broadcast or a netmask. */
export function ipv4(text: string): boolean {
  if (!isIPv4(text.replace(/\b0+(\d)/g, '$1'))) return false;
  const octets = text.split('.').map(Number);
  if (octets[0] === 0 || octets[0] === 127) return false;
  const bits = octets.map((o) => o.toString(2).padStart(8, '0')).join('');
  // Netmasks (255.255.255.0) and wildcard masks (0.0.0.255): ones then zeros, or zeros then ones.
  if (/^1+0*$/.test(bits) || /^0*1+$/.test(bits)) return false;
  return true;
}

/** An IPv6 address other than `::` and `::1`, with enough hex to not be a C++ scope (`ab::cd`). */
export function ipv6(text: string): boolean {
  if (!isIPv6(text)) return false;
  if (/^[0:]*:1?$/.test(text)) return false;
  return text.replace(/[^0-9a-f]/gi, '').length >= 5 || text.includes('.');
}

function base64urlJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A JSON Web Token: a header that decodes to JSON naming an algorithm or type. */
export function jwt(text: string): boolean {
  const header = base64urlJson(text.split('.')[0]!) as Record<string, unknown> | undefined;
  return !!header && typeof header === 'object' && ('alg' in header || 'typ' in header);
}

/** Values after `password=` that are not passwords: masks, templates, empty markers, placeholders. */
const NOT_A_SECRET =
  /^(?:\*+|x{3,}|•+|\.{3,}|<[^>]*>|\[[^\]]*\]|\$\{[^}]*\}|\$[A-Z_][A-Z0-9_]*|\{\{[^}]*\}\}|%\(?\w*\)?s|%s|\?|null|none|nil|undefined|true|false|empty|redacted|hidden|masked|secret|password|changeme\*?|required|optional|string|\(?(?:not\s+)?set\)?)$/i;

/** A secret value after a keyword: long enough and not a placeholder. */
export function secretValue(text: string): boolean {
  const value = text.replace(/^["']|["']$/g, '');
  return value.length >= 4 && !NOT_A_SECRET.test(value) && !/^(.)\1*$/.test(value);
}

/** A random-looking token: mixes at least two of lower, upper, digits and is not one repeated character. */
export function randomLooking(text: string): boolean {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(text)).length;
  return classes >= 2 && !/^(.)\1*$/.test(text);
}
