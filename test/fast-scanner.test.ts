/**
 * The anchored fast path must give exactly what the plain streaming scan gives — findings,
 * encoding and redacted bytes — for every artifact of the example store and every read size,
 * plus inputs built to stress the anchors: matches whose anchor sits far from their start,
 * anchors straddling reads, escaped forms, BOMs and stray bytes.
 */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { Matcher } from '../src/scan/matcher.js';
import { TextStreamScanner, type TextMatch } from '../src/text/stream-scanner.js';
import { createTextScanner } from '../src/text/scanner.js';
import { FastTextScanner, textView } from '../src/text/fast-scanner.js';
import { PrefilterWindow } from '../src/text/prefilter.js';
import { filesUnder, STORE, zoe } from './helpers.js';

const { identifiers } = await zoe();
const matcher = new Matcher(identifiers, { spoken: false });

function run(input: Buffer, chunk: number, fast: boolean) {
  const matches: TextMatch[] = [];
  const out: Buffer[] = [];
  const options = { onMatch: (m: TextMatch) => matches.push(m), output: (b: Buffer) => out.push(Buffer.from(b)), placeholder: (id: number) => `[${id}]` };
  let describe: () => string;
  let push: (b: Buffer) => void;
  let end: () => void;
  if (fast) {
    const s = createTextScanner(matcher, options);
    [describe, push, end] = [() => s.describe(), (b) => s.push(b), () => s.end()];
  } else {
    const s = new TextStreamScanner(matcher, options);
    [describe, push, end] = [() => s.decoder.describe(), (b) => s.push(b), () => s.end()];
  }
  for (let i = 0; i < input.length; i += chunk) push(input.subarray(i, i + chunk));
  end();
  return { matches, redacted: Buffer.concat(out), encoding: describe() };
}

/** Whether createTextScanner really took the anchored path (else every comparison is plain vs plain). */
const fastPushes = vi.spyOn(FastTextScanner.prototype, 'push');
/** Whether the byte prefilter ran, and whether it gave up (too many candidates) somewhere. */
const kernel = vi.spyOn(PrefilterWindow.prototype, 'candidates');
/** Calls of the prefilter that handed out every candidate to their end, or gave up before it. */
const kernelRuns = () => kernel.mock.calls.map((call, i) => ({ complete: kernel.mock.results[i]!.value === call[1] }));
afterEach(() => {
  fastPushes.mockClear();
  kernel.mockClear();
});


function expectSame(input: Buffer, sizes: number[]) {
  const plain = run(input, 1 << 20, false);
  for (const size of sizes) {
    const fast = run(input, size, true);
    expect(fast.matches, `read size ${size}`).toEqual(plain.matches);
    expect(fast.encoding).toBe(plain.encoding);
    expect(fast.redacted.equals(plain.redacted), `read size ${size}`).toBe(true);
  }
  return plain;
}

describe('fast path equals the plain scan on the example store', () => {
  test.each(filesUnder(STORE).map((f) => [path.relative(STORE, f), f]))('%s', (_rel, file) => {
    const raw = readFileSync(file);
    const input = file.endsWith('.gz') ? gunzipSync(raw) : raw;
    const plain = expectSame(input, [7, 100, 4096, 70000, 1 << 20]);
    // UTF-16 text has no byte anchors and stays on the plain scan; everything else is anchored,
    // through the byte prefilter.
    expect(fastPushes.mock.calls.length > 0).toBe(!plain.encoding.startsWith('utf-16'));
    expect(kernelRuns().some((r) => r.complete)).toBe(!plain.encoding.startsWith('utf-16'));
  });
});

describe('fast path traps', () => {
  // Filler that holds pieces of the identifiers (anchor hits that are not matches).
  const noise = 'zoe.mullerx@contoso.co 4155 555 01 CUST4821390 Zoey Müllers zoë %7a &#122; \\u007a ';

  test('a phone number whose anchor is far from the match start (+1 prefix) in a long stream', () => {
    const input = Buffer.from((noise + '\n').repeat(3000) + 'call 001 (415) 555-0115 now\n' + (noise + '\n').repeat(3000));
    const plain = expectSame(input, [1, 13, 4093, 65536]);
    expect(plain.matches).toHaveLength(1);
  });

  test('a phone whose anchor looks back over several earlier anchors keeps matches in order', () => {
    // The phone's look-back interval swallows the name's and the e-mail's: all three must be
    // evaluated in one ordered pass, or the redacted copy keeps the e-mail.
    const input = Buffer.from('ticket 5531: Zoë Müller <zoe.muller@contoso.com> called from +1 (415) 555-0115\n');
    const plain = expectSame(input, [1, 7, 4096]);
    expect(plain.matches.map((m) => identifiers[m.id]!.kind)).toEqual(['name', 'email', 'phone']);
    expect(plain.redacted.toString()).toBe('ticket 5531: [3] <[0]> called from [1]\n');
  });

  test('Last, First puts the anchored first name after the start of the match', () => {
    const input = Buffer.from('x'.repeat(70000) + ' MÜLLER,  ZOË A. ' + 'y'.repeat(70000));
    expect(expectSame(input, [3, 997, 65536]).matches.map((m) => m.variant)).toEqual(['last-first+middle-initial+case']);
  });

  test('names whose parts are parted by a Unicode space (thin, narrow no-break, ideographic, BOM)', () => {
    // The name pattern's separator is `\s`, which matches these in text; in UTF-8 bytes each has
    // its own multi-byte form, which a byte-level `\s` in the anchor would not see.
    const input = Buffer.from(`${noise}\nZoë\u2009Müller, Zoë\u202fMüller; Müller,\u3000Zoë; Zoë\ufeffMüller\n${noise}\n`);
    expect(expectSame(input, [1, 5, 4096]).matches).toHaveLength(4);
  });

  test('escaped forms only (no literal part of the e-mail)', () => {
    const obfuscated = [...'zoe.muller@contoso.com'].map((c) => `&#${c.charCodeAt(0)};`).join('');
    const input = Buffer.from(`${noise}<a>${obfuscated}</a> zoe%2Emuller%40contoso.com Zo\\u00eb M\\u00fcller ${noise}`.repeat(40));
    expect(expectSame(input, [5, 333, 4096]).matches).toHaveLength(120);
  });

  test('UTF-8 with a BOM, NFD names and a stray byte', () => {
    const input = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('Zoe\u0308 Mu\u0308ller\n'.repeat(10)),
      Buffer.from([0xe2, 0x82]),
      Buffer.from(' zoe.muller@contoso.com caf\u00e9\n'),
    ]);
    const plain = expectSame(input, [1, 2, 3, 5, 64]);
    expect(plain.matches).toHaveLength(11);
    expect(plain.encoding).toBe('utf-8 with windows-1252 bytes');
  });

  test('a Latin-1 line after 64 KiB of UTF-8 (its bytes read as Windows-1252) is anchored too', () => {
    // The file is judged UTF-8 from its head; the stray bytes EB and FC later decode as ë and ü.
    const input = Buffer.concat([Buffer.from('a'.repeat(70000) + '\n'), Buffer.from('xx Zo\xeb M\xfcller yy\n'.repeat(20), 'latin1')]);
    const plain = expectSame(input, [4096, 65536]);
    expect(plain.matches).toHaveLength(20);
    expect(plain.encoding).toBe('windows-1252');
  });

  test('Windows-1252 text uses the fast path and matches the plain scan', () => {
    const input = Buffer.from(('M\u00fcller, Zo\u00eb \u2013 4155550115 \u0093quoted\u0094\n').repeat(500), 'latin1');
    let fast = false;
    const scanner = createTextScanner(matcher, { onMatch: () => {} });
    scanner.push(input);
    scanner.end();
    fast = scanner.describe() === 'windows-1252';
    expect(fast).toBe(true);
    expect(fastPushes).toHaveBeenCalled();
    expect(expectSame(input, [9, 4096]).matches).toHaveLength(1000);
  });

  test('where the prefilter passes too much (the first name over and over), the regex search takes over', () => {
    // `zoe ` starts a name-anchor prefix every four bytes: denser than the kernel pays for.
    const dense = 'zoe '.repeat(50_000);
    const input = Buffer.from(`${dense}\ncall +1 (415) 555-0115 or zoe.muller@contoso.com\n${dense}\n`);
    const plain = expectSame(input, [4096, 1 << 20]);
    expect(plain.matches).toHaveLength(2);
    expect(kernelRuns().some((r) => !r.complete)).toBe(true);
  });

  test('reading straight into the scanner (a range worker\'s reads) gives what push() gives', async () => {
    const { writeFile } = await import('node:fs/promises');
    const { tempDir } = await import('./helpers.js');
    const input = Buffer.from((noise + '\ncall +1 (415) 555-0115 or mail zoe.muller@contoso.com\n').repeat(1000));
    const file = path.join(await tempDir(), 'log.txt');
    await writeFile(file, input);
    const pushed = run(input, 4096, true);
    for (const size of [7, 777, 65536]) {
      const matches: TextMatch[] = [];
      const scanner = new FastTextScanner(matcher, textView('utf-8'), 0, { onMatch: (m) => matches.push(m) });
      const fd = openSync(file, 'r');
      for (let at = 0; at < input.length; ) at += scanner.readFrom(fd, at, Math.min(size, input.length - at));
      closeSync(fd);
      scanner.end();
      expect(matches, `read size ${size}`).toEqual(pushed.matches);
    }
    expect(pushed.matches).toHaveLength(2000);
  });

  test('the anchored scanner is really used for UTF-8 text', () => {
    expect(matcher.anchors('utf-8')).toBeDefined();
    // Spoken forms anchor on how they start (detectors/spoken.ts), so they keep the fast path too.
    expect(new Matcher(identifiers).anchors('utf-8')).toBeDefined();
    expect(new FastTextScanner(matcher, textView('utf-8'), 0, { onMatch: () => {} }).describe()).toBe('utf-8');
    const scanner = createTextScanner(matcher, { onMatch: () => {} });
    scanner.push(Buffer.from('zoe.muller@contoso.com\n'));
    scanner.end();
    expect(fastPushes).toHaveBeenCalled();
  });
});
