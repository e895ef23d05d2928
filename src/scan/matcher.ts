/**
 * One compiled search for all of a request's identifiers. Stateless and shared: per-stream state
 * (which matches were already reported) lives in a MatchState.
 */
import { buildPattern, classifyVariant, type BuildOptions } from '../../detectors/identifiers.js';
import { MAX_LOOKAHEAD, MAX_LOOKBEHIND } from '../../detectors/escapes.js';
import type { Identifier } from '../types.js';

export interface Match {
  /** Position of the identifier in Matcher.identifiers. */
  id: number;
  /** Absolute offsets in the stream, UTF-16 code units, end exclusive. */
  start: number;
  end: number;
  variant: string;
}

/**
 * What scanners and format layers search with. The subject's Matcher is one; an access run adds
 * other people's personal data found by detectors. Match ids index whatever the finder reports.
 */
export interface SpanFinder {
  /** Characters of context a scan needs before its first start position. */
  readonly lookbehind: number;
  /** Characters past a start position that decide whether a match starts there. */
  readonly reach: number;
  newState(): MatchState;
  scan(text: string, base: number, from: number, until: number, state: MatchState, onMatch: (m: Match) => void): void;
  /** All matches in a whole string: for segments such as headers, parts and pages. */
  findAll(text: string): Match[];
  /** `text` with every match replaced, for messages that might quote artifact content. */
  scrub(text: string, placeholder?: string): string;
}

export class Matcher implements SpanFinder {
  readonly identifiers: readonly Identifier[];
  /** Characters of context a scan needs before its first start position. */
  readonly lookbehind = MAX_LOOKBEHIND;
  /**
   * Characters past a start position that decide whether a match starts there. A streaming
   * scanner only tries positions at least this far from the end of what it has read.
   */
  readonly reach: number;
  private readonly regex: RegExp;

  constructor(identifiers: readonly Identifier[], options: BuildOptions = {}) {
    if (identifiers.length === 0) throw new Error('no identifiers to search for');
    this.identifiers = identifiers;
    const patterns = identifiers.map((identifier) => buildPattern(identifier, options));
    // Longer identifiers first, so that where two start at the same place the longer one wins.
    this.regex = new RegExp(patterns.map((p) => `(${p.source})`).join('|'), 'gi');
    this.reach = Math.max(...patterns.map((p) => p.maxLen)) + MAX_LOOKAHEAD;
  }

  newState(): MatchState {
    return new MatchState(this.identifiers.length);
  }

  /**
   * Report every match that starts in [from, until) of `text`, whose first code unit has absolute
   * offset `base`. Positions before `from` serve as lookbehind context only. A match may end
   * after `until`; the caller guarantees `text` reaches `until + reach` unless it is the end.
   */
  scan(text: string, base: number, from: number, until: number, state: MatchState, onMatch: (m: Match) => void): void {
    const re = this.regex;
    re.lastIndex = from;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null && m.index < until) {
      const id = matchedGroup(m);
      const start = base + m.index;
      const end = start + m[0].length;
      re.lastIndex = m.index + 1;
      // The same identifier found again inside its own earlier match (`(415) 555-0115` inside
      // `+1 (415) 555-0115`) is one occurrence, not two.
      if (start < state.lastEnd[id]!) continue;
      state.lastEnd[id] = end;
      onMatch({ id, start, end, variant: classifyVariant(this.identifiers[id]!, m[0]) });
    }
  }

  /** All matches in a whole string: for small segments such as headers and error messages. */
  findAll(text: string): Match[] {
    const found: Match[] = [];
    this.scan(text, 0, 0, text.length, this.newState(), (m) => found.push(m));
    return found;
  }

  /** `text` with every match replaced, for messages that might quote artifact content. */
  scrub(text: string, placeholder = '[REDACTED]'): string {
    const spans = mergeSpans(this.findAll(text));
    let out = '';
    let at = 0;
    for (const [s, e] of spans) {
      out += text.slice(at, s) + placeholder;
      at = e;
    }
    return out + text.slice(at);
  }
}

export class MatchState {
  readonly lastEnd: Float64Array;
  constructor(size: number) {
    this.lastEnd = new Float64Array(size);
  }
}

function matchedGroup(m: RegExpExecArray): number {
  for (let i = 1; i < m.length; i++) if (m[i] !== undefined) return i - 1;
  throw new Error('match without a group');
}

/** Union of overlapping spans, in order. */
export function mergeSpans(matches: readonly { start: number; end: number }[]): [number, number][] {
  const sorted = [...matches].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: [number, number][] = [];
  for (const { start, end } of sorted) {
    const last = out[out.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}
