/**
 * widen() turns the Latin-1 patterns of the anchors (escapes, separators) into UTF-16LE ones for
 * the wide strings in dumps. A construct it cannot carry over must throw: rendered anyway, it
 * would make the wide anchors miss matches the full patterns find.
 */
import { expect, test } from 'vitest';
import { widen } from '../detectors/anchors.js';

const wide = (text: string) => Buffer.from(text, 'utf16le').toString('latin1');

test('literals, escapes, classes, groups and quantifiers match the UTF-16LE bytes of what the pattern matches', () => {
  const cases: [string, string[], string[]][] = [
    ['a\\.b', ['a.b'], ['axb']],
    ['(?:[ \\t.\\-/()]|%20|&nbsp;){0,3}5', ['5', ' .-5', '%20%205'], ['    5']],
    ['\\\\u(?:0041|0061)', ['\\u0041', '\\u0061'], ['\\u0042']],
    ['&#x0{0,4}41;', ['&#x41;', '&#x000041;'], ['&#x0000041;']],
    ['\\xa0|\\s', ['\u00a0', '\t', ' '], ['x']],
    ['(a|bc)+d', ['ad', 'bcad'], ['d']],
  ];
  for (const [source, accepted, rejected] of cases) {
    const re = new RegExp(`^(?:${widen(source)})$`);
    for (const text of accepted) expect(re.test(wide(text)), `${source} on ${text}`).toBe(true);
    for (const text of rejected) expect(re.test(wide(text)), `${source} on ${text}`).toBe(false);
  }
});

test.each(['(?!x)ab', '(?<=x)a', '\\bab', 'a\\B', '\\u0041', '(a)\\1', '\\k<n>', '\\S', '\\D', '[^a]b', 'a.b', '(?:ab)*?c', 'a{1,2}?', 'a**', '(?:*a)', '|*'])(
  '%s throws',
  (source) => {
    expect(() => widen(source)).toThrow(/cannot widen/);
  },
);
