/**
 * Binary dumps: strings in every encoding a process leaves in memory are found wherever reads
 * split them, and the masked copy keeps the file's size and every other byte.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { binaryHandler } from '../../src/formats/binary/handler.js';
import { DumpScanner, type DumpMatch } from '../../src/formats/binary/dump-scanner.js';
import { textHandler } from '../../src/formats/text.js';
import type { SpanFinder } from '../../src/scan/matcher.js';
import { FastTextScanner } from '../../src/text/fast-scanner.js';
import { ROOT, WRITTEN_FORMS } from '../helpers.js';
import { identifiers, matcher, plainForms, runHandler } from './pdf-binary-harness.js';

const DIR = path.join(ROOT, 'fixtures/formats/binary');
const fixture = (name: string) => readFileSync(path.join(DIR, name));
interface Expected {
  matches: { identifier: string; offset: number; length: number; encoding: string }[];
  /** Near misses: must be neither found nor changed. */
  untouched: { offset: number; length: number }[];
}
const expected = (name: string) => JSON.parse(readFileSync(path.join(DIR, `${name}.expected.json`), 'utf8')) as Expected;
const ref = (id: number) => `${identifiers[id]!.kind}#${identifiers[id]!.index}`;

function scan(input: Buffer, chunk: number, finder: SpanFinder = matcher) {
  const matches: DumpMatch[] = [];
  const out: Buffer[] = [];
  const scanner = new DumpScanner(finder, {
    onMatch: (m) => matches.push(m),
    output: (b) => out.push(Buffer.from(b)),
    placeholder: (id) => `[REDACTED:${identifiers[id]!.kind}]`,
  });
  for (let i = 0; i < input.length; i += chunk) scanner.push(input.subarray(i, i + chunk));
  scanner.end();
  return { matches, copy: Buffer.concat(out), spans: scanner.spans };
}

/** Offsets of each identifier's plain value in each encoding: a byte search that owes nothing to the matcher. */
function plainOccurrences(bytes: Buffer): number[] {
  const hits: number[] = [];
  for (const value of plainForms()) {
    for (const enc of ['utf8', 'latin1', 'utf16le'] as const) {
      const needle = Buffer.from(value, enc);
      for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) hits.push(at);
    }
  }
  return hits;
}

describe.each(['strings.core', 'wide-across-64k.dmp'])('%s', (name) => {
  const input = fixture(name);
  const whole = scan(input, input.length);

  test('finds exactly the planted strings, with offset, length and encoding', () => {
    const got = whole.matches.map((m) => ({ identifier: ref(m.id), offset: m.offset, length: m.length, encoding: m.encoding }));
    expect(got).toEqual(expected(name).matches);
  });

  test('findings and the masked copy do not depend on the read size', () => {
    for (const size of [61, 1000, 4095, 4096, 65535, 65536, 65537, 1 << 20]) {
      const run = scan(input, size);
      expect(run.matches, `read size ${size}`).toEqual(whole.matches);
      expect(run.copy.equals(whole.copy), `read size ${size}`).toBe(true);
    }
    // The tiniest reads on 10 kB around the first string only, to stay fast.
    const from = Math.max(0, expected(name).matches[0]!.offset - 4000) & ~1;
    const part = input.subarray(from, from + 10_000);
    const reference = scan(part, part.length);
    expect(reference.matches.length).toBeGreaterThan(0);
    for (const size of [1, 2, 3, 7]) {
      const run = scan(part, size);
      expect(run.matches, `read size ${size}`).toEqual(reference.matches);
      expect(run.copy.equals(reference.copy), `read size ${size}`).toBe(true);
    }
  });

  test('the masked copy has the same size, keeps every byte outside a match and holds no identifier', () => {
    const copy = whole.copy;
    expect(copy.length).toBe(input.length);
    const inMatch = new Uint8Array(input.length);
    for (const m of whole.matches) inMatch.fill(1, m.offset, m.offset + m.length);
    const changedOutside: number[] = [];
    for (let i = 0; i < input.length; i++) if (!inMatch[i] && copy[i] !== input[i]) changedOutside.push(i);
    expect(changedOutside).toEqual([]);
    const { untouched } = expected(name);
    const nearMiss = (at: number) => untouched.some((u) => at >= u.offset && at < u.offset + u.length);
    expect(plainOccurrences(input).filter((at) => !nearMiss(at)).length).toBeGreaterThan(0);
    expect(plainOccurrences(copy).filter((at) => !nearMiss(at))).toEqual([]);
    for (const u of untouched) expect(copy.subarray(u.offset, u.offset + u.length)).toEqual(input.subarray(u.offset, u.offset + u.length));
    expect(scan(copy, 4096).matches).toEqual([]);
    expect(whole.spans).toBe(whole.matches.length);
  });
});

test('a wide string is masked with wide placeholder characters, a narrow one with narrow ones', () => {
  const input = fixture('wide-across-64k.dmp');
  const { matches, copy } = scan(input, 65536);
  const wide = matches.find((m) => m.encoding === 'utf-16le')!;
  expect(copy.toString('utf16le', wide.offset, wide.offset + wide.length)).toBe('[REDACTED:email]XXXXXX');
  const core = fixture('strings.core');
  const narrow = scan(core, 65536);
  const ascii = narrow.matches.find((m) => m.encoding === 'ascii')!;
  expect(narrow.copy.toString('latin1', ascii.offset, ascii.offset + ascii.length)).toBe('[REDACTED:email]XXXXXX');
  // A placeholder longer than the match is cut to fit: the id is 12 bytes.
  const id = narrow.matches.find((m) => ref(m.id) === 'id#0')!;
  expect(narrow.copy.toString('latin1', id.offset, id.offset + id.length)).toBe('[REDACTED:id');
});

test('the handler takes binary content the text handler refuses, and reports byte locators', async () => {
  const input = fixture('strings.core');
  expect(textHandler.recognizes(input.subarray(0, 65536), 'x.core')).toBe(false);
  expect(binaryHandler.recognizes(input.subarray(0, 65536), 'x.core')).toBe(true);
  const run = await runHandler(binaryHandler, input, { chunk: 4096 });
  expect(run.format).toBe('binary');
  expect(run.found.map((f) => f.locator)).toContainEqual({ offset: 4001, length: 30, encoding: 'utf-16le' });
  expect(run.found).toHaveLength(expected('strings.core').matches.length);
});

test('an access copy keeps the identifiers it is told to keep and masks the rest', async () => {
  const input = fixture('strings.core');
  const email = identifiers.findIndex((i) => i.kind === 'email');
  const run = await runHandler(binaryHandler, input, { redact: true, keep: [email] });
  const copy = run.copy!;
  expect(copy.includes(Buffer.from('zoe.muller@contoso.com'))).toBe(true);
  expect(copy.includes(Buffer.from('CUST48213907'))).toBe(false);
  expect(run.spans).toBe(run.found.filter((f) => f.id !== email).length);
});

test('bytes that end inside a UTF-8 sequence or an odd UTF-16 unit are copied unchanged', () => {
  const input = Buffer.concat([Buffer.from('\0zoe.muller@contoso.com\0'), Buffer.from([0xc3])]);
  for (const size of [1, 2, 5, input.length]) {
    const { matches, copy } = scan(input, size);
    expect(matches).toHaveLength(1);
    expect(copy.length).toBe(input.length);
    expect(copy[copy.length - 1]).toBe(0xc3);
  }
});

describe('the anchored scan of the views equals the full scan', () => {
  // Written forms, as the engine hands the dump reader (spoken forms are for transcripts).
  const written = matcher.written();
  /** The same matcher seen only as a SpanFinder: without anchors, each view is scanned in full. */
  const unanchored: SpanFinder = {
    lookbehind: written.lookbehind,
    reach: written.reach,
    newState: () => written.newState(),
    scan: (...args) => written.scan(...args),
    findAll: (text) => written.findAll(text),
    scrub: (text, placeholder) => written.scrub(text, placeholder),
    written: () => unanchored,
  };

  /**
   * Dump-like bytes from a seed: zero runs, random bytes and pointer-like words around strings,
   * each a written form of an identifier (or a near miss: a letter, digit or high byte glued to
   * it) in UTF-8, Windows-1252 or UTF-16LE at an even or odd offset, some cut short by the
   * filler. The traps: strings that touch gaps, odd alignments, and pieces across the scanner's
   * 64 KiB pieces and 256 KiB steps.
   */
  function dump(seed: number): Buffer {
    let state = seed;
    const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const pick = <T,>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
    const parts: Buffer[] = [];
    let size = 0;
    while (size < 700_000) {
      const kind = next();
      let part: Buffer;
      if (kind < 0.3) part = Buffer.alloc(1 + Math.floor(next() * 3000));
      else if (kind < 0.55) part = Buffer.from(Array.from({ length: 1 + Math.floor(next() * 2000) }, () => Math.floor(next() * 256)));
      else {
        const glue = pick(['', '', '', 'x', '7', '\u00e9', ' ', '\n']);
        let text = `${glue}${pick(WRITTEN_FORMS)}${pick(['', '', 'x', '0', '.', ' '])}`;
        if (next() < 0.1) text = text.slice(0, Math.floor(next() * text.length));
        const encoding = pick(['utf8', 'latin1', 'utf16le'] as const);
        part = Buffer.concat([Buffer.alloc(Math.floor(next() * 2)), Buffer.from(text, encoding)]);
      }
      parts.push(part);
      size += part.length;
    }
    return Buffer.concat(parts);
  }

  test.each([1, 2, 3])('seed %i: the same findings and masked copy, whatever the read size', (seed) => {
    const input = dump(seed);
    const full = scan(input, 1 << 20, unanchored);
    const anchoredPushes = vi.spyOn(FastTextScanner.prototype, 'push');
    for (const size of [999, 65536, 1 << 20]) {
      const anchored = scan(input, size, written);
      expect(anchored.matches, `read size ${size}`).toEqual(full.matches);
      expect(anchored.copy.equals(full.copy), `read size ${size}`).toBe(true);
    }
    // The comparison is not empty and the anchored path really ran.
    expect(anchoredPushes).toHaveBeenCalled();
    anchoredPushes.mockRestore();
    expect(full.matches.length).toBeGreaterThan(100);
    expect(new Set(full.matches.map((m) => m.encoding))).toEqual(new Set(['ascii', 'utf-8', 'windows-1252', 'utf-16le']));
  });
});
