/**
 * subject.csv: the records of subject.json flattened, one row per value of a record (a CSV or SQL
 * row gives one row per column, a JSON value one per leaf, other records one per text field).
 * RFC 4180: CRLF line ends, fields with a quote, comma or line break quoted, quotes doubled.
 */
import type { ExportRecord, SubjectExport } from './records.js';

export const CSV_COLUMNS = ['engagement', 'artifact', 'record', 'kind', 'locator', 'timestamp', 'speaker', 'field', 'value', 'identifiers'] as const;

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Leaves of a JSON value as [JSON Pointer, text]. */
function leaves(value: unknown, pointer = ''): [string, string][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${pointer}/${i}`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`));
  }
  return [[pointer || '/', value === null ? '' : String(value)]];
}

/** The [field, value] pairs, timestamp and speaker of a record. */
function flat(record: ExportRecord): { timestamp: string; speaker: string; values: [string, string][] } {
  switch (record.kind) {
    case 'log-line':
      return { timestamp: record.timestamp ?? '', speaker: '', values: [['text', record.text]] };
    case 'message':
      return { timestamp: record.time ?? '', speaker: record.speaker ?? '', values: [['text', record.text]] };
    case 'email':
      return {
        timestamp: record.date ?? '',
        speaker: record.from ?? '',
        values: [['to', record.to ?? ''], ['subject', record.subject ?? ''], ...(record.text !== null ? [['text', record.text] as [string, string]] : [])],
      };
    case 'row':
      return { timestamp: '', speaker: '', values: Object.entries(record.columns).map(([k, v]) => [k, v ?? '']) };
    case 'json':
      return { timestamp: '', speaker: '', values: leaves(record.value) };
    case 'page':
    case 'text':
      return { timestamp: '', speaker: '', values: [['text', record.text]] };
  }
}

export function subjectCsv(bundle: SubjectExport): string {
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const e of bundle.engagements) {
    for (const a of e.artifacts) {
      a.records.forEach((record, i) => {
        const { timestamp, speaker, values } = flat(record);
        const locator = Object.entries(record.locator).map(([k, v]) => `${k}=${v}`).join(';');
        const ids = record.identifiers.map((h) => `${h.kind}#${h.index}`).join(' ');
        for (const [field, value] of values) rows.push([e.engagement, a.artifact, String(i + 1), record.kind, locator, timestamp, speaker, field, value, ids]);
      });
    }
  }
  return rows.map((r) => r.map(csvField).join(',') + '\r\n').join('');
}
