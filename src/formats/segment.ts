/**
 * Search and redact one decoded string held whole in memory: a header, an entry name, a
 * property of a message. Streams go through TextStreamScanner instead.
 */
import type { Match } from '../scan/matcher.js';
import type { HandlerContext } from './types.js';

export interface RedactedSegment {
  text: string;
  /** Placeholders written. */
  spans: number;
}

/**
 * Every match in `text` goes to `onMatch` (when given); the result is `text` with each match
 * replaced by its placeholder; overlapping matches share one placeholder.
 */
export function redactSegment(text: string, ctx: Pick<HandlerContext, 'matcher' | 'placeholder'>, onMatch?: (m: Match) => void): RedactedSegment {
  const matches = ctx.matcher.findAll(text).sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  let spans = 0;
  for (const m of matches) {
    onMatch?.(m);
    const placeholder = ctx.placeholder(m.id);
    if (placeholder === null) continue;
    if (m.start < at) {
      // Overlaps a replaced match: the one placeholder covers both.
      at = Math.max(at, m.end);
      continue;
    }
    out += text.slice(at, m.start) + placeholder;
    at = m.end;
    spans++;
  }
  return { text: spans ? out + text.slice(at) : text, spans };
}
