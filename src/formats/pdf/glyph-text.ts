/**
 * A page's text rebuilt from the glyphs pdf.js drew, in content order, with each code unit tied to
 * the glyph it came from. Extracted page text (pdf-parse) lays glyphs out by position and may break
 * an identifier apart (letter-spaced text gets a space between every letter); the glyph sequence
 * does not. Two joins, because an identifier may be split across text operations with nothing
 * between (`(zoe.mu) Tj (ller@…) Tj`) or have its words in separate operations with only
 * positioning between them.
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

/** tight: glyphs only; spaced: a space between operations and at word-sized TJ gaps. */
export function glyphText(runs: GlyphRun[], spaced: boolean): GlyphText {
  const units: string[] = [];
  const run: number[] = [];
  const glyph: number[] = [];
  let last = '';
  const gap = () => {
    if (spaced && last !== '' && last !== ' ') {
      units.push(' ');
      run.push(-1);
      glyph.push(-1);
      last = ' ';
    }
  };
  runs.forEach((items, r) => {
    gap();
    let g = 0;
    for (const item of items) {
      if (typeof item === 'number') {
        if (item <= WORD_GAP) gap();
        continue;
      }
      if (item === null) continue;
      // pdf.js normalises extracted text (a ligature becomes its letters): the same per glyph.
      const unicode = (item as Glyph).unicode.normalize('NFKC');
      for (let u = 0; u < unicode.length; u++) {
        run.push(r);
        glyph.push(g);
      }
      if (unicode !== '') {
        units.push(unicode);
        last = unicode;
      }
      g++;
    }
  });
  return { text: units.join(''), run: Int32Array.from(run), glyph: Int32Array.from(glyph) };
}
