/**
 * Record text as the data subject receives it: the subject's identifiers kept, every other
 * detected personal-data item or secret replaced by its typed placeholder (`[EMAIL_ADDRESS]`,
 * `[PHONE_NUMBER]`, `[PERSON]`, …). Uses the same composite finder as `dsr access`.
 */
import { Detection } from '../detect/detection.js';
import type { Match, Matcher } from '../scan/matcher.js';
import type { Held } from './records.js';

export interface RedactedText {
  text: string;
  /** The subject's identifiers found in the text, sorted by kind, then index. */
  identifiers: Held[];
}

export class RecordRedactor {
  private constructor(
    private readonly matcher: Matcher,
    private readonly detection: Detection,
  ) {}

  static async start(matcher: Matcher): Promise<RecordRedactor> {
    return new RecordRedactor(matcher, await Detection.start(matcher));
  }

  /** The subject's matches in a text (cheap: the subject's matcher only), to pick the records to export. */
  subjectMatches(text: string): Match[] {
    return this.matcher.findAll(text);
  }

  mentions(text: string): boolean {
    return this.subjectMatches(text).length > 0;
  }

  redact(text: string): RedactedText {
    const held = new Set<number>();
    let out = '';
    let at = 0;
    const matches = this.detection.finder.findAll(text).sort((a, b) => a.start - b.start || b.end - a.end);
    for (const m of matches) {
      if (this.detection.isSubject(m.id)) {
        held.add(m.id);
        continue;
      }
      // Detector hits never overlap the subject's matches; one nested in an earlier hit is already gone.
      if (m.start < at) continue;
      out += text.slice(at, m.start) + this.detection.placeholder(m.id)!;
      at = m.end;
    }
    return { text: out + text.slice(at), identifiers: this.held(held) };
  }

  /** The subject's identifiers by kind and index, sorted by kind, then index. */
  held(ids: Iterable<number>): Held[] {
    return RecordRedactor.union(
      [...ids].map((id) => {
        const { kind, index } = this.matcher.identifiers[id]!;
        return { kind, index };
      }),
    );
  }

  /** Union of the identifiers of several redacted pieces of one record. */
  static union(...lists: Held[][]): Held[] {
    const seen = new Map<string, Held>();
    for (const h of lists.flat()) seen.set(`${h.kind}#${h.index}`, h);
    return [...seen.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.index - b.index);
  }
}
