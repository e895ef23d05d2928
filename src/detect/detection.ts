/**
 * What a job run needs from the detectors: the finder handed to the format layers, the
 * placeholders of an access copy, and the counts of what was found. Matches with ids below the
 * number of the subject's identifiers are the subject's; the others are detector hits, which are
 * counted per type and never written to findings.jsonl.
 */
import type { Matcher } from '../scan/matcher.js';
import type { ArtifactSource, HandlerMatch } from '../formats/types.js';
import type { DetectedCounts } from '../types.js';
import { DetectingFinder, distinctKey } from './finder.js';
import { loadDetector } from './load.js';
import { DetectTally } from './tally.js';

export class Detection {
  readonly tally = new DetectTally();
  /** Subject matches per top-level artifact, to check an access copy kept every one of them. */
  private readonly subjectSeen = new Map<string, number>();

  private constructor(readonly finder: DetectingFinder) {}

  static async start(subject: Matcher): Promise<Detection> {
    return new Detection(new DetectingFinder(subject, await loadDetector()));
  }

  isSubject(id: number): boolean {
    return id < this.finder.subjectCount;
  }

  /** In an access copy the subject's data stays; everything else detected becomes `[TYPE]`. */
  placeholder(id: number): string | null {
    const type = this.finder.entityType(id);
    return type ? `[${type}]` : null;
  }

  /**
   * Account for a match. Returns true when it was a detector hit (counted here, nothing else to
   * do); false for the subject's own match, which the caller records as a finding.
   */
  found(source: ArtifactSource, m: HandlerMatch): boolean {
    const top = source.path.split('!')[0]!;
    const type = this.finder.entityType(m.id);
    if (!type) {
      this.subjectSeen.set(top, (this.subjectSeen.get(top) ?? 0) + 1);
      return false;
    }
    this.tally.add(source.engagement, source.path, type, distinctKey(m.variant) ?? '');
    return true;
  }

  /** Subject matches found in a top-level artifact and its members. */
  subjectMatches(artifact: string): number {
    return this.subjectSeen.get(artifact) ?? 0;
  }

  /** Counts of one record, or undefined when nothing was detected there. */
  recordCounts(record: string): DetectedCounts | undefined {
    const counts = this.tally.takeRecord(record);
    return Object.keys(counts).length ? counts : undefined;
  }

  /** Adds the per-engagement and run-wide counts to report.json. */
  annotate(report: { engagements: { engagement: string }[] }): void {
    const withCounts = report as { engagements: { engagement: string; detected?: DetectedCounts }[]; detected?: DetectedCounts };
    for (const e of withCounts.engagements) e.detected = this.tally.engagement(e.engagement);
    withCounts.detected = this.tally.total();
  }
}
