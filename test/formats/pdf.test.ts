/**
 * PDF: every place a PDF shows text is searched, and the redacted copy is a valid PDF in which
 * neither pdf-parse, nor poppler's pdftotext, nor a raw search of its (inflated) streams finds an
 * identifier, with the layout of the rest of each page kept.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { PDFParse } from 'pdf-parse';
import { describe, expect, test } from 'vitest';
import { pdfHandler } from '../../src/formats/pdf/handler.js';
import { ArtifactProblem } from '../../src/formats/types.js';
import { ROOT, tempDir } from '../helpers.js';
import { identifiers, runHandler } from './pdf-binary-harness.js';

const DIR = path.join(ROOT, 'fixtures/formats/pdf');
const fixture = (name: string) => readFileSync(path.join(DIR, name));

const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).error === undefined;
if (!HAS_PDFTOTEXT) console.warn('pdftotext (Debian package poppler-utils) is not installed: the checks that read PDFs with poppler are skipped');

/**
 * Identifier values a reader would see, searched with whitespace removed (letter-spaced text comes
 * out as `9 f 3 a …`) and owing nothing to the matcher. The near miss `….com.au` is not a leak.
 */
const LEAKS: [string, RegExp][] = [
  ['email', /zoe\.muller@contoso\.com(?!\.au)/i],
  ['phone#0', /\(?415\)?-?555-?0115/],
  ['phone#1', /7700900968/],
  ['name', /zo[eë]m[uü]ller|m[uü]ller,?zo[eë]/i],
  ['id#0', /cust48213907/i],
  ['id#1', /9f3a2c71be04d5e6/i],
  ['id#2', /6f9619ff-?8b86/i],
];

function leaks(text: string): string[] {
  const compact = text.replace(/\s+/g, '');
  return LEAKS.filter(([, re]) => re.test(compact)).map(([name]) => name);
}

/** Page texts, information fields and XMP as pdf-parse reads them. */
async function pdfParseText(bytes: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    const { pages } = await parser.getText();
    const info = await parser.getInfo();
    return [...pages.map((p) => p.text), JSON.stringify(info.info), info.metadata ? String((info.metadata as { getRaw(): string }).getRaw()) : ''].join('\n');
  } finally {
    await parser.destroy();
  }
}

async function pdftotext(bytes: Buffer, ...args: string[]): Promise<string> {
  const file = path.join(await tempDir('dsr-pdf-'), 'copy.pdf');
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', [...args, file, '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

/** The file and every stream in it inflated, with UTF-16 and hex string forms decoded: what a raw search would find. */
function rawText(bytes: Buffer): string {
  const parts = [bytes.toString('latin1')];
  for (const m of bytes.toString('latin1').matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const end = bytes.indexOf('endstream', start, 'latin1');
    try {
      parts.push(inflateSync(bytes.subarray(start, end)).toString('latin1'));
    } catch {
      /* not deflated */
    }
  }
  const text = parts.join('\n');
  const hex = [...text.matchAll(/<([0-9a-f\s]{4,})>/gi)].map((h) => Buffer.from(h[1]!.replace(/\s/g, ''), 'hex'));
  const utf16 = hex.map((b) => (b[0] === 0xfe && b[1] === 0xff ? Buffer.from(b.subarray(2)).swap16().toString('utf16le') : b.toString('latin1')));
  return [text, ...utf16, Buffer.from(text, 'latin1').toString('utf8')].join('\n');
}

function countBy(found: { id: number; locator: Record<string, unknown> }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of found) {
    const i = identifiers[f.id]!;
    const key = `${JSON.stringify(f.locator)} ${i.kind}#${i.index}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('traps.pdf', async () => {
  const original = fixture('traps.pdf');
  const erased = await runHandler(pdfHandler, original, { redact: true });
  const copy = erased.copy!;

  test('finds identifiers split across operators, in hex strings, letter-spaced, in forms, composite fonts, metadata, annotations and the outline', async () => {
    const { found } = await runHandler(pdfHandler, original);
    expect(countBy(found)).toEqual({
      // TJ split, Tj's on one line, hex string, name across two Tj's, ' and ", letter-spaced hex id
      '{"page":1} email#0': 1,
      '{"page":1} phone#0': 1,
      '{"page":1} phone#1': 2,
      '{"page":1} id#0': 1,
      '{"page":1} id#1': 1,
      '{"page":1} name#0': 1,
      // a form XObject, and two-byte codes of a composite font known only through its ToUnicode map
      '{"page":2} id#2': 1,
      '{"page":2} name#0': 1,
      '{"page":1,"annotation":"author"} name#0': 1,
      '{"page":1,"annotation":"contents"} phone#1': 1,
      '{"metadata":"Author"} name#0': 1,
      '{"metadata":"Title"} email#0': 1,
      '{"metadata":"Keywords"} id#0': 1,
      '{"metadata":"XMP"} name#0': 1,
      '{"metadata":"XMP"} email#0': 1,
      '{"outline":true} email#0': 1,
    });
  });

  test('the copy shows no identifier to pdf-parse or to a raw search of its streams', async () => {
    expect(leaks(await pdfParseText(original)).length).toBeGreaterThan(0);
    expect(leaks(await pdfParseText(copy))).toEqual([]);
    expect(leaks(rawText(original)).length).toBeGreaterThan(0);
    expect(leaks(rawText(copy))).toEqual([]);
    // Written fresh: one revision, nothing appended.
    expect(copy.toString('latin1').match(/%%EOF/g)).toHaveLength(1);
    const again = await runHandler(pdfHandler, copy);
    expect(again.found).toEqual([]);
  });

  test.skipIf(!HAS_PDFTOTEXT)('the copy shows no identifier to pdftotext, and the text around each one stays where it was', async () => {
    expect(leaks(await pdftotext(original)).length).toBeGreaterThan(0);
    const text = await pdftotext(copy);
    expect(leaks(text)).toEqual([]);
    for (const kept of ['Invoice total 42.00 EUR', 'Thank you for your patience.', 'zoe.muller@contoso.com.au', 'Appendix: nothing personal here.']) {
      expect(text.replace(/\s+/g, ' ')).toContain(kept.replace(/ /g, ' '));
    }
    // Word boxes: the words after a removed identifier keep their position on the page.
    const boxes = async (bytes: Buffer) => {
      const html = await pdftotext(bytes, '-bbox');
      return new Map([...html.matchAll(/xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>(evenings|here|end|closed|signed\.|registered)</g)].map((m) => [m[3], [Number(m[1]), Number(m[2])]]));
    };
    const before = await boxes(original);
    const after = await boxes(copy);
    expect(after.size).toBe(5);
    for (const [word, [x, y]] of after) {
      expect(x, word).toBeCloseTo(before.get(word)![0]!, 1);
      expect(y, word).toBeCloseTo(before.get(word)![1]!, 1);
    }
  });

  test('reports what it did: placeholders and in-place removal', () => {
    expect(erased.spans).toBeGreaterThanOrEqual(16);
    expect(erased.notes).toEqual(['pages 1–2: text removed in place, layout kept']);
  });

  test('an access copy keeps the identifiers it is told to keep', async () => {
    const email = identifiers.findIndex((i) => i.kind === 'email');
    const kept = await runHandler(pdfHandler, original, { redact: true, keep: [email] });
    const text = await pdfParseText(kept.copy!);
    expect(leaks(text)).toEqual(['email']);
  });
});

test('a page whose content cannot be traced to its glyphs is re-rendered as plain text, and the report says so', async () => {
  const original = fixture('broken-content.pdf');
  const erased = await runHandler(pdfHandler, original, { redact: true });
  expect(erased.notes).toEqual([
    'page 2: text removed in place, layout kept',
    'page 1 re-rendered as plain text (text could not be removed in place; images and layout dropped)',
  ]);
  const text = await pdfParseText(erased.copy!);
  expect(leaks(text)).toEqual([]);
  expect(text).toContain('Ticket raised by [REDACTED:email]');
  expect(text).toContain('Status: open');
});

test('an image-only page is reported as unsearchable; the text page is redacted and the image kept', async () => {
  const original = fixture('image-only.pdf');
  const erased = await runHandler(pdfHandler, original, { redact: true });
  expect(erased.found.map((f) => f.locator)).toEqual([{ page: 2 }]);
  expect(erased.notes[0]).toBe('page 1 has no text layer (image only?): not searchable');
  expect(leaks(await pdfParseText(erased.copy!))).toEqual([]);
  expect(erased.copy!.toString('latin1')).toMatch(/\/Subtype\s*\/Image/);
});

test('an incremental update is not carried over: the copy is one revision without the old content stream', async () => {
  const original = fixture('incremental.pdf');
  expect(original.toString('latin1').match(/%%EOF/g)).toHaveLength(2);
  expect(rawText(original)).toContain('Draft: reply to zoe.muller@contoso.com');
  const erased = await runHandler(pdfHandler, original, { redact: true });
  // The current page, and revision 1's page and title (the update replaced both).
  expect(countBy(erased.found)).toEqual({ '{"page":1} email#0': 1, '{"revision":1,"page":1} email#0': 1, '{"revision":1,"metadata":"Title"} name#0': 1 });
  const copy = erased.copy!;
  expect(copy.toString('latin1').match(/%%EOF/g)).toHaveLength(1);
  expect(leaks(rawText(copy))).toEqual([]);
  expect(rawText(copy)).not.toContain('Draft');
});

test('what only an earlier revision shows is found, and gone from the copy', async () => {
  const original = fixture('earlier-revision.pdf');
  expect(leaks(await pdfParseText(original))).toEqual([]);
  const erased = await runHandler(pdfHandler, original, { redact: true });
  expect(countBy(erased.found)).toEqual({ '{"revision":1,"page":1} email#0': 1, '{"revision":1,"metadata":"Title"} name#0': 1 });
  expect(erased.spans).toBe(2);
  const copy = erased.copy!;
  expect(leaks(rawText(original))).toEqual(['email', 'name']);
  expect(leaks(rawText(copy))).toEqual([]);
  expect(await pdfParseText(copy)).toContain('Final: reply sent.');
});

describe('unreadable PDFs get a reason, never a crash', () => {
  test.each([
    ['encrypted.pdf', 'skipped', 'encrypted PDF (a password is needed to read it)'],
    ['truncated.pdf', 'failed', 'corrupt or truncated PDF: Invalid PDF structure.'],
    ['garbage.pdf', 'failed', 'corrupt or truncated PDF: Invalid PDF structure.'],
  ])('%s', async (name, status, reason) => {
    const run = runHandler(pdfHandler, fixture(name), { redact: true });
    await expect(run).rejects.toBeInstanceOf(ArtifactProblem);
    await expect(run).rejects.toMatchObject({ status, reason });
  });
});

test('recognised by its header, also after a few leading bytes, but not by a log line that mentions one', () => {
  const head = (s: string) => Buffer.from(s, 'latin1');
  expect(pdfHandler.recognizes(fixture('traps.pdf'), 'a.bin')).toBe(true);
  expect(pdfHandler.recognizes(head('\r\n%PDF-1.4\n%\xe2\xe3\n1 0 obj'), 'a')).toBe(true);
  expect(pdfHandler.recognizes(head('junk before\n%PDF-1.7\n'), 'a')).toBe(true);
  expect(pdfHandler.recognizes(head('2026-01-01 upload ok: header %PDF-1.4 seen\n'), 'a.pdf')).toBe(false);
});
