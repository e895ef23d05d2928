/**
 * What the personal-data detectors report, and the shape of a detector written as data.
 * Entity names are Presidio's, so that output lines up with tools that already use them.
 */

export const ENTITY_TYPES = [
  'PERSON',
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'IP_ADDRESS',
  'CREDIT_CARD',
  'IBAN_CODE',
  'US_SSN',
  'UK_NHS',
  'ES_NIF',
  'ES_NIE',
  'IT_FISCAL_CODE',
  'PL_PESEL',
  'FI_PERSONAL_IDENTITY_CODE',
  'URL',
  'GUID',
  'SECRET',
] as const;

export type EntityType = (typeof ENTITY_TYPES)[number];

/** One detected item in a text: offsets in UTF-16 code units, end exclusive. */
export interface Entity {
  type: EntityType;
  start: number;
  end: number;
  /** Confidence in [0, 1] after validation and context. */
  score: number;
  /** Name of the spec or finder that produced it (for explanations and tests). */
  source: string;
}

/**
 * A validator's verdict: true confirms the match, false rejects it, 'weak' keeps it at half its
 * score (a plausible but unconfirmed form, e.g. a phone number that is possible but not valid).
 */
export type Verdict = boolean | 'weak';

/**
 * A detector as data: a regex, an optional validator, context words that raise the score when
 * they occur just before the match, and a base score.
 *
 * The regex must be global, case as needed, and must start its match where the entity starts:
 * what decides a match but is not part of it goes into lookbehind (at most LOOKBEHIND code
 * units) or lookahead. `maxLen` bounds the match length, which the streaming scan relies on.
 */
export interface PatternSpec {
  type: EntityType;
  /** Short unique name, e.g. `aws-access-key`. */
  name: string;
  pattern: RegExp;
  maxLen: number;
  score: number;
  validate?: (match: string) => Verdict;
  /** Lower-case words that raise the score by CONTEXT_BOOST when seen shortly before or after the match. */
  context?: readonly string[];
  /**
   * A cheap search that every match needs nearby, so that `pattern` (whose lookbehinds make it
   * slow to try everywhere) is only tried close to it: a match starts at most `before` code units
   * before an anchor occurrence starts, or at most `after` code units after it ends.
   */
  anchor?: Anchor;
  /** Trailing characters that are not part of the entity (sentence punctuation after a URL). */
  trim?: (match: string) => string;
  /** The value counted as "the same" for distinct counts (`(415) 555-0115` = `415.555.0115`). */
  normalize?: (match: string) => string;
}

export interface Anchor {
  /** Global regex without lookbehind (the engine searches it from some way before a window). */
  pattern: RegExp;
  before: number;
  after: number;
}

/** Context window: how far before and after a match context words are looked for. */
export const CONTEXT_CHARS = 48;
export const CONTEXT_BOOST = 0.35;
/** Entities scoring below this are not reported. */
export const MIN_SCORE = 0.5;
/** Upper bound of the lookbehind used by any pattern spec (context and anchors included). */
export const LOOKBEHIND = 64;

/** A span a finder located in a unit of text, with its score before context is considered. */
export interface Found {
  start: number;
  end: number;
  score: number;
}

/**
 * A detector backed by a library that reads whole stretches of text (an NLP tagger, a
 * recognizer). The engine hands it units: lines, or pieces of at most UNIT_MAX code units of a
 * longer line cut at whitespace, the same whatever the read size. It must decide cheaply when a
 * unit holds nothing for it.
 */
export interface UnitFinder {
  type: EntityType;
  name: string;
  context?: readonly string[];
  find(unit: string): Found[];
  normalize?: (value: string) => string;
}

/** Longest unit handed to a UnitFinder; longer lines are cut at whitespace near this length. */
export const UNIT_MAX = 2048;
/** How far back from UNIT_MAX a cut looks for whitespace. */
export const UNIT_SOFT = 256;
/** Upper bound of the lookahead used by any pattern spec. */
export const LOOKAHEAD = 80;
