/**
 * Search and redact one decoded string held whole in memory: a header, an entry name, a
 * property of a message, a part of an e-mail; and the replacements that do it. Streams go
 * through the text scanners instead.
 */
import type { Match } from '../scan/matcher.js';
import type { HandlerContext } from './types.js';

export interface RedactedSegment {
  text: string;
  /** Placeholders written. */
  spans: number;
}

/** A replacement of text[start, end) by `text`. Spans are sorted and do not overlap. */
export interface Replacement {
  start: number;
  end: number;
  text: string;
}

/**
 * Every match in `text` goes to `onMatch` (when given), in order; the result is `text` with each
 * match replaced by its placeholder; overlapping matches share one placeholder.
 */
export function redactSegment(text: string, ctx: Pick<HandlerContext, 'matcher' | 'placeholder'>, onMatch?: (m: Match) => void): RedactedSegment {
  const matches = ctx.matcher.findAll(text).sort(byStart);
  if (onMatch) matches.forEach(onMatch);
  const replacements = replacementsFor(matches, (id) => ctx.placeholder(id));
  return { text: replacements.length ? replaceAll(text, replacements) : text, spans: replacements.length };
}

/** Replacements for the matches that get a placeholder; overlapping matches merge into the first. */
export function replacementsFor(matches: readonly Match[], placeholder: (id: number) => string | null): Replacement[] {
  const out: Replacement[] = [];
  for (const m of [...matches].sort(byStart)) {
    const text = placeholder(m.id);
    if (text === null) continue;
    const last = out[out.length - 1];
    if (last && m.start < last.end) last.end = Math.max(last.end, m.end);
    else out.push({ start: m.start, end: m.end, text });
  }
  return out;
}

/** `text` with the replacements made. */
export function replaceAll(text: string, spans: readonly Replacement[]): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + s.text;
    at = s.end;
  }
  return out + text.slice(at);
}

/** By start, the longer first where two start together. */
function byStart(a: Match, b: Match): number {
  return a.start - b.start || b.end - a.end;
}
