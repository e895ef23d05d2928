/**
 * The streaming scanner's promise: one input, any read size, identical findings and identical
 * redacted bytes (the SearcherTester idea from ripgrep). Every byte outside a match survives.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, test } from 'vitest';
import { Matcher } from '../src/scan/matcher.js';
import { TextStreamScanner, type TextMatch } from '../src/text/stream-scanner.js';
import { STORE, zoe } from './helpers.js';

const CHUNK_SIZES = [1, 2, 3, 5, 7, 16, 61, 255, 1024, 4093, 65536, 1 << 20];

function scan(matcher: Matcher, input: Buffer, chunk: number) {
  const matches: TextMatch[] = [];
  const out: Buffer[] = [];
  const scanner = new TextStreamScanner(matcher, {
    onMatch: (m) => matches.push(m),
    output: (b) => out.push(Buffer.from(b)),
    placeholder: () => '[X]',
  });
  for (let i = 0; i < input.length; i += chunk) scanner.push(input.subarray(i, i + chunk));
  scanner.end();
  return { matches, redacted: Buffer.concat(out), encoding: scanner.decoder.describe() };
}

function textArtifacts(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? textArtifacts(full) : [full];
  });
}

const { identifiers } = await zoe();
const matcher = new Matcher(identifiers);

describe.each(textArtifacts(STORE).map((f) => [path.relative(STORE, f), f]))('%s', (_rel, file) => {
  const raw = readFileSync(file);
  const input = file.endsWith('.gz') ? gunzipSync(raw) : raw;
  const whole = scan(matcher, input, input.length || 1);

  test('findings and redacted bytes do not depend on the read size', () => {
    for (const size of CHUNK_SIZES) {
      const run = scan(matcher, input, size);
      expect(run.matches, `read size ${size}`).toEqual(whole.matches);
      expect(run.redacted.equals(whole.redacted), `read size ${size}`).toBe(true);
    }
  });

  test('the redacted copy keeps every other byte and holds no match', () => {
    // Rebuild the expected copy from the reported byte spans.
    const parts: Buffer[] = [];
    let at = 0;
    let skipUntil = 0;
    const enc = (s: string) =>
      whole.encoding === 'utf-16le' ? Buffer.from(s, 'utf16le') : whole.encoding === 'utf-16be' ? Buffer.from(s, 'utf16le').swap16() : Buffer.from(s);
    for (const m of whole.matches) {
      if (m.offset < skipUntil) {
        skipUntil = Math.max(skipUntil, m.offset + m.length);
        continue;
      }
      parts.push(input.subarray(at, m.offset), enc('[X]'));
      at = skipUntil = m.offset + m.length;
    }
    parts.push(input.subarray(Math.max(at, skipUntil)));
    expect(whole.redacted.equals(Buffer.concat(parts))).toBe(true);
    expect(scan(matcher, whole.redacted, 4096).matches).toEqual([]);
  });
});

describe('decoding traps', () => {
  test('an identifier straddling every possible read boundary in UTF-16LE', () => {
    const text = 'x'.repeat(100) + ' zoe.muller@contoso.com ' + 'y'.repeat(100);
    const input = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    for (const size of [1, 3, 211, 213, 215, 250]) {
      const run = scan(matcher, input, size);
      expect(run.matches.map((m) => [m.offset, m.length])).toEqual([[2 + 101 * 2, 22 * 2]]);
      expect(run.encoding).toBe('utf-16le');
    }
  });

  test('Windows-1252 text is recognised even when it contains a valid UTF-8 pair', () => {
    // "ZOË”" in Windows-1252 is 5A 4F CB 94; CB 94 alone is valid UTF-8 (U+02D4).
    const input = Buffer.from('Card holder: \u201cM\u00dcLLER, ZO\u00cb\u201d, call Zo\u00eb M\u00fcller', 'latin1');
    const cp1252 = Buffer.from(input.toString('latin1').replace('\u201c', '\x93').replace('\u201d', '\x94'), 'latin1');
    const run = scan(matcher, cp1252, 7);
    expect(run.encoding).toBe('windows-1252');
    expect(run.matches.map((m) => m.variant)).toEqual(['last-first+case', 'exact']);
  });

  test('a stray invalid byte in a UTF-8 file is kept and does not hide a match', () => {
    const input = Buffer.concat([Buffer.from('caf\u00e9 \u2014 ok\n'.repeat(50)), Buffer.from([0xff]), Buffer.from(' Zoë Müller\n')]);
    const run = scan(matcher, input, 13);
    expect(run.encoding).toBe('utf-8 with windows-1252 bytes');
    expect(run.matches).toHaveLength(1);
    const kept = input.length - Buffer.byteLength('Zoë Müller\n');
    expect(run.redacted.subarray(0, kept).equals(input.subarray(0, kept))).toBe(true);
    expect(run.redacted.subarray(kept).toString()).toBe('[X]\n');
  });

  test('the line is reported for matches after many lines', () => {
    const input = Buffer.from('a\n'.repeat(70000) + '  zoe.muller@contoso.com\n');
    const run = scan(matcher, input, 65536);
    expect(run.matches.map((m) => [m.line, m.offset])).toEqual([[70001, 140002]]);
  });
});

describe('bounded memory', () => {
  test('a 100 MB single line streams through without being held', () => {
    const chunk = Buffer.alloc(1 << 20, 'a');
    const planted = Buffer.from(' zoe.muller@contoso.com ');
    let matches = 0;
    const scanner = new TextStreamScanner(matcher, { onMatch: () => matches++ });
    // Measure what stays reachable, not garbage awaiting collection.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    for (let i = 0; i < 100; i++) {
      scanner.push(i === 50 ? Buffer.concat([chunk.subarray(0, 1000), planted, chunk.subarray(1000 + planted.length)]) : chunk);
      if (i % 10 === 9) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - before);
      }
    }
    scanner.end();
    expect(matches).toBe(1);
    // The window holds about one read plus the overlap, never the line.
    expect(peak).toBeLessThan(16 * (1 << 20));
  });
});
