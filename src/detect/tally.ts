/**
 * Counts of detected personal data per artifact, per engagement and for the run: how many items
 * of each type, and how many distinct values. Distinct values are told apart by a keyed hash made
 * with a per-run key held only in memory (see finder.ts); no value and no hash is ever written.
 */
import type { DetectedCounts } from '../types.js';

type Sets = Map<string, { count: number; keys: Set<string> }>;

export class DetectTally {
  private readonly byRecord = new Map<string, Sets>();
  private readonly byEngagement = new Map<string, Sets>();
  private readonly run: Sets = new Map();

  add(engagement: string, record: string, type: string, key: string): void {
    for (const sets of [this.sets(this.byRecord, record), this.sets(this.byEngagement, engagement), this.run]) {
      let entry = sets.get(type);
      if (!entry) sets.set(type, (entry = { count: 0, keys: new Set() }));
      entry.count++;
      entry.keys.add(key);
    }
  }

  /** The counts of one record (artifact or member), forgetting its values' keys. */
  takeRecord(record: string): DetectedCounts {
    const counts = countsOf(this.byRecord.get(record));
    this.byRecord.delete(record);
    return counts;
  }

  engagement(engagement: string): DetectedCounts {
    return countsOf(this.byEngagement.get(engagement));
  }

  total(): DetectedCounts {
    return countsOf(this.run);
  }

  private sets(map: Map<string, Sets>, key: string): Sets {
    let sets = map.get(key);
    if (!sets) map.set(key, (sets = new Map()));
    return sets;
  }
}

function countsOf(sets: Sets | undefined): DetectedCounts {
  const out: DetectedCounts = {};
  for (const [type, { count, keys }] of [...(sets ?? new Map())].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out[type] = { count, distinct: keys.size };
  }
  return out;
}
