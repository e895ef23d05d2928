/**
 * Remove matched text from content streams in place: the glyphs that show a match are taken out of
 * their text-showing operation and replaced by a TJ position adjustment of the same width, so the
 * rest of the page stays exactly where it was and no character of the match is left to extract.
 */
import type { HandlerContext } from '../types.js';
import { glyphText } from './glyph-text.js';
import type { Glyph, GlyphRun } from './reader.js';
import type { ContentStream, ShownText } from './text-layer.js';

/** Character codes (flat index over the operation's strings) to take out of one operation. */
export type Removals = Map<ShownText, Set<number>>;

/**
 * Which codes to take out so that no match remains in either glyph join of the page; `spans`
 * counts the matches removed. `shown[i]` is the operation pdf.js drew `runs[i]` for.
 */
export function findRemovals(shown: ShownText[], runs: GlyphRun[], ctx: Pick<HandlerContext, 'matcher' | 'placeholder'>): { removals: Removals; spans: number } {
  const removals: Removals = new Map();
  const seen = new Set<string>();
  let spans = 0;
  for (const spaced of [false, true]) {
    const joined = glyphText(runs, spaced);
    for (const m of ctx.matcher.findAll(joined.text)) {
      if (ctx.placeholder(m.id) === null) continue;
      const taken: [number, number][] = [];
      for (let u = m.start; u < m.end; u++) if (joined.run[u]! >= 0) taken.push([joined.run[u]!, joined.glyph[u]!]);
      // The same glyphs matched in both joins are one occurrence.
      const key = taken.join(';');
      if (seen.has(key)) continue;
      seen.add(key);
      spans++;
      for (const [r, g] of taken) {
        const s = shown[r]!;
        if (!removals.has(s)) removals.set(s, new Set());
        removals.get(s)!.add(g);
      }
    }
  }
  return { removals, spans };
}

function formatNumber(n: number): string {
  const s = n.toFixed(3).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

/** Horizontal advance of one glyph in TJ units (thousandths of the font size). */
function advance(s: ShownText, glyph: Glyph, code: Buffer): number {
  const wordSpace = code.length === 1 && code[0] === 0x20 ? s.wordSpacing : 0;
  const spacing = s.size ? ((s.charSpacing + wordSpace) * 1000) / s.size : 0;
  return glyph.width + spacing;
}

/** The operation rewritten as a TJ without the removed codes (a `'` or `"` keeps its line move and spacing). */
function rewriteOperation(s: ShownText, removed: Set<number>): string {
  const items: string[] = [];
  let kept: Buffer[] = [];
  let adjust = 0;
  const flushKept = () => {
    if (kept.length) items.push(`<${Buffer.concat(kept).toString('hex')}>`);
    kept = [];
  };
  const flushAdjust = () => {
    if (adjust !== 0) items.push(formatNumber(adjust));
    adjust = 0;
  };
  let code = 0;
  for (const part of s.parts) {
    if (typeof part === 'number') {
      flushKept();
      adjust += part;
      continue;
    }
    for (const bytes of part) {
      if (removed.has(code)) {
        flushKept();
        adjust -= advance(s, s.glyphs[code]!, bytes);
      } else {
        flushAdjust();
        kept.push(bytes);
      }
      code++;
    }
    flushKept();
  }
  flushAdjust();
  const op = s.stream.ops[s.op]!;
  const tj = `[${items.join(' ')}] TJ`;
  if (op.operator === "'") return `T* ${tj}`;
  if (op.operator === '"') return `${formatNumber(s.wordSpacing)} Tw ${formatNumber(s.charSpacing)} Tc T* ${tj}`;
  return tj;
}

/**
 * New bytes for each content stream that lost text; every other byte of it is kept. A form drawn
 * on several pages appears once per page: the codes removed on any of them are removed.
 */
export function rewriteStreams(removals: Removals[]): Map<ContentStream, Buffer> {
  const byStream = new Map<ContentStream, Map<number, { shown: ShownText; codes: Set<number> }>>();
  for (const page of removals) {
    for (const [shown, codes] of page) {
      const ops = byStream.get(shown.stream) ?? new Map<number, { shown: ShownText; codes: Set<number> }>();
      byStream.set(shown.stream, ops);
      const entry = ops.get(shown.op) ?? { shown, codes: new Set<number>() };
      ops.set(shown.op, entry);
      for (const c of codes) entry.codes.add(c);
    }
  }
  const out = new Map<ContentStream, Buffer>();
  for (const [stream, ops] of byStream) {
    const edits = [...ops.values()]
      .map(({ shown, codes }) => ({ op: stream.ops[shown.op]!, text: rewriteOperation(shown, codes) }))
      .sort((a, b) => a.op.start - b.op.start);
    const parts: Buffer[] = [];
    let at = 0;
    for (const { op, text } of edits) {
      parts.push(stream.data.subarray(at, op.start), Buffer.from(text, 'latin1'));
      at = op.end;
    }
    parts.push(stream.data.subarray(at));
    out.set(stream, Buffer.concat(parts));
  }
  return out;
}
