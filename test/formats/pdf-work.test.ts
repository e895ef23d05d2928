/**
 * PDF reading does each piece of work once: a page's glyph joins are built in one pass and equal
 * the indexed joins redaction uses, every text is searched once however often it is asked about,
 * every page's operator list is fetched once per reading, and loading pdf.js leaves Node's own
 * Array.prototype.push in place.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { afterEach, expect, test, vi } from 'vitest';
import { glyphJoins, glyphText } from '../../src/formats/pdf/glyph-text.js';
import { pdfHandler } from '../../src/formats/pdf/handler.js';
import { PdfReader, type Glyph, type GlyphRun } from '../../src/formats/pdf/reader.js';
import { searchingOnce } from '../../src/scan/search-once.js';
import { ROOT } from '../helpers.js';
import { matcher, runHandler } from './pdf-binary-harness.js';

const traps = readFileSync(path.join(ROOT, 'fixtures/formats/pdf/traps.pdf'));

afterEach(() => {
  vi.restoreAllMocks();
});

const g = (unicode: string): Glyph => ({ originalCharCode: 0, unicode, width: 500 });

test('the glyph joins: word gaps, a space glyph, NBSP, a ligature, a combining accent, an empty run; indexes per code unit', () => {
  const runs: GlyphRun[] = [
    [g('Z'), g('o'), -20, g('e')],
    [g('M'), -250, g('ü'), null, g('ﬁ')],
    [g(' '), g('x')],
    [g('\u00a0'), g('y')],
    [],
    [g('e\u0301'), g(''), g('z')],
  ];
  const tight = 'ZoeMüfi x yéz';
  const spaced = 'Zoe M üfi  x  y éz';
  expect(glyphJoins(runs)).toEqual([tight, spaced]);
  const t = glyphText(runs, false);
  expect(t.text).toBe(tight);
  expect([...t.run]).toEqual([0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 5, 5]);
  expect([...t.glyph]).toEqual([0, 1, 2, 0, 1, 2, 2, 0, 1, 0, 1, 0, 2]);
  const s = glyphText(runs, true);
  expect(s.text).toBe(spaced);
  expect([...s.run]).toEqual([0, 0, 0, -1, 1, -1, 1, 1, 1, -1, 2, 2, -1, 3, 3, -1, 5, 5]);
  expect([...s.glyph]).toEqual([0, 1, 2, -1, 0, -1, 1, 2, 2, -1, 0, 1, -1, 0, 1, -1, 0, 2]);
});

test('searchingOnce searches each distinct string once and hands out copies', () => {
  const findAll = vi.spyOn(matcher, 'findAll');
  const search = searchingOnce(matcher);
  const text = 'mail zoe.muller@contoso.com today';
  const first = search.findAll(text);
  first.push({ ...first[0]! });
  expect(search.findAll(text)).toHaveLength(1);
  expect(search.findAll('nothing here')).toEqual([]);
  expect(findAll.mock.calls.map(([t]) => t)).toEqual([text, 'nothing here']);
});

test('erase: every text is searched once and every page read once per reading (the original, then the copy)', async () => {
  const findAll = vi.spyOn(matcher, 'findAll');
  const reader = await PdfReader.open(traps);
  const page = Object.getPrototypeOf(await reader.doc.getPage(1)) as { getOperatorList(): unknown };
  await reader.destroy();
  const operatorLists = vi.spyOn(page, 'getOperatorList');

  const erased = await runHandler(pdfHandler, traps, { redact: true });
  expect(erased.notes).toEqual(['pages 1–2: text removed in place, layout kept']);

  const searched = new Map<string, number>();
  for (const [text] of findAll.mock.calls) searched.set(text, (searched.get(text) ?? 0) + 1);
  expect([...searched.values()].filter((n) => n > 1)).toEqual([]);
  // 3 pages read, then the 3 pages of the copy read back to check it; none fetched again to be rewritten.
  expect(operatorLists).toHaveBeenCalledTimes(6);
});

test('reading a PDF leaves Node’s own Array.prototype.push in place', async () => {
  await runHandler(pdfHandler, traps);
  // Function.prototype.toString of another realm: pdf.js's core-js makes this realm's one call every push native.
  const sourceOf = vm.runInNewContext('Function.prototype.toString') as (this: unknown) => string;
  expect(sourceOf.call(Array.prototype.push)).toContain('[native code]');
});
