/**
 * A SpanFinder that reports the subject's identifiers (ids 0..n-1, from the Matcher) together with
 * other personal data and secrets found by the detectors (ids n + type index). Used by
 * `dsr access` (the subject's spans stay, the others become `[TYPE]`) and `dsr discover --detect`
 * (counts per type).
 *
 * A detector entity that overlaps one of the subject's matches is not reported: the subject's
 * own data wins. Subject matches that start up to one entity length after the window are looked
 * at in advance (with a copy of the match state), so the decision is the same whatever the window.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { ENTITY_TYPES, type Entity, type EntityType } from '../../detectors/pii/types.js';
import { MatchState, mergeSpans, type Match, type Matcher, type SpanFinder } from '../scan/matcher.js';
import type { DetectState, Detector } from './engine.js';

class DetectingState extends MatchState {
  /** End of the subject matches reported by earlier scan calls. */
  subjectEnd = 0;
  constructor(
    readonly subject: MatchState,
    readonly detect: DetectState,
  ) {
    super(0);
  }
}

/** Marks a detector hit's variant; the part after it is a keyed hash for distinct counts. */
const DETECTED = 'detected:';

export class DetectingFinder implements SpanFinder {
  readonly lookbehind: number;
  readonly reach: number;
  /** Number of the subject's identifiers: ids from here on are detector hits. */
  readonly subjectCount: number;
  private writtenOnly: DetectingFinder | undefined;

  constructor(
    readonly subject: Matcher,
    readonly detector: Detector,
    /** Per-run key for distinct counts; never stored, so the hashes cannot be checked against guesses. */
    private readonly key = randomBytes(32),
  ) {
    this.subjectCount = subject.identifiers.length;
    this.lookbehind = Math.max(subject.lookbehind, detector.lookbehind);
    // Enough to decide detector entities and to see subject matches that may overlap them.
    this.reach = detector.reach + detector.maxEntity + subject.reach;
  }

  /** Without the subject's spoken forms; the same key, so distinct counts stay one tally. */
  written(): DetectingFinder {
    if (this.subject.written() === this.subject) return this;
    return (this.writtenOnly ??= new DetectingFinder(this.subject.written(), this.detector, this.key));
  }

  /** The entity type of a detector hit's id, or undefined for one of the subject's identifiers. */
  entityType(id: number): EntityType | undefined {
    return id < this.subjectCount ? undefined : ENTITY_TYPES[id - this.subjectCount];
  }

  newState(): MatchState {
    return new DetectingState(this.subject.newState(), this.detector.newState());
  }

  scan(text: string, base: number, from: number, until: number, state: MatchState, onMatch: (m: Match) => void): void {
    const s = state as DetectingState;
    const subject: Match[] = [];
    this.subject.scan(text, base, from, until, s.subject, (m) => subject.push(m));
    const aheadUntil = Math.min(text.length, until + this.detector.maxEntity);
    if (aheadUntil > until) {
      const copy = this.subject.newState();
      copy.lastEnd.set(s.subject.lastEnd);
      this.subject.scan(text, base, until, aheadUntil, copy, (m) => subject.push(m));
    }
    const before = s.subjectEnd;
    const overlapsSubject = (start: number, end: number) => start < before || subject.some((m) => m.start < end && start < m.end);
    const detected: Match[] = [];
    this.detector.scan(text, base, from, until, s.detect, (e) => detected.push(this.toMatch(e, text, base)), overlapsSubject);
    const own = subject.filter((m) => m.start < base + until);
    for (const m of own) s.subjectEnd = Math.max(s.subjectEnd, m.end);
    // Both lists are in order of start; merge them, the subject's first where they start together.
    let i = 0;
    let j = 0;
    while (i < own.length || j < detected.length) {
      if (j >= detected.length || (i < own.length && own[i]!.start <= detected[j]!.start)) onMatch(own[i++]!);
      else onMatch(detected[j++]!);
    }
  }

  findAll(text: string): Match[] {
    const found: Match[] = [];
    this.scan(text, 0, 0, text.length, this.newState(), (m) => found.push(m));
    return found;
  }

  scrub(text: string, placeholder = '[REDACTED]'): string {
    let out = '';
    let at = 0;
    for (const [s, e] of mergeSpans(this.findAll(text))) {
      out += text.slice(at, s) + placeholder;
      at = e;
    }
    return out + text.slice(at);
  }

  private toMatch(e: Entity, text: string, base: number): Match {
    const value = this.detector.normalizer(e.source)(text.slice(e.start - base, e.end - base));
    const hash = createHmac('sha256', this.key).update(value).digest('base64url').slice(0, 22);
    return { id: this.subjectCount + ENTITY_TYPES.indexOf(e.type), start: e.start, end: e.end, variant: DETECTED + hash };
  }
}

/** The distinct-value key carried by a detector hit's variant, or undefined for a subject match. */
export function distinctKey(variant: string): string | undefined {
  const at = variant.indexOf(DETECTED);
  return at === -1 ? undefined : variant.slice(at + DETECTED.length).split(/[+\s]/)[0];
}
