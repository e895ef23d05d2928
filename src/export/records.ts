/**
 * The records of an export bundle (subject.json): one per place that carries the subject's data.
 * Every record names the subject's identifiers it holds; other people's data in it is already
 * replaced by typed placeholders (see redact.ts). schema/subject.schema.json describes the same shapes.
 */
import type { IdentifierKind } from '../types.js';

/** One of the subject's identifiers, as the request lists them: kind and position in that list. */
export interface Held {
  kind: IdentifierKind;
  index: number;
}

/** Where a record is in its artifact: line numbers are 1-based. */
export type RecordLocator = { line: number } | { line: number; cue: number } | { page: number } | { message: number };

interface Base {
  locator: RecordLocator;
  identifiers: Held[];
}

export interface LogLineRecord extends Base {
  kind: 'log-line';
  timestamp: string | null;
  text: string;
}

export interface MessageRecord extends Base {
  kind: 'message';
  speaker: string | null;
  time: string | null;
  /** End time of a subtitle cue. */
  end?: string | null;
  text: string;
  /** A chat line's whole object, when it was one. */
  value?: unknown;
}

export interface EmailRecord extends Base {
  kind: 'email';
  date: string | null;
  from: string | null;
  to: string | null;
  subject: string | null;
  /** The body text parts that mention the subject, or null when only the header does. */
  text: string | null;
}

export interface RowRecord extends Base {
  kind: 'row';
  /** The SQL table; null for a CSV row. */
  table: string | null;
  columns: Record<string, string | null>;
}

export interface JsonRecord extends Base {
  kind: 'json';
  value: unknown;
}

export interface PageRecord extends Base {
  kind: 'page';
  text: string;
}

export interface TextRecord extends Base {
  kind: 'text';
  text: string;
}

export type ExportRecord = LogLineRecord | MessageRecord | EmailRecord | RowRecord | JsonRecord | PageRecord | TextRecord;

export interface ArtifactExport {
  artifact: string;
  /** How the records were read: log, subtitles, chat, csv, sql, json, email, pdf, text. */
  reader: string;
  /** Matches of the subject's identifiers that the search found in the artifact (report.json). */
  matches: number;
  records: ExportRecord[];
  notes?: string[];
}

export interface EngagementExport {
  engagement: string;
  artifacts: ArtifactExport[];
}

export interface SubjectExport {
  request: { id: string | null };
  tool: { name: string; version: string };
  engagements: EngagementExport[];
}
