/**
 * Runs the personal-data detectors (detectors/pii) over text: whole strings or a stream seen
 * through a moving window, with the same results whatever the window size.
 *
 * - Pattern specs are regexes whose match starts where the entity starts, so a window tries
 *   exactly the start positions in [from, until), like the identifier Matcher.
 * - Unit finders (NLP tagger, phone recognizer) read units: lines, or pieces of a long line cut at
 *   whitespace near UNIT_MAX. Units are cut from the content alone, so they are the same for any
 *   window; entities they yield wait in the state until the window reaches their start.
 * - Overlaps are settled left to right: of the entities starting at one position the best
 *   (score, then length) is kept, and an entity starting inside a kept one is dropped.
 */
import {
  CONTEXT_BOOST,
  CONTEXT_CHARS,
  ENTITY_TYPES,
  LOOKAHEAD,
  LOOKBEHIND,
  MIN_SCORE,
  UNIT_MAX,
  UNIT_SOFT,
  type Anchor,
  type Entity,
  type EntityType,
  type PatternSpec,
  type UnitFinder,
  type Verdict,
} from '../../detectors/pii/types.js';

export class DetectState {
  /** Per spec: end of its last accepted match (a spec's matches do not overlap each other). */
  readonly lastEnd: Float64Array;
  /** End of the last reported entity. */
  keptEnd = 0;
  /** Absolute start of the next unit to hand to the unit finders (-1: at the first `from`). */
  unitPos = -1;
  /** Entities from units, waiting for the window to reach their start. */
  waiting: Entity[] = [];
  constructor(specs: number) {
    this.lastEnd = new Float64Array(specs);
  }
}

/** Decides whether an entity may be reported (an access run keeps the subject's own spans). */
export type Veto = (start: number, end: number) => boolean;

export class Detector {
  /** Characters of context a scan needs before its first start position. */
  readonly lookbehind = LOOKBEHIND;
  /** Characters past a start position that decide everything starting there. */
  readonly reach: number;
  /** Longest entity any detector reports. */
  readonly maxEntity: number;
  private readonly contextRes: (RegExp | undefined)[];
  /** Sticky copies of the anchored specs' patterns. */
  private readonly sticky: (RegExp | undefined)[];
  private readonly unitContextRes: (RegExp | undefined)[];

  constructor(
    readonly specs: readonly PatternSpec[],
    readonly units: readonly UnitFinder[] = [],
  ) {
    const longest = Math.max(0, ...specs.map((s) => s.maxLen));
    this.maxEntity = Math.max(longest, units.length ? UNIT_MAX : 0);
    // A unit, and the context after its last entity, must be read before any position in it is
    // reported. Context after a pattern match lies within LOOKAHEAD (>= CONTEXT_CHARS).
    this.reach = Math.max(longest + LOOKAHEAD, units.length ? UNIT_MAX + CONTEXT_CHARS + 1 : 0);
    this.contextRes = specs.map((s) => contextRegex(s.context));
    this.sticky = specs.map((s) => (s.anchor ? new RegExp(s.pattern.source, s.pattern.flags.replace('g', '') + 'y') : undefined));
    this.unitContextRes = units.map((u) => contextRegex(u.context));
  }

  newState(): DetectState {
    return new DetectState(this.specs.length);
  }

  /** Entity types this detector can report. */
  get types(): EntityType[] {
    const types = new Set<EntityType>([...this.specs.map((s) => s.type), ...this.units.map((u) => u.type)]);
    return ENTITY_TYPES.filter((t) => types.has(t));
  }

  /** The normaliser for distinct counts of the detector that produced an entity. */
  normalizer(source: string): (value: string) => string {
    const spec = this.specs.find((s) => s.name === source) ?? this.units.find((u) => u.name === source);
    return spec?.normalize ?? ((v) => v);
  }

  /** Every entity in a whole string. */
  detect(text: string): Entity[] {
    const out: Entity[] = [];
    this.scan(text, 0, 0, text.length, this.newState(), (e) => out.push(e));
    return out;
  }

  /**
   * Report, in order of start, the entities that start in [from, until) of `text` (absolute
   * offset of text[0] is `base`). `text` reaches `until + reach` unless the stream ends there, and
   * holds `lookbehind` characters before `from` (or the stream's start).
   */
  scan(text: string, base: number, from: number, until: number, state: DetectState, onEntity: (e: Entity) => void, veto?: Veto): void {
    const ready: Entity[] = [];
    this.specs.forEach((spec, i) => this.runSpec(spec, i, text, base, from, until, state, ready));
    if (this.units.length) this.runUnits(text, base, from, until, state);
    const stillWaiting: Entity[] = [];
    for (const e of state.waiting) (e.start < base + until ? ready : stillWaiting).push(e);
    state.waiting = stillWaiting;
    ready.sort(byPriority);
    for (const e of ready) {
      if (e.start < state.keptEnd) continue;
      if (veto?.(e.start, e.end)) continue;
      state.keptEnd = e.end;
      onEntity(e);
    }
  }

  private runSpec(spec: PatternSpec, i: number, text: string, base: number, from: number, until: number, state: DetectState, out: Entity[]): void {
    /** Handle a match at `start`; returns where the next match of this spec may start. */
    const take = (m: RegExpExecArray): number => {
      const start = m.index;
      const rawEnd = start + m[0].length;
      // Tried again from the next position if empty, inside the spec's last match, or invalid.
      if (rawEnd === start || base + start < state.lastEnd[i]!) return start + 1;
      const value = spec.trim ? spec.trim(m[0]) : m[0];
      const verdict: Verdict = value ? (spec.validate?.(value) ?? true) : false;
      if (verdict === false) return start + 1;
      state.lastEnd[i] = base + rawEnd;
      const score = scoreOf(spec.score, verdict, this.contextRes[i], text, start, start + value.length);
      if (score >= MIN_SCORE) out.push({ type: spec.type, start: base + start, end: base + start + value.length, score, source: spec.name });
      return rawEnd;
    };
    if (spec.anchor) return this.runAnchored(spec.anchor, this.sticky[i]!, text, from, until, take);
    const re = spec.pattern;
    re.lastIndex = from;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null && m.index < until) re.lastIndex = take(m);
  }

  /**
   * The same matches as trying `sticky` at every position of [from, until), trying it only at the
   * positions an anchor occurrence allows: in order, and never inside an accepted match.
   */
  private runAnchored(anchor: Anchor, sticky: RegExp, text: string, from: number, until: number, take: (m: RegExpExecArray) => number): void {
    const a = anchor.pattern;
    // An anchor that ends before `from` may still allow positions after it; anchors are short.
    a.lastIndex = Math.max(0, from - LOOKBEHIND);
    let next = from;
    let g: RegExpExecArray | null;
    while ((g = a.exec(text)) !== null && g.index - anchor.before < until) {
      a.lastIndex = g.index + 1;
      const hi = Math.min(until, g.index + g[0].length + anchor.after + 1);
      for (let p = Math.max(next, g.index - anchor.before); p < hi; ) {
        sticky.lastIndex = p;
        const m = sticky.exec(text);
        p = m ? take(m) : p + 1;
        next = Math.max(next, p);
      }
      next = Math.max(next, hi);
    }
  }

  private runUnits(text: string, base: number, from: number, until: number, state: DetectState): void {
    let pos = state.unitPos < 0 ? base + from : state.unitPos;
    while (pos < base + until) {
      const s = pos - base;
      const e = unitEnd(text, s);
      const unit = text.slice(s, e);
      this.units.forEach((finder, i) => {
        for (const f of finder.find(unit)) {
          const score = scoreOf(f.score, true, this.unitContextRes[i], text, s + f.start, s + f.end);
          if (score >= MIN_SCORE && f.end > f.start) {
            state.waiting.push({ type: finder.type, start: pos + f.start, end: pos + f.end, score, source: finder.name });
          }
        }
      });
      pos = base + e;
    }
    state.unitPos = pos;
  }
}

/** Where the unit starting at `s` ends: after its newline, or at whitespace near UNIT_MAX. */
export function unitEnd(text: string, s: number): number {
  const limit = Math.min(text.length, s + UNIT_MAX);
  const nl = text.indexOf('\n', s);
  if (nl !== -1 && nl < limit) return nl + 1;
  // Only the last unit of a stream is shorter than UNIT_MAX without a newline.
  if (text.length - s < UNIT_MAX) return text.length;
  for (let i = limit - 1; i >= limit - UNIT_SOFT; i--) if (/\s/.test(text[i]!)) return i + 1;
  return limit;
}

function contextRegex(words: readonly string[] | undefined): RegExp | undefined {
  if (!words?.length) return undefined;
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[\\s_-]'));
  return new RegExp(`(?<![a-z])(?:${escaped.join('|')})(?![a-z])`, 'i');
}

/**
 * A typed placeholder of an access copy (`[PHONE_NUMBER]`) is no context word: re-reading the
 * copy must not find digits next to it that the original did not have.
 */
const PLACEHOLDER = /\[[A-Z]+(?:_[A-Z]+)*\]/g;

/** Base score, halved for a weak verdict, raised when a context word stands just before or after. */
function scoreOf(base: number, verdict: Verdict, context: RegExp | undefined, text: string, start: number, end: number): number {
  let score = verdict === 'weak' ? base / 2 : base;
  const near = (from: number, to: number) => context!.test(text.slice(Math.max(0, from), Math.min(text.length, to)).replace(PLACEHOLDER, ' '));
  if (context && (near(start - CONTEXT_CHARS, start) || near(end, end + CONTEXT_CHARS))) score = Math.min(1, score + CONTEXT_BOOST);
  return Math.round(score * 100) / 100;
}

const TYPE_ORDER = new Map(ENTITY_TYPES.map((t, i) => [t, i]));

function byPriority(a: Entity, b: Entity): number {
  return a.start - b.start || b.score - a.score || b.end - b.start - (a.end - a.start) || TYPE_ORDER.get(a.type)! - TYPE_ORDER.get(b.type)!;
}
