/** Request validation names the field and never the value. */
import { describe, expect, test } from 'vitest';
import { parseRequest } from '../src/request.js';
import { RequestError } from '../src/errors.js';

function problems(raw: unknown): string[] {
  try {
    parseRequest(raw);
    return [];
  } catch (err) {
    if (err instanceof RequestError) return err.problems;
    throw err;
  }
}

describe('request validation', () => {
  test('a phone number with a digit too many is refused', () => {
    expect(problems({ subject: { phones: ['+1 415 555 01159999999'] } })).toEqual(['subject.phones[0]: is not a phone number']);
  });

  test('a national number is read in the request region', () => {
    expect(problems({ subject: { phones: ['07700 900968'], phoneRegion: 'GB' } })).toEqual([]);
    expect(problems({ subject: { phones: ['07700 900968'] } })).toEqual(['subject.phones[0]: is not a phone number']);
  });

  test('an unknown key is named only when it looks like a field name', () => {
    expect(problems({ subject: { names: ['Zoë Müller'] }, subjekt: {} })).toEqual(['(request): unknown field(s): subjekt']);
    const hidden = problems({ subject: { names: ['Zoë Müller'] }, 'zoe.muller@contoso.com': 1 });
    expect(hidden).toEqual(['(request): unknown field(s): (a key that is not a field name)']);
  });
});
