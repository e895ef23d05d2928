/**
 * The byte prefilter (src/text/prefilter.ts, assembly/prefilter.ts) may pass too much but must
 * never reject a position where an anchor starts. Checked in two halves: the prefixes computed
 * from an anchor's regex accept every place the regex engine finds that anchor, and the
 * WebAssembly kernel passes exactly the positions where one of a bucket's prefixes starts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { renderAnchor } from '../detectors/anchors.js';
import { Matcher } from '../src/scan/matcher.js';
import { Prefilter } from '../src/text/prefilter.js';
import { classHas, regexMaxLength, regexPrefixes, type Prefix } from '../src/text/regex-prefixes.js';
import { filesUnder, STORE, WRITTEN_FORMS as FORMS, zoe } from './helpers.js';

function startsWith(bytes: Uint8Array, at: number, p: Prefix): boolean {
  return p.classes.every((cls, k) => at + k < bytes.length && classHas(cls, bytes[at + k]!));
}



describe('anchor prefixes', () => {
  test('accept every anchor occurrence in the example store and in every written form', async () => {
    const { identifiers } = await zoe();
    const inputs = [
      ...filesUnder(STORE).map((f) => readFileSync(f)),
      Buffer.from(FORMS.join(' | ')),
      Buffer.from(FORMS.join(' | '), 'latin1'),
    ];
    // Wide strings at both alignments, as in a dump.
    const wide = [Buffer.from(FORMS.join(' | '), 'utf16le'), Buffer.from(` ${FORMS.join(' | ')}`, 'utf16le').subarray(1)];
    for (const spoken of [false, true]) {
      const matcher = new Matcher(identifiers, { spoken });
      for (const encoding of ['utf-8', 'windows-1252', 'utf-16le'] as const) {
        const anchors = (matcher as unknown as { anchorList: Parameters<typeof renderAnchor>[0][] }).anchorList;
        let occurrences = 0;
        for (const anchor of anchors) {
          const source = renderAnchor(anchor, encoding);
          const prefixes = regexPrefixes(source, { length: 8, cap: 64 });
          // The scanner confirms a candidate on just the bytes an anchor can span.
          const longest = regexMaxLength(source);
          const re = new RegExp(source, 'gi');
          for (const input of encoding === 'utf-16le' ? wide : inputs) {
            const view = input.toString('latin1');
            for (let m = re.exec(view); m; re.lastIndex = m.index + 1, m = re.exec(view)) {
              occurrences++;
              expect(prefixes.some((p) => startsWith(input, m!.index, p)), `${source.slice(0, 60)} at ${m.index}`).toBe(true);
              expect(m[0].length).toBeLessThanOrEqual(longest);
            }
          }
        }
        // The check saw real occurrences, not an empty loop.
        expect(occurrences).toBeGreaterThan(encoding === 'utf-16le' ? 50 : 100);
      }
    }
  });

  test('the prefilter a matcher builds passes every anchor occurrence, with a bucket that holds the anchor', async () => {
    // The same inputs, through what the scanners use (matcher.anchors(): the production caps,
    // the split into units, the buckets): a unit lost between the prefixes and the kernel's
    // tables would show here, and not in the test above.
    const { identifiers } = await zoe();
    const inputs = [...filesUnder(STORE).map((f) => readFileSync(f)), Buffer.from(FORMS.join(' | ')), Buffer.from(FORMS.join(' | '), 'latin1')];
    const wide = [Buffer.from(FORMS.join(' | '), 'utf16le'), Buffer.from(` ${FORMS.join(' | ')}`, 'utf16le').subarray(1)];
    for (const spoken of [false, true]) {
      const matcher = new Matcher(identifiers, { spoken });
      const anchors = (matcher as unknown as { anchorList: Parameters<typeof renderAnchor>[0][] }).anchorList;
      for (const encoding of ['utf-8', 'windows-1252', 'utf-16le'] as const) {
        const search = matcher.anchors(encoding);
        if (!search) continue; // UTF-16LE with spoken forms: no wide anchors
        const prefilter = search.prefilter!;
        let checked = 0;
        for (const input of encoding === 'utf-16le' ? wide : inputs) {
          const window = prefilter.acquire();
          window.append(input);
          const passed = new Map<number, number>();
          const reached = window.candidates(0, input.length, (p, bits) => void passed.set(p, bits));
          prefilter.release(window);
          const view = input.toString('latin1');
          anchors.forEach((anchor, index) => {
            const re = new RegExp(renderAnchor(anchor, encoding), 'gi');
            for (let m = re.exec(view); m && m.index < reached; re.lastIndex = m.index + 1, m = re.exec(view)) {
              checked++;
              const bits = passed.get(m.index) ?? 0;
              const buckets = prefilter.buckets.flatMap((held, b) => ((bits >> b) & 1 && held.includes(index) ? [b] : []));
              expect(buckets.length, `anchor ${index} at ${m.index} (${encoding}, spoken ${spoken})`).toBeGreaterThan(0);
            }
          });
        }
        expect(checked).toBeGreaterThan(encoding === 'utf-16le' ? 50 : 100);
      }
    }
  });

  test('cutting a set down to the cap only ever accepts more', () => {
    const source = '4(?:[ .-]|%20|&nbsp;){0,3}1(?:[ .-]|%20|&nbsp;){0,3}5(?:[ .-]|%20|&nbsp;){0,3}5';
    const exact = regexPrefixes(source, { length: 8, cap: 10_000 });
    const capped = regexPrefixes(source, { length: 8, cap: 4 });
    expect(exact.length).toBeGreaterThan(4);
    expect(capped.length).toBeLessThanOrEqual(4);
    // Every string an exact prefix accepts (one per prefix, built from its classes) passes the capped set.
    for (const p of exact) {
      const bytes = Uint8Array.from(p.classes.map((cls) => [...Array(256).keys()].find((b) => classHas(cls, b))!));
      expect(capped.some((c) => startsWith(bytes, 0, { ...c, classes: c.classes.slice(0, bytes.length) }))).toBe(true);
    }
  });

  test('reads lookarounds as empty, classes and escapes as the regex engine does', () => {
    const [p] = regexPrefixes('(?<![a-z])[\\s\\x41-\\x43]\\.(?!x)\\u00e9', { length: 8, cap: 64 });
    const members = (i: number) => [...Array(256).keys()].filter((b) => classHas(p!.classes[i]!, b));
    expect(p!.classes).toHaveLength(3);
    // `i` flag: A–C also match a–c; \s in Latin-1 includes NBSP.
    expect(members(0)).toEqual([9, 10, 11, 12, 13, 32, 0x41, 0x42, 0x43, 0x61, 0x62, 0x63, 0xa0]);
    expect(members(1)).toEqual([0x2e]);
    expect(members(2)).toEqual([0xc9, 0xe9]);
    expect(p!.open).toBe(false);
  });

  test('the longest match: bounded repeats multiply, an unbounded one is unbounded', () => {
    expect(regexMaxLength('ab(?:c|de){0,3}(?=x)')).toBe(8);
    expect(regexMaxLength('a(?:%20|\\s){1,2}b')).toBe(8);
    expect(regexMaxLength('a+')).toBe(Infinity);
  });

  test('`(?!)` matches nothing, so it adds no prefix', () => {
    const prefixes = regexPrefixes('(?:x|(?!)|y)z', { length: 8, cap: 64 });
    expect(prefixes).toHaveLength(2);
    expect(prefixes.every((p) => p.classes.length === 2)).toBe(true);
    expect(regexPrefixes('(?!)', { length: 8, cap: 64 })).toEqual([]);
  });

  test('an anchor that could match the empty string cannot be prefiltered', () => {
    expect(Prefilter.build([{ source: 'a?', index: 0 }])).toBeUndefined();
    expect(Prefilter.build([{ source: '(a)\\1', index: 0 }])).toBeUndefined();
  });
});

describe('WebAssembly kernel', () => {
  // Sixteen buckets' worth of anchors: literals, classes, optional parts, a one-byte anchor,
  // high bytes, and shapes that share first bytes.
  const sources = [
    'abc', 'a[0-9]{2}x', 'zo(?:e|\\xc3\\xab)', '%4[0-9a-f]', 'q', 'x\\s?y', 'cust48', 'cust77', '\\xe9t\\xe9', '4(?:[ .-]){0,2}1',
    '&#x?[0-9]', 'Z\\xcc[\\x80-\\x88]', '\\\\u00', '7f[a-f]{3}', 'hello', 'w(?:or|ar)ld', '1-2-3', '\\x00\\x01',
  ];
  const prefilter = Prefilter.build(sources.map((source, index) => ({ source, index })))!;

  function randomText(n: number, seed: number): Buffer {
    // Bytes drawn mostly from the anchors' own alphabet, so that near-misses are common.
    const alphabet = Buffer.from('abcxyzqoe0123456789%4fcust87 .-&#\\u\xe9\xc3\xab\xcc\x80Z\x00\x01hellowrd7', 'latin1');
    let x = seed;
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      out[i] = (x >>> 24) % 5 === 0 ? (x >>> 8) & 0xff : alphabet[(x >>> 16) % alphabet.length]!;
    }
    return out;
  }

  test('uses all sixteen buckets for these anchors', () => {
    expect(prefilter.buckets).toHaveLength(16);
    expect(new Set(prefilter.buckets.flat())).toEqual(new Set(sources.keys()));
  });

  test.each([1, 15, 16, 17, 100, 4099, 65536 + 7])('passes exactly the positions where a bucket prefix starts (%i bytes)', (n) => {
    const bytes = randomText(n + 64, n);
    const window = prefilter.acquire();
    window.append(bytes);
    const got: [number, number][] = [];
    // Start past 0 as well: the kernel is called on the part of a buffer not yet searched.
    const start = n > 20 ? 3 : 0;
    expect(window.candidates(start, n, (p, bits) => void got.push([p, bits]))).toBe(n);
    const want: [number, number][] = [];
    for (let p = start; p < n; p++) {
      let bits = 0;
      prefilter.prefixes.forEach((list, bucket) => {
        if (list.some((prefix) => startsWith(bytes, p, prefix))) bits |= 1 << bucket;
      });
      if (bits) want.push([p, bits]);
    }
    expect(got).toEqual(want);
    if (n > 4000) expect(want.length).toBeGreaterThan(10);
    prefilter.release(window);
  });

  test('gives up on a stretch where candidates are denser than one in 16 bytes', () => {
    const window = prefilter.acquire();
    window.append(Buffer.from('q'.repeat(1 << 20)));
    expect(window.candidates(0, 1 << 20, () => {})).toBe(0);
    prefilter.release(window);
  });

  test('gives up on a later 1 MiB slice after handing out every candidate of the earlier ones, and says where', () => {
    // The caller searches on from the returned offset: the first slice's candidates must not be
    // lost, nor the second slice's be taken for complete.
    const MiB = 1 << 20;
    const window = prefilter.acquire();
    window.append(Buffer.concat([randomText(MiB, 11), Buffer.from('q'.repeat(MiB + 64))]));
    const first: number[] = [];
    expect(window.candidates(0, MiB, (p) => void first.push(p))).toBe(MiB);
    const both: number[] = [];
    expect(window.candidates(0, 2 * MiB, (p) => void both.push(p))).toBe(MiB);
    expect(both).toEqual(first);
    expect(first.length).toBeGreaterThan(1000);
    prefilter.release(window);
  });

  test('stops where the visitor asks, and says where', () => {
    const window = prefilter.acquire();
    window.append(randomText(5000, 12));
    const seen: number[] = [];
    const stoppedAt = window.candidates(0, 5000, (p) => seen.push(p) === 3);
    expect(seen).toHaveLength(3);
    expect(stoppedAt).toBe(seen[2]);
    prefilter.release(window);
  });

  test('counts newlines like a byte-by-byte count, whatever the alignment', () => {
    const bytes = randomText(5000, 99).map((b) => (b % 7 === 0 ? 10 : b));
    const window = prefilter.acquire();
    window.append(bytes);
    for (const [from, to] of [[0, 5000], [1, 17], [3, 3], [15, 4999], [4000, 4017]] as const) {
      expect(window.count(from, to, 10)).toBe(bytes.subarray(from, to).filter((b) => b === 10).length);
    }
    prefilter.release(window);
  });

  test('keeps the bytes across appends, discards and memory growth', () => {
    const window = prefilter.acquire();
    const big = randomText(3 << 20, 5);
    window.append(big.subarray(0, 1000));
    window.discard(400);
    window.append(big.subarray(1000)); // grows the memory
    expect(window.bytes.equals(big.subarray(400))).toBe(true);
    prefilter.release(window);
  });
});
