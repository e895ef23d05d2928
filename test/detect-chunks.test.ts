/**
 * Read size never changes results: not for the subject's spoken forms, and not for the access
 * finder (subject matches + detectors, whose tagger and recognizer read whole units of text).
 * One input, many read sizes, identical matches and identical redacted bytes.
 */
import { describe, expect, test } from 'vitest';
import { Matcher } from '../src/scan/matcher.js';
import type { SpanFinder } from '../src/scan/matcher.js';
import { TextStreamScanner, type TextMatch } from '../src/text/stream-scanner.js';
import { createTextScanner } from '../src/text/scanner.js';
import { DetectingFinder } from '../src/detect/finder.js';
import { loadDetector } from '../src/detect/load.js';
import { UNIT_MAX } from '../detectors/pii/types.js';
import { zoe } from './helpers.js';

function scan(finder: SpanFinder, input: Buffer, chunk: number, placeholder: (id: number) => string | null) {
  const matches: TextMatch[] = [];
  const out: Buffer[] = [];
  const scanner = new TextStreamScanner(finder, { onMatch: (m) => matches.push(m), output: (b) => out.push(Buffer.from(b)), placeholder });
  for (let i = 0; i < input.length; i += chunk) scanner.push(input.subarray(i, i + chunk));
  scanner.end();
  return { matches, redacted: Buffer.concat(out).toString('utf8') };
}

const { identifiers } = await zoe();

/**
 * A call transcript with the subject's identifiers read out, between runs of filler of growing
 * length, so that read boundaries fall at every place inside the spoken forms.
 */
function transcript(): string {
  const spoken = [
    "Customer: sure, it's zoe dot muller at contoso dot com.",
    'Customer: four one five, five five five, oh one one five.',
    'Customer: the UK one is plus four four seven seven double oh nine double oh nine six eight.',
    'Agent: and the account? Customer: C U S T four eight two one three nine oh seven.',
    'Agent: not four one five five five five zero one one six then. Customer: no.',
  ];
  const lines: string[] = [];
  for (let i = 0; i < 12; i++) lines.push(`${String(i).padStart(2, '0')}:00 ${spoken[i % spoken.length]} ${'uh '.repeat(i * 7)}`);
  return lines.join('\n') + '\n';
}

describe('spoken forms of the subject', () => {
  const matcher = new Matcher(identifiers);
  const input = Buffer.from(transcript());
  const whole = scan(matcher, input, input.length, () => '[X]');

  test('are found, and the near miss is not', () => {
    // Lines 0-3 of every five hold one form each, line 4 the near miss: 10 of 12 lines match.
    expect(whole.matches).toHaveLength(10);
    expect(whole.matches.every((m) => m.variant === 'spoken')).toBe(true);
    expect(whole.redacted).toContain('not four one five five five five zero one one six then');
    expect(whole.redacted).not.toMatch(/zoe dot muller|C U S T four/);
  });

  test.each([1, 2, 3, 7, 16, 61, 255, 4093])('read size %i gives the same matches and copy', (chunk) => {
    expect(scan(matcher, input, chunk, () => '[X]')).toEqual(whole);
  });
});

describe('access finder: subject matches and other people’s data', async () => {
  const subject = new Matcher(identifiers);
  const finder = new DetectingFinder(subject, await loadDetector());
  const placeholder = (id: number) => {
    const type = finder.entityType(id);
    return type ? `[${type}]` : null;
  };
  // Long enough for many windows of the finder (its reach is tens of thousands of code units).
  const block = [
    'From: Ava Chen <ava.chen@fabrikam.com>',
    'To: Zoë Müller <zoe.muller@contoso.com>',
    'Customer: my number is four one five, five five five, oh one one five; the office is (206) 555-0199.',
    'login ok user=zoe.muller@contoso.com ip=203.0.113.24 session=7c9e6679-7425-40de-944b-e07fc1f90ae7',
    'GET https://shop.contoso.com/account?email=zoe.muller%40contoso.com 200',
    'password=q7Lk2pVx9mWz card 4111 1111 1111 1111 IBAN GB82 WEST 1234 5698 7654 32',
    'Agent Jan Kowalski noted: CUST48213907 is not CUST48213970 (Zoey Müller).',
    // One line longer than a unit: it is cut at whitespace near UNIT_MAX, the same way every time.
    Array.from({ length: 160 }, (_, i) => (i % 23 === 4 ? 'Sarah Miller said call +44 20 7946 0958' : `token${i} value ${i * 37}`)).join(' '),
  ].join('\n');
  const text = Array.from({ length: 36 }, (_, i) => `--- part ${i}\n${block}\n`).join('');
  const input = Buffer.from(text);
  const whole = scan(finder, input, input.length, placeholder);

  test('the input spans many windows and holds a line longer than a unit', () => {
    expect(text.length).toBeGreaterThan(4 * finder.reach);
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeGreaterThan(UNIT_MAX);
  });

  test('subject matches stay, other data becomes typed placeholders', () => {
    const subjectMatches = whole.matches.filter((m) => m.id < finder.subjectCount);
    expect(subjectMatches.length).toBeGreaterThan(36 * 5);
    expect(whole.redacted).toContain('To: Zoë Müller <zoe.muller@contoso.com>');
    expect(whole.redacted).toContain('From: [PERSON] <[EMAIL_ADDRESS]>');
    expect(whole.redacted).toContain('four one five, five five five, oh one one five; the office is [PHONE_NUMBER].');
    // The URL holds the subject's address: the subject wins, the URL stays whole.
    expect(whole.redacted).toContain('GET https://shop.contoso.com/account?email=zoe.muller%40contoso.com 200');
    expect(whole.redacted).toContain('password=[SECRET] card [CREDIT_CARD] IBAN [IBAN_CODE]');
    expect(whole.redacted).toContain('Agent [PERSON] noted: CUST48213907 is not CUST48213970 ([PERSON]).');
    expect(whole.redacted).not.toMatch(/ava\.chen|203\.0\.113\.24|Sarah Miller|7946 0958/);
  });

  test.each([997, 10007, 65536])('read size %i gives the same matches and copy', (chunk) => {
    expect(scan(finder, input, chunk, placeholder)).toEqual(whole);
  });
});

describe('spoken forms on the anchored fast path', () => {
  const matcher = new Matcher(identifiers);
  // UTF-8 with a few non-ASCII letters, so that byte and character offsets differ.
  const input = Buffer.from(`Zoë said: ${transcript()}Über four one five, five five five, oh one one five — done.\n`);
  const reference = scan(matcher, input, input.length, () => '[X]');

  test.each([1, 7, 61, 4093, 1 << 20])('read size %i: the same as the plain scanner', (chunk) => {
    const matches: TextMatch[] = [];
    const out: Buffer[] = [];
    const scanner = createTextScanner(matcher, { onMatch: (m) => matches.push(m), output: (b) => out.push(Buffer.from(b)), placeholder: () => '[X]' });
    for (let i = 0; i < input.length; i += chunk) scanner.push(input.subarray(i, i + chunk));
    scanner.end();
    expect({ matches, redacted: Buffer.concat(out).toString('utf8') }).toEqual(reference);
    expect(matches.filter((m) => m.variant === 'spoken')).toHaveLength(11);
  });
});
