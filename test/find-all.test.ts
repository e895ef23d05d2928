/**
 * Matcher.findAll (headers, names, member names, messages) first asks whether any anchor occurs
 * in the string's UTF-8 bytes, and skips the full patterns when none does. That must never lose
 * a match: findAll equals a full scan on every line and every whole file of the example store,
 * on the written forms of every identifier, with spoken forms on and off.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { Matcher, type Match } from '../src/scan/matcher.js';
import { STORE, zoe } from './helpers.js';

const { identifiers } = await zoe();

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? files(path.join(dir, n)) : [path.join(dir, n)]));
}

function fullScan(matcher: Matcher, text: string): Match[] {
  const found: Match[] = [];
  matcher.scan(text, 0, 0, text.length, matcher.newState(), (m) => found.push(m));
  return found;
}

const FORMS = [
  'Zoë Müller', 'Zo&euml; M&uuml;ller', 'M\u00fcller,  Zo\u00eb', 'Zoe\u0308 Mu\u0308ller', 'zoe%2Emuller%40contoso.com',
  '\\u007aoe.muller@contoso.com', '+1 (415) 555-0115', '415&nbsp;555&nbsp;0115', 'four one five, five five five, oh one one five',
  'CUST48213907', '{6f9619ff8b86d011b42d00c04fd430c8}', '=?UTF-8?B?Wm/DqyBNw7xsbGVy?= <zoe.muller@contoso.com>',
];

describe('findAll skips only strings that cannot match', () => {
  test.each([false, true])('equals a full scan on the example store and the written forms (spoken %s)', (spoken) => {
    const matcher = new Matcher(identifiers, { spoken });
    const texts = [
      ...FORMS,
      ...files(STORE).flatMap((f) => {
        const text = readFileSync(f).toString(f.endsWith('.txt') && f.includes('latin1') ? 'latin1' : 'utf8');
        return [text, ...text.split('\n')];
      }),
    ];
    let withMatches = 0;
    for (const text of texts) {
      const full = fullScan(matcher, text);
      expect(matcher.findAll(text), text.slice(0, 80)).toEqual(full);
      if (full.length) withMatches++;
    }
    expect(withMatches).toBeGreaterThan(50);
  });

  test('a string with no anchor is not scanned; a lone surrogate always is', () => {
    const matcher = new Matcher(identifiers, { spoken: false });
    const scan = vi.spyOn(matcher, 'scan');
    expect(matcher.findAll('Subject: invoice 2024-03 for order 889 shipped')).toEqual([]);
    expect(scan).not.toHaveBeenCalled();
    expect(matcher.findAll('zoe.muller@contoso.com')).toHaveLength(1);
    expect(scan).toHaveBeenCalledTimes(1);
    expect(matcher.findAll('broken \ud800 text')).toEqual([]);
    expect(scan).toHaveBeenCalledTimes(2);
  });
});
