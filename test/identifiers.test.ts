import { describe, expect, test } from 'vitest';
import { Matcher } from '../src/scan/matcher.js';
import type { Identifier } from '../src/types.js';

const subject: Identifier[] = [
  { kind: 'email', index: 0, value: 'zoe.muller@contoso.com' },
  { kind: 'phone', index: 0, value: '+1 (415) 555-0115' },
  { kind: 'phone', index: 1, value: '+44 7700 900968' },
  { kind: 'name', index: 0, value: 'Zoë Müller' },
  { kind: 'id', index: 0, value: 'CUST48213907' },
  { kind: 'id', index: 1, value: '9f3a2c71be04d5e6' },
  { kind: 'id', index: 2, value: '6F9619FF-8B86-D011-B42D-00C04FD430C8' },
];
const matcher = new Matcher(subject);

/** `kind#index:variant` of each match, in order. */
function found(text: string): string[] {
  return matcher.findAll(text).map((m) => {
    const id = subject[m.id]!;
    return `${id.kind}#${id.index}:${m.variant}`;
  });
}

describe('e-mail forms', () => {
  test.each([
    ['plain', 'user=zoe.muller@contoso.com ok', 'email#0:exact'],
    ['any case', 'From: ZOE.MULLER@Contoso.COM', 'email#0:case'],
    ['mailto', '<a href="mailto:zoe.muller@contoso.com">', 'email#0:exact'],
    ['angle brackets', 'Zoe <zoe.muller@contoso.com>', 'email#0:exact'],
    ['quoted', "'zoe.muller@contoso.com'", 'email#0:exact'],
    ['JSON \\u0040', '{"e":"zoe.muller\\u0040contoso.com"}', 'email#0:json-escaped'],
    ['URL %40', '/orders?email=zoe.muller%40contoso.com&x=1', 'email#0:url-encoded'],
    ['URL %40 and %2E', 'q=zoe%2Emuller%40contoso%2ecom', 'email#0:url-encoded'],
    ['URL-encoded after %3A', 'href=mailto%3Azoe.muller%40contoso.com', 'email#0:url-encoded'],
    ['HTML &#64;', 'zoe.muller&#64;contoso.com', 'email#0:html-escaped'],
    ['HTML &#x40;', 'zoe.muller&#x40;contoso.com', 'email#0:html-escaped'],
    ['HTML &commat;', 'zoe.muller&commat;contoso.com', 'email#0:html-escaped'],
    ['every character an entity', [...'zoe.muller@contoso.com'].map((c) => `&#${c.charCodeAt(0)};`).join(''), 'email#0:html-escaped'],
    ['end of sentence', 'write to zoe.muller@contoso.com.', 'email#0:exact'],
    ['after JSON newline escape', '"line\\nzoe.muller@contoso.com"', 'email#0:exact'],
  ])('%s', (_name, text, expected) => {
    expect(found(text)).toEqual([expected]);
  });

  test.each([
    ['one letter off', 'zoe.mulller@contoso.com'],
    ['shorter TLD', 'zoe.muller@contoso.co'],
    ['longer domain', 'zoe.muller@contoso.com.au'],
    ['longer TLD', 'zoe.muller@contoso.company'],
    ['longer local part', 'xzoe.muller@contoso.com'],
    ['dotted prefix', 'a.zoe.muller@contoso.com'],
    ['other domain', 'zoe.muller@subcontoso.com'],
    ['encoded longer domain', 'zoe.muller%40contoso.com%2Eau'],
  ])('near miss: %s', (_name, text) => {
    expect(found(text)).toEqual([]);
  });
});

describe('phone forms', () => {
  test.each([
    ['E.164', '+14155550115', 'phone#0:international+unformatted'],
    ['international formatted', '+1 (415) 555-0115', 'phone#0:international'],
    ['dots', '415.555.0115', 'phone#0:national'],
    ['digits only', 'tel 4155550115.', 'phone#0:national+unformatted'],
    ['brackets', '(415) 555-0115', 'phone#0:national'],
    ['trunk prefix', '1-415-555-0115', 'phone#0:national'],
    ['exit code 00', '001 415 555 0115', 'phone#0:international'],
    ['URL-encoded plus', 'tel=%2B14155550115', 'phone#0:url-encoded+international+unformatted'],
    ['UK international', '+44 7700 900968', 'phone#1:international'],
    ['UK national', '07700 900968', 'phone#1:national'],
    ['UK (0)', '+44 (0)7700 900968', 'phone#1:international'],
    ['UK 0044', '0044 7700 900968', 'phone#1:international'],
    ['SQL literal', "VALUES ('4155550115')", 'phone#0:national+unformatted'],
  ])('%s', (_name, text, expected) => {
    expect(found(text)).toEqual([expected]);
  });

  test.each([
    ['last digit off', '+1 (415) 555-0116'],
    ['preceded by a digit', '214155550115'],
    ['followed by a digit', '41555501150'],
    ['inside an order number', 'ORD-4155550115999'],
    ['UK number one digit short', '07700 90096'],
  ])('near miss: %s', (_name, text) => {
    expect(found(text)).toEqual([]);
  });
});

describe('name forms', () => {
  test.each([
    ['as supplied', 'Customer Zoë Müller called', 'name#0:exact'],
    ['upper case', 'ZOË MÜLLER', 'name#0:case'],
    ['Last, First', 'Müller, Zoë', 'name#0:last-first'],
    ['middle initial', 'Zoë A. Müller', 'name#0:middle-initial'],
    ['decomposed (NFD)', 'Zoe\u0308 Mu\u0308ller', 'name#0:nfd'],
    ['without diacritics', 'Zoe Muller', 'name#0:diacritics'],
    ['JSON-escaped letters', 'Zo\\u00eb M\\u00fcller', 'name#0:json-escaped'],
    ['HTML entities', 'Zo&euml; M&uuml;ller', 'name#0:html-escaped'],
    ['line break between', 'Zoë\nMüller', 'name#0:exact'],
  ])('%s', (_name, text, expected) => {
    expect(found(text)).toEqual([expected]);
  });

  test.each([
    ['longer last name', 'Zoë Müllerová'],
    ['plural', 'Zoë Müllers'],
    ['other first name', 'Zoey Müller'],
    ['reversed without comma', 'Müller Zoë'],
    ['first name alone', 'Hi Zoë,'],
    ['letters glued before', 'XZoë Müller'],
  ])('near miss: %s', (_name, text) => {
    expect(found(text)).toEqual([]);
  });

  test('a name that only starts the same (Doel vs Doe)', () => {
    const doe = new Matcher([{ kind: 'name', index: 0, value: 'John Doe' }]);
    expect(doe.findAll('John Doel and John Doe')).toHaveLength(1);
  });
});

describe('id forms', () => {
  test.each([
    ['account id', 'acct CUST48213907 ok', ['id#0:exact']],
    ['account id lower case', 'cust48213907', ['id#0:case']],
    ['account id then hyphen', 'CUST48213907-2', ['id#0:exact']],
    ['hex id upper case', 'pid=9F3A2C71BE04D5E6', ['id#1:case']],
    ['GUID in braces', '{6f9619ff-8b86-d011-b42d-00c04fd430c8}', ['id#2:case']],
    ['GUID without hyphens', '6F9619FF8B86D011B42D00C04FD430C8', ['id#2:no-hyphens']],
  ])('%s', (_name, text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  test.each([
    ['letters before', 'xCUST48213907'],
    ['longer digit run', 'CUST482139070'],
    ['shorter', 'CUST4821390 '],
    ['longer hex run', '9f3a2c71be04d5e6ab'],
    ['hex digit before', 'a9f3a2c71be04d5e6'],
    ['GUID one digit off', '6F9619FF-8B86-D011-B42D-00C04FD430C9'],
  ])('near miss: %s', (_name, text) => {
    expect(found(text)).toEqual([]);
  });

  test('a numeric id counts glued to letters, never inside a longer digit run', () => {
    const numeric = new Matcher([{ kind: 'id', index: 0, value: '48213907' }]);
    expect(numeric.findAll('ref CUST48213907 and 48213907x')).toHaveLength(2);
    expect(numeric.findAll('1482139070 248213907 482139071')).toHaveLength(0);
  });

  test('identifiers that overlap are each reported', () => {
    const both = new Matcher([
      { kind: 'id', index: 0, value: 'CUST48213907' },
      { kind: 'id', index: 1, value: '48213907' },
    ]);
    expect(both.findAll('ref CUST48213907').map((m) => m.id)).toEqual([0, 1]);
  });
});

test('scrub removes identifiers from messages', () => {
  const message = 'cannot parse header From: Zoë Müller <zoe.muller@contoso.com>';
  const scrubbed = matcher.scrub(message);
  expect(scrubbed).not.toMatch(/zoe|müller/i);
  expect(scrubbed).toContain('cannot parse header From:');
});
