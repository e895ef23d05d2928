/**
 * JSON documents and JSON Lines: the parsed value of each document or line that mentions the
 * subject. A chat line (an object with a speaker field such as speaker/author/from and a text
 * field) becomes a message with speaker and time.
 */
import { linesOf } from './lines.js';
import { RecordRedactor } from './redact.js';
import type { ExportRecord, Held } from './records.js';

const SPEAKER_FIELDS = ['speaker', 'author', 'sender', 'from', 'user', 'name', 'role'];
const TIME_FIELDS = ['time', 'timestamp', 'ts', 'date', 'datetime', 'created_at', 'sent_at'];
const TEXT_FIELDS = ['text', 'message', 'body', 'content', 'msg'];

/**
 * The value of a JSON text with other people's data replaced. The text is redacted whole when that
 * keeps it valid JSON (detectors see the context); when a placeholder would land outside a string
 * (a phone number written as a JSON number), each string and number is redacted on its own.
 */
export function redactedJson(raw: string, r: RecordRedactor): { value: unknown; identifiers: Held[] } | undefined {
  let original: unknown;
  try {
    original = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const whole = r.redact(raw);
  try {
    return { value: JSON.parse(whole.text), identifiers: whole.identifiers };
  } catch {
    const held: Held[][] = [];
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string' || typeof v === 'number') {
        const { text, identifiers } = r.redact(String(v));
        held.push(identifiers);
        return typeof v === 'number' && text === String(v) ? v : text;
      }
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [r.redact(k).text, walk(x)]));
      return v;
    };
    const value = walk(original);
    return { value, identifiers: RecordRedactor.union(...held) };
  }
}

function field(o: Record<string, unknown>, names: readonly string[]): string | null {
  for (const n of names) {
    const v = o[n];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return null;
}

/** A chat line as a message; undefined when the value is not an object with a speaker and a text. */
function chatMessage(value: unknown): { speaker: string; time: string | null; text: string } | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  const speaker = field(o, SPEAKER_FIELDS);
  const text = field(o, TEXT_FIELDS);
  return speaker !== null && text !== null ? { speaker, time: field(o, TIME_FIELDS), text } : undefined;
}

export function jsonLineRecords(text: string, r: RecordRedactor): ExportRecord[] {
  const records: ExportRecord[] = [];
  for (const { line, text: raw } of linesOf(text)) {
    if (!r.mentions(raw)) continue;
    const parsed = redactedJson(raw, r);
    if (!parsed) {
      // A line that is not JSON still carries the subject's data: exported as text.
      const { text: clean, identifiers } = r.redact(raw);
      records.push({ kind: 'text', locator: { line }, identifiers, text: clean });
      continue;
    }
    const chat = chatMessage(parsed.value);
    if (chat) records.push({ kind: 'message', locator: { line }, identifiers: parsed.identifiers, ...chat, value: parsed.value });
    else records.push({ kind: 'json', locator: { line }, identifiers: parsed.identifiers, value: parsed.value });
  }
  return records;
}

/** A JSON file as one document; undefined when it does not parse (the caller reads it as text). */
export function jsonDocumentRecords(text: string, r: RecordRedactor): ExportRecord[] | undefined {
  const parsed = redactedJson(text, r);
  if (!parsed) return undefined;
  if (parsed.identifiers.length === 0) return [];
  return [{ kind: 'json', locator: { line: 1 }, identifiers: parsed.identifiers, value: parsed.value }];
}
