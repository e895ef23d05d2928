/** Log files: each line that mentions the subject, with its number and its leading timestamp. */
import { linesOf, segmentAround } from './lines.js';
import type { RecordRedactor, RedactedText } from './redact.js';
import type { ExportRecord } from './records.js';

/** ISO 8601 (`2026-02-27T10:02:09.660Z`, `2026-02-27 10:02:09,660`), syslog (`Mar  5 14:02:11`), or bracketed (`[05/Mar/2026:14:02:11 +0000]`). */
const LEADING_TIMESTAMP =
  /^(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}|\[\d[^\]]{5,40}\])/;

export function leadingTimestamp(line: string): string | null {
  const m = LEADING_TIMESTAMP.exec(line);
  return m ? m[0].replace(/^\[|\]$/g, '') : null;
}

/** Whether most of the first non-empty lines start with a timestamp. */
export function looksLikeLog(text: string): boolean {
  const sample = linesOf(text.slice(0, 16384)).filter((l) => l.text.trim()).slice(0, 20);
  return sample.length > 0 && sample.filter((l) => leadingTimestamp(l.text)).length * 2 > sample.length;
}

/** One record per line that mentions the subject (windows of the line when it is very long). */
function lineRecords(text: string, r: RecordRedactor, make: (line: number, raw: string, redacted: RedactedText) => ExportRecord): ExportRecord[] {
  const records: ExportRecord[] = [];
  for (const { line, text: raw } of linesOf(text)) {
    const matches = r.subjectMatches(raw);
    if (matches.length) records.push(make(line, raw, r.redact(segmentAround(raw, matches))));
  }
  return records;
}

export function logLineRecords(text: string, r: RecordRedactor): ExportRecord[] {
  return lineRecords(text, r, (line, raw, { text: clean, identifiers }) => ({ kind: 'log-line', locator: { line }, identifiers, timestamp: leadingTimestamp(raw), text: clean }));
}

/** Any other text: the line around each finding. */
export function textSegmentRecords(text: string, r: RecordRedactor): ExportRecord[] {
  return lineRecords(text, r, (line, _raw, { text: clean, identifiers }) => ({ kind: 'text', locator: { line }, identifiers, text: clean }));
}
