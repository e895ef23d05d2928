/** report.json: every artifact in scope with its status, per engagement and for the run. */
import { IDENTIFIER_KINDS, zeroCounts, type ArtifactRecord, type IdentifierKind, type KindCounts } from '../types.js';

export interface Totals {
  artifacts: number;
  scanned: number;
  skipped: number;
  failed: number;
  bytes: number;
  /** Artifacts with at least one match. */
  responsive: number;
  matches: KindCounts;
}

export interface Report {
  tool: { name: string; version: string };
  command: string;
  request: { id: string | null; identifiers: Record<IdentifierKind, number> };
  scope: { engagements: string[] | 'all'; missing: string[] };
  totals: Totals;
  engagements: { engagement: string; totals: Totals; artifacts: ArtifactRecord[] }[];
  /** Files in the store root, outside every engagement folder. */
  outsideEngagements: ArtifactRecord[];
}

export function totalsOf(records: readonly ArtifactRecord[]): Totals {
  const totals: Totals = { artifacts: 0, scanned: 0, skipped: 0, failed: 0, bytes: 0, responsive: 0, matches: zeroCounts() };
  for (const r of records) {
    totals.artifacts++;
    totals[r.status]++;
    // Members are inside their container's bytes already.
    if (!r.artifact.includes('!')) totals.bytes += r.bytes;
    let any = false;
    for (const kind of IDENTIFIER_KINDS) {
      totals.matches[kind] += r.matches[kind];
      any ||= r.matches[kind] > 0;
    }
    if (any) totals.responsive++;
  }
  return totals;
}
