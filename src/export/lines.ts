/** Lines of a decoded text with their 1-based numbers, and the part of a long line worth exporting. */

export interface Line {
  line: number;
  text: string;
}

export function linesOf(text: string): Line[] {
  return text.split(/\r\n|\n|\r/).map((t, i) => ({ line: i + 1, text: t }));
}

/** Lines longer than this are exported as windows around the subject's matches, not whole. */
export const MAX_SEGMENT = 4096;
const WINDOW = 256;

/**
 * The text segment of a line that carries the subject's data: the whole line, or for a very long
 * line the parts around each match (joined with `…`), so one minified line does not become megabytes.
 */
export function segmentAround(text: string, matches: readonly { start: number; end: number }[]): string {
  if (text.length <= MAX_SEGMENT || matches.length === 0) return text;
  const spans: [number, number][] = [];
  for (const m of [...matches].sort((a, b) => a.start - b.start)) {
    const s = Math.max(0, m.start - WINDOW);
    const e = Math.min(text.length, m.end + WINDOW);
    const last = spans[spans.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else spans.push([s, e]);
  }
  return spans.map(([s, e]) => (s > 0 ? '…' : '') + text.slice(s, e) + (e < text.length ? '…' : '')).join(' ');
}

/** A function giving the 1-based line of an offset in `text` (binary search over line starts). */
export function lineFinder(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
