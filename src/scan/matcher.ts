/**
 * One compiled search for all of a request's identifiers. Stateless and shared: per-stream state
 * (which matches were already reported) lives in a MatchState.
 */
import { buildPattern, classifyVariant, type BuildOptions } from '../../detectors/identifiers.js';
import { MAX_LOOKAHEAD, MAX_LOOKBEHIND } from '../../detectors/escapes.js';
import { anchorsFor, renderAnchor, type Anchor, type ByteEncoding } from '../../detectors/anchors.js';
import { escapeRegex } from '../../detectors/escapes.js';
import { spokenStarts } from '../../detectors/spoken.js';
import type { Identifier } from '../types.js';
import { Prefilter, type PrefilterWindow } from '../text/prefilter.js';
import { regexMaxLength } from '../text/regex-prefixes.js';

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
  /** This finder without spoken forms (itself when it has none): spoken forms are for transcripts only. */
  written(): SpanFinder;
}

export class Matcher implements SpanFinder {
  readonly identifiers: readonly Identifier[];
  /** How the patterns were built, so that a worker thread can build the same matcher. */
  readonly buildOptions: BuildOptions;
  /** Characters of context a scan needs before its first start position. */
  readonly lookbehind = MAX_LOOKBEHIND;
  /**
   * Characters past a start position that decide whether a match starts there. A streaming
   * scanner only tries positions at least this far from the end of what it has read.
   */
  readonly reach: number;
  private readonly regex: RegExp;
  /** Identifiers read out in words (detectors/spoken.ts), tried only where one of their first words stands. */
  private readonly spoken: { starts: RegExp; regex: RegExp; ids: number[] } | undefined;
  /** Anchors of every identifier (see detectors/anchors.ts); spoken forms anchor on their first words. */
  private readonly anchorList: (Anchor & { owner: number })[];
  /** Each identifier's written pattern, compiled sticky on first use by scanIdsAt. */
  private readonly sources: string[];
  private readonly idRegex: (RegExp | undefined)[] = [];
  private writtenOnly: Matcher | undefined;
  private readonly anchorCache = new Map<ByteEncoding, AnchorSearch>();

  constructor(identifiers: readonly Identifier[], options: BuildOptions = {}) {
    if (identifiers.length === 0) throw new Error('no identifiers to search for');
    this.identifiers = identifiers;
    this.buildOptions = options;
    const patterns = identifiers.map((identifier) => buildPattern(identifier, options));
    this.regex = new RegExp(patterns.map((p) => `(${p.source})`).join('|'), 'gi');
    const spoken = patterns.flatMap((p, id) => (p.spoken ? [{ id, pattern: p.spoken }] : []));
    if (spoken.length > 0) {
      this.spoken = {
        starts: new RegExp(spokenStarts(spoken.map((s) => s.pattern)), 'gi'),
        regex: new RegExp(spoken.map((s) => `(${s.pattern.source})`).join('|'), 'iy'),
        ids: spoken.map((s) => s.id),
      };
    }
    this.reach = Math.max(...patterns.map((p) => Math.max(p.maxLen, p.spoken?.maxLen ?? 0))) + MAX_LOOKAHEAD;
    // A spoken form ("four one five…") begins with one of its starts (detectors/spoken.ts), not
    // inside a word: one anchor for all of them, with the match starting right there (scanIdsAt
    // tries every spoken form wherever it evaluates). ASCII, so the same over raw bytes. As
    // literal anchors, "one" in "phone" and "ten" in "often" would cost more.
    const spokenAnchors = spoken.length
      ? [{ render: () => notAfterLetter(spokenStarts(spoken.map((s) => s.pattern))), before: 0, owner: spoken[0]!.id }]
      : [];
    this.anchorList = [
      ...patterns.flatMap((p, id) => anchorsFor(p.identifier, p.maxLen, options.phoneRegion).map((a) => ({ ...a, owner: id }))),
      ...spokenAnchors,
    ];
    this.sources = patterns.map((p) => p.source);
  }

  /**
   * How to find, in the raw bytes of a `encoding` file (viewed as Latin-1), every place where a
   * match may start nearby: the byte prefilter and how each of its buckets is confirmed, and the
   * anchors' regexes for where the prefilter gives up (`before[g]` bounds, in code units, how far
   * before the anchor of capture group g+1 such a match starts). Undefined for UTF-16LE when the
   * matcher has spoken forms: their anchor (a lookbehind over their first words) has no wide form.
   */
  anchors(encoding: ByteEncoding): AnchorSearch | undefined {
    if (encoding === 'utf-16le' && this.spoken) return undefined;
    let search = this.anchorCache.get(encoding);
    if (!search) {
      // A literal anchor is ASCII text, searched as such in single-byte views only.
      const rendered = this.anchorList.map((a) => ({ ...a, source: renderAnchor(a, encoding), literal: encoding === 'utf-16le' ? undefined : a.literal }));
      const complex = rendered.filter((a) => a.literal === undefined);
      const literals = groupLiterals(rendered);
      const prefilter = Prefilter.build(rendered.map((a, index) => ({ source: a.source, index })));
      search = {
        prefilter,
        checks: prefilter?.buckets.map((bucket) => bucketCheck(bucket.map((i) => rendered[i]!))),
        regex: complex.length ? new RegExp(complex.map((a) => `(${a.source})`).join('|'), 'gi') : undefined,
        before: complex.map((a) => a.before),
        owner: complex.map((a) => a.owner),
        literalRegex: literals.size ? new RegExp([...literals.keys()].map(escapeRegex).join('|'), 'gi') : undefined,
        literals,
        maxBefore: Math.max(...this.anchorList.map((a) => a.before)),
      };
      this.anchorCache.set(encoding, search);
    }
    return search;
  }

  /**
   * This matcher without spoken forms (itself when it has none), built once: spoken forms are
   * searched in transcripts only (src/formats/text.ts).
   */
  written(): Matcher {
    if (this.buildOptions.spoken === false || !this.spoken) return this;
    return (this.writtenOnly ??= new Matcher(this.identifiers, { ...this.buildOptions, spoken: false }));
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
    this.scanRaw(text, from, until, (m) => {
      if (state.accept(m.id, base + m.start, base + m.end)) onMatch({ ...m, start: base + m.start, end: base + m.end });
    });
  }

  /**
   * Every position in [from, until) where an identifier starts, without MatchState: offsets are
   * relative to `text`. Positions inside an earlier match are tried too (identifiers may overlap).
   */
  scanRaw(text: string, from: number, until: number, onMatch: (m: Match) => void): void {
    if (!this.spoken) return this.scanWritten(text, from, until, onMatch);
    const found: Match[] = [];
    this.scanWritten(text, from, until, (m) => found.push(m));
    this.scanSpoken(text, from, until, found);
    // In order of start; at the same start the written form first (the sort is stable).
    found.sort((a, b) => a.start - b.start);
    for (const m of found) onMatch(m);
  }

  /** Spoken forms: the full pattern is tried only where one of their first words stands. */
  private scanSpoken(text: string, from: number, until: number, found: Match[]): void {
    const { starts, regex, ids } = this.spoken!;
    starts.lastIndex = from;
    let g: RegExpExecArray | null;
    while ((g = starts.exec(text)) !== null && g.index < until) {
      regex.lastIndex = g.index;
      const m = regex.exec(text);
      if (m) found.push({ id: ids[matchedGroup(m)]!, start: m.index, end: m.index + m[0].length, variant: 'spoken' });
      starts.lastIndex = g.index + 1;
    }
  }

  private scanWritten(text: string, from: number, until: number, onMatch: (m: Match) => void): void {
    const re = this.regex;
    re.lastIndex = from;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null && m.index < until) {
      const id = matchedGroup(m);
      re.lastIndex = m.index + 1;
      onMatch({ id, start: m.index, end: m.index + m[0].length, variant: classifyVariant(this.identifiers[id]!, m[0]) });
    }
  }

  /**
   * For each position in [from, until): the first of `ids` (ascending) whose written pattern
   * matches exactly there. The same as scanRaw's written matches wherever the identifiers left
   * out cannot match, which is what anchors guarantee.
   */
  scanIdsAt(text: string, from: number, until: number, ids: readonly number[], onMatch: (m: Match) => void): void {
    const regexes = ids.map((id) => (this.idRegex[id] ??= new RegExp(this.sources[id]!, 'iy')));
    for (let at = from; at < until; at++) {
      for (let k = 0; k < ids.length; k++) {
        const re = regexes[k]!;
        re.lastIndex = at;
        const m = re.exec(text);
        if (!m) continue;
        const id = ids[k]!;
        onMatch({ id, start: at, end: at + m[0].length, variant: classifyVariant(this.identifiers[id]!, m[0]) });
        break;
      }
      // Spoken forms of every identifier, the written form first where both start, as in scanRaw:
      // their anchors are shared words ("four", "plus"), and an anchor names one owner only.
      if (this.spoken) {
        const re = this.spoken.regex;
        re.lastIndex = at;
        const m = re.exec(text);
        if (m) onMatch({ id: this.spoken.ids[matchedGroup(m)]!, start: at, end: at + m[0].length, variant: 'spoken' });
      }
    }
  }

  /** All matches in a whole string: for small segments such as headers and error messages. */
  findAll(text: string): Match[] {
    const found: Match[] = [];
    if (!this.mayMatch(text)) return found;
    this.scan(text, 0, 0, text.length, this.newState(), (m) => found.push(m));
    return found;
  }

  /**
   * False when no match can be in `text`: none of the anchors occurs in its UTF-8 bytes, and
   * every match holds one of its anchors (detectors/anchors.ts). Most headers, names and messages
   * end here, without the full patterns. A string with a lone surrogate, which UTF-8 cannot
   * carry, is always searched.
   */
  private mayMatch(text: string): boolean {
    if (LONE_SURROGATE.test(text)) return true;
    const search = this.anchors('utf-8')!;
    const window = search.prefilter?.acquire();
    let bytes: Buffer;
    if (window) {
      // Encoded straight into the prefilter's memory.
      const length = Buffer.byteLength(text);
      const room = window.reserve(length);
      Buffer.from(room.buffer, room.byteOffset, length).write(text, 'utf8');
      window.commit(length);
      bytes = window.bytes;
    } else bytes = Buffer.from(text, 'utf8');
    let hit = false;
    eachAnchor(search, window, bytes, 0, bytes.length, () => (hit = true));
    if (window) search.prefilter!.release(window);
    return hit;
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

/**
 * `words` not preceded by a letter or digit. The check comes after the words, not before: a
 * leading lookbehind would stop the regex engine from skipping ahead to a possible first
 * character, for this anchor and every other one in the same alternation.
 */
function notAfterLetter(words: string): string {
  return `${words}(?<![a-z0-9]${words})`;
}

/** How the scanner confirms an anchor where the prefilter let a bucket through. */
export interface BucketCheck {
  /** Anchors that are regexes, sticky: tried at the position. */
  regexes: { sticky: RegExp; before: number; owner: number }[];
  /** Literal anchors by their lowercase text, and the lengths to look up. */
  literals: Map<string, { before: number; owner: number }[]>;
  lengths: number[];
  /** The most bytes one of these anchors can span (Infinity when one is unbounded). */
  span: number;
}

/** Context before a candidate for an anchor's lookbehind (the spoken forms' looks back one byte). */
const CONFIRM_BEFORE = 16;

/**
 * Each anchor that starts in [from, to) of `bytes` (the bytes `window` holds, when there is one):
 * `found(position, anchor)`, which returns true to stop. The byte prefilter passes candidates,
 * each confirmed on just the bytes its buckets' anchors can span (and a little before, for a
 * lookbehind), unless `accepts(position)` rules the place out first; from where the prefilter
 * gives up (or without one), the anchors' regexes search the Latin-1 view, whose start a
 * lookbehind sees nothing before (which only admits more).
 */
export function eachAnchor(
  search: AnchorSearch,
  window: PrefilterWindow | undefined,
  bytes: Buffer,
  from: number,
  to: number,
  found: (position: number, anchor: { before: number; owner: number }) => boolean | void,
  accepts?: (position: number) => boolean,
): void {
  let stop = false;
  const checks = search.checks;
  // One reporter per place, for every anchor confirmed there.
  const reporter = (position: number) => (a: { before: number; owner: number }) => {
    if (!stop && found(position, a) === true) stop = true;
  };
  let rest = from;
  if (window && checks) {
    rest = window.candidates(from, to, (position, bits) => {
      if (accepts && !accepts(position)) return;
      const report = reporter(position);
      for (let bucket = 0; bits !== 0 && !stop; bucket++, bits >>>= 1) {
        if (!(bits & 1)) continue;
        const check = checks[bucket]!;
        const start = check.span === Infinity ? from : Math.max(0, position - CONFIRM_BEFORE);
        const end = check.span === Infinity ? bytes.length : position + check.span;
        confirmAnchors(check, bytes.toString('latin1', start, end), position - start, report);
      }
      return stop;
    });
    if (stop || rest >= to) return;
  }
  const { regex, literalRegex, literals, before, owner } = search;
  const view = bytes.toString('latin1', rest, bytes.length);
  const limit = to - rest;
  if (regex) {
    for (const [at, m] of hits(regex, view, limit)) {
      const g = group(m);
      if (!accepts || accepts(rest + at)) reporter(rest + at)({ before: before[g]!, owner: owner[g]! });
      if (stop) return;
    }
  }
  if (literalRegex) {
    for (const [at, m] of hits(literalRegex, view, limit)) {
      if (accepts && !accepts(rest + at)) continue;
      const report = reporter(rest + at);
      for (const a of literals.get(m[0].toLowerCase())!) report(a);
      if (stop) return;
    }
  }
}

/** Anchor occurrences starting before `limit`, each tried from every position (they may overlap). */
function* hits(re: RegExp, view: string, limit: number): Generator<[number, RegExpExecArray]> {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(view)) !== null && m.index < limit) {
    yield [m.index, m];
    re.lastIndex = m.index + 1;
  }
}

function group(m: RegExpExecArray): number {
  for (let i = 1; i < m.length; i++) if (m[i] !== undefined) return i - 1;
  return 0;
}

/** Every anchor of a prefilter bucket that starts at `at` of `view` (the Latin-1 view of the bytes). */
export function confirmAnchors(check: BucketCheck, view: string, at: number, found: (a: { before: number; owner: number }) => void): void {
  for (const length of check.lengths) {
    const literal = check.literals.get(view.substr(at, length).toLowerCase());
    if (literal) literal.forEach(found);
  }
  for (const a of check.regexes) {
    a.sticky.lastIndex = at;
    if (a.sticky.test(view)) found(a);
  }
}

/** Literal anchors by their lowercase text. */
function groupLiterals(anchors: readonly (Anchor & { owner: number })[]): Map<string, { before: number; owner: number }[]> {
  const literals = new Map<string, { before: number; owner: number }[]>();
  for (const a of anchors) {
    if (a.literal === undefined) continue;
    const key = a.literal.toLowerCase();
    literals.set(key, [...(literals.get(key) ?? []), { before: a.before, owner: a.owner }]);
  }
  return literals;
}

function bucketCheck(anchors: (Anchor & { owner: number; source: string })[]): BucketCheck {
  const literals = groupLiterals(anchors);
  const lengths = [...new Set([...literals.keys()].map((key) => key.length))];
  const check: BucketCheck = { regexes: [], literals, lengths, span: Math.max(0, ...lengths) };
  for (const a of anchors) {
    if (a.literal !== undefined) continue;
    check.regexes.push({ sticky: new RegExp(a.source, 'iy'), before: a.before, owner: a.owner });
    check.span = Math.max(check.span, regexMaxLength(a.source));
  }
  return check;
}

export interface AnchorSearch {
  /** The byte prefilter for these anchors, when they can be prefiltered (src/text/prefilter.ts). */
  prefilter: Prefilter | undefined;
  /** Per prefilter bucket, how its anchors are confirmed. */
  checks: BucketCheck[] | undefined;
  /** Anchors that are not plain literals, one capture group each. */
  regex: RegExp | undefined;
  /** The identifier each anchor (capture group g+1) belongs to. */
  owner: number[];
  /** Plain literal anchors (ids), in one alternation without groups; look the hit up by its text. */
  literalRegex: RegExp | undefined;
  literals: Map<string, { before: number; owner: number }[]>;
  before: number[];
  maxBefore: number;
}

/** Per stream: the end of each identifier's last reported match. */
export class MatchState {
  readonly lastEnd: Float64Array;
  constructor(size: number) {
    this.lastEnd = new Float64Array(size);
  }

  /**
   * Whether a match is a new occurrence. The same identifier found again inside its own earlier
   * match (`(415) 555-0115` inside `+1 (415) 555-0115`) is one occurrence, not two.
   */
  accept(id: number, start: number, end: number): boolean {
    if (start < this.lastEnd[id]!) return false;
    this.lastEnd[id] = end;
    return true;
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

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
