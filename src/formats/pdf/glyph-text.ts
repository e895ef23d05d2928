/**
 * A page's text rebuilt from the glyphs pdf.js drew, in content order. Extracted page text
 * (pdf-parse) lays glyphs out by position and may break an identifier apart (letter-spaced text
 * gets a space between every letter); the glyph sequence does not. Two joins, because an identifier
 * may be split across text operations with nothing between (`(zoe.mu) Tj (ller@…) Tj`) or have its
 * words in separate operations with only positioning between them.
 */
import type { Glyph, GlyphRun } from './reader.js';

/** A TJ adjustment this negative (thousandths of an em) reads as a word gap. */
const WORD_GAP = -200;

export interface GlyphText {
  text: string;
  /** Per code unit of text: the run (text operation) and the glyph within it, or -1 for an inserted space. */
  run: Int32Array;
  glyph: Int32Array;
}

/**
 * The glyphs of `runs` in drawing order: `glyph` gets each glyph's text, `gap` is called where the
 * spaced join puts a space (between operations and at word-sized TJ gaps, never after a space).
 */
function walk(runs: GlyphRun[], glyph: (unicode: string, run: number, index: number) => void, gap: () => void): void {
  let last = '';
  const space = () => {
    if (last !== '' && last !== ' ') {
      gap();
      last = ' ';
    }
  };
  runs.forEach((items, r) => {
    space();
    let g = 0;
    for (const item of items) {
      if (typeof item === 'number') {
        if (item <= WORD_GAP) space();
        continue;
      }
      if (item === null) continue;
      const unicode = normalized((item as Glyph).unicode);
      glyph(unicode, r, g);
      if (unicode !== '') last = unicode;
      g++;
    }
  });
}

/**
 * pdf.js normalises extracted text (a ligature becomes its letters): the same per glyph. One
 * character below U+00A0 is its own NFKC form, and it is most glyphs: they skip normalize().
 */
function normalized(unicode: string): string {
  return unicode.length === 1 && unicode.charCodeAt(0) < 0xa0 ? unicode : unicode.normalize('NFKC');
}

/** The tight join (glyphs only) and the spaced join of `runs`, in one pass: what a page is searched in. */
export function glyphJoins(runs: GlyphRun[]): [tight: string, spaced: string] {
  let tight = '';
  let spaced = '';
  walk(
    runs,
    (unicode) => {
      tight += unicode;
      spaced += unicode;
    },
    () => {
      spaced += ' ';
    },
  );
  return [tight, spaced];
}

/** One join with each code unit tied to its glyph, for taking matched glyphs out of the content. */
export function glyphText(runs: GlyphRun[], spaced: boolean): GlyphText {
  const units: string[] = [];
  const run: number[] = [];
  const glyph: number[] = [];
  walk(
    runs,
    (unicode, r, g) => {
      for (let u = 0; u < unicode.length; u++) {
        run.push(r);
        glyph.push(g);
      }
      units.push(unicode);
    },
    () => {
      if (!spaced) return;
      units.push(' ');
      run.push(-1);
      glyph.push(-1);
    },
  );
  return { text: units.join(''), run: Int32Array.from(run), glyph: Int32Array.from(glyph) };
}
