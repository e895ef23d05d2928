/**
 * The subject's identifiers read out in words, as call transcripts write them: found with the
 * variant `spoken`, and not when one word is off, when the number goes on, or when the address
 * has another domain.
 */
import { describe, expect, test } from 'vitest';
import { recognizeNumber, Culture } from '@microsoft/recognizers-text-suite';
import { Matcher } from '../../src/scan/matcher.js';
import { ENGLISH } from '../../detectors/spoken.js';
import { zoe } from '../helpers.js';

const { identifiers } = await zoe();
const matcher = new Matcher(identifiers);
const label = (id: number) => `${identifiers[id]!.kind}#${identifiers[id]!.index}`;
const found = (text: string) => matcher.findAll(text).map((m) => [label(m.id), text.slice(m.start, m.end), m.variant]);

describe('found, with variant spoken', () => {
  test.each([
    ["sure, it's zoe dot muller at contoso dot com.", 'email#0', 'zoe dot muller at contoso dot com'],
    ['it is zoe.muller at contoso.com', 'email#0', 'zoe.muller at contoso.com'],
    ['Z O E dot M U double L E R at contoso dot com', 'email#0', 'Z O E dot M U double L E R at contoso dot com'],
    ['four one five, five five five, zero one one five', 'phone#0', 'four one five, five five five, zero one one five'],
    ['four one five. five five five. oh one one five', 'phone#0', 'four one five. five five five. oh one one five'],
    ['four fifteen, triple five, oh one fifteen', 'phone#0', 'four fifteen, triple five, oh one fifteen'],
    ['four hundred fifteen, five fifty-five, oh one one five', 'phone#0', 'four hundred fifteen, five fifty-five, oh one one five'],
    ['plus one, four one five, five five five, oh one one five', 'phone#0', 'plus one, four one five, five five five, oh one one five'],
    ['my UK number is oh seven seven oh oh, nine oh oh nine six eight', 'phone#1', 'oh seven seven oh oh, nine oh oh nine six eight'],
    ['plus four four seven seven double oh nine double oh nine six eight', 'phone#1', 'plus four four seven seven double oh nine double oh nine six eight'],
    ['account C U S T four eight two one three nine oh seven', 'id#0', 'C U S T four eight two one three nine oh seven'],
    ['nine f three a two c seven one b e oh four d five e six', 'id#1', 'nine f three a two c seven one b e oh four d five e six'],
  ])('%j', (text, id, value) => {
    expect(found(text)).toContainEqual([id, value, 'spoken']);
  });
});

describe('not found', () => {
  test.each([
    ['another domain, spoken', 'zoe dot muller at contoso dot com dot au'],
    ['another domain, written', 'zoe.muller at contoso.com.au'],
    ['another local part', 'zoey dot muller at contoso dot com'],
    ['last digit off', 'four one five five five five zero one one six'],
    ['a digit before it', 'two four one five five five five zero one one five'],
    ['a digit after it', 'four one five five five five zero one one five two'],
    ['the id one digit longer', 'C U S T four eight two one three nine oh seven one'],
    ['a few digits in prose', 'I called at four one five and spoke to someone'],
    ['the written id with a space is not a spoken form', 'CUST 48213907'],
  ])('%s', (_why, text) => {
    expect(found(text)).toEqual([]);
  });

  test('"oh" after the number is an interjection, not another digit', () => {
    const text = 'four one five five five five zero one one five, oh and one more thing';
    expect(found(text)).toEqual([['phone#0', 'four one five five five five zero one one five', 'spoken']]);
  });
});

test('spoken forms are an option of the matcher', () => {
  const written = new Matcher(identifiers, { spoken: false });
  expect(written.findAll('zoe dot muller at contoso dot com')).toEqual([]);
});

describe('the English word table agrees with the number recognizer', () => {
  const value = (words: string) => recognizeNumber(words, Culture.English).map((r) => r.resolution?.value);
  test.each([...Array(10).keys()].map((d) => [d]))('digit %i', (d) => {
    for (const word of ENGLISH.digits[d]!.filter((w) => w !== 'oh' && w !== 'nought')) expect(value(word)).toEqual([String(d)]);
  });
  test('ten to ninety-nine', () => {
    for (let n = 10; n < 100; n++) {
      const words = n < 20 ? ENGLISH.teens[n - 10]! : `${ENGLISH.tens[Math.floor(n / 10)]}${n % 10 ? '-' + ENGLISH.digits[n % 10]![0] : ''}`;
      expect(value(words)).toEqual([String(n)]);
    }
  });
  test('hundreds', () => {
    expect(value(`${ENGLISH.digits[4]![0]} ${ENGLISH.hundred[0]} ${ENGLISH.teens[5]}`)).toEqual(['415']);
  });
});
