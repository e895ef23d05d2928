/** Small types that join the parts of the pipeline: detection, scanning, output. */

export type IdentifierKind = 'email' | 'phone' | 'name' | 'id';
export const IDENTIFIER_KINDS: readonly IdentifierKind[] = ['email', 'phone', 'name', 'id'];

/** One identifier of the data subject, as supplied in the request. */
export interface Identifier {
  kind: IdentifierKind;
  /** Position in the request's list for this kind. */
  index: number;
  value: string;
}

/** How a finding names an identifier: never by its value. */
export interface IdentifierRef {
  kind: IdentifierKind;
  index: number;
}

/** Where in an artifact a match sits. Its fields depend on the format layer. */
export type Locator = Record<string, string | number | boolean>;

export interface Finding {
  engagement: string;
  /** Store-relative path; members of containers are joined with `!`. */
  artifact: string;
  identifier: IdentifierRef;
  locator: Locator;
  /** The written form that matched: `exact`, `case`, `url-encoded`, `last-first`, … */
  variant: string;
}

export type ArtifactStatus = 'scanned' | 'skipped' | 'failed';

export type KindCounts = Record<IdentifierKind, number>;

export function zeroCounts(): KindCounts {
  return { email: 0, phone: 0, name: 0, id: 0 };
}

/** Detected personal data of other people and secrets, per entity type: items and distinct values. */
export type DetectedCounts = Record<string, { count: number; distinct: number }>;

/** What happened to one artifact. Exactly one per artifact in scope. */
export interface ArtifactRecord {
  engagement: string;
  artifact: string;
  status: ArtifactStatus;
  reason?: string;
  format?: string;
  encoding?: string;
  bytes: number;
  sha256?: string;
  matches: KindCounts;
  /**
   * erase: the copy under redacted/; access: the copy under access/ (store-relative path), absent
   * when none was written. `spans`: placeholders written.
   */
  redacted?: { path: string; sha256: string; bytes: number; spans: number; verified: boolean };
  /** access and discover --detect: other people's personal data and secrets found in this artifact. */
  detected?: DetectedCounts;
  notes?: string[];
}
