/**
 * Matcher.findAll (headers, names, member names, messages) first asks whether any anchor occurs
 * in the string's UTF-8 bytes, and skips the full patterns when none does. That must never lose
 * a match: findAll equals a full scan on every line and every whole file of the example store,
 * on the written forms of every identifier, with spoken forms on and off.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test, vi } from 'vitest';
import { Matcher, type Match } from '../src/scan/matcher.js';
import { filesUnder, STORE, WRITTEN_FORMS, zoe } from './helpers.js';

const { identifiers } = await zoe();


function fullScan(matcher: Matcher, text: string): Match[] {
  const found: Match[] = [];
  matcher.scan(text, 0, 0, text.length, matcher.newState(), (m) => found.push(m));
  return found;
}

/** The written forms, and a spoken one and an encoded-word header, which only findAll's callers see. */
const FORMS = [...WRITTEN_FORMS, 'four one five, five five five, oh one one five', '=?UTF-8?B?Wm/DqyBNw7xsbGVy?= <zoe.muller@contoso.com>'];

describe('findAll skips only strings that cannot match', () => {
  test.each([false, true])('equals a full scan on the example store and the written forms (spoken %s)', (spoken) => {
    const matcher = new Matcher(identifiers, { spoken });
    const texts = [
      ...FORMS,
      ...filesUnder(STORE).flatMap((f) => {
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
