/**
 * The records of one artifact: read it whole, pick the record reader by format (the registry's
 * handler decides, the file extension refines text), and let that reader pick what mentions the subject.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { handlerFor } from '../formats/registry.js';
import { HEAD_BYTES } from '../formats/types.js';
import { StreamDecoder } from '../text/decoder.js';
import { cueRecords } from './cues.js';
import { csvRowRecords } from './csv-rows.js';
import { emailRecords } from './email-message.js';
import { jsonDocumentRecords, jsonLineRecords } from './json-values.js';
import { logLineRecords, looksLikeLog, textSegmentRecords } from './log-lines.js';
import { pdfPageRecords } from './pdf-pages.js';
import type { RecordRedactor } from './redact.js';
import type { ArtifactExport, ExportRecord } from './records.js';
import { sqlRowRecords } from './sql-rows.js';

/** Artifacts are read into memory to cut records: larger ones are listed with a note instead. */
export const MAX_EXPORT_BYTES = 256 * 1024 * 1024;

function decode(bytes: Buffer): string {
  const decoder = new StreamDecoder();
  return [...decoder.push(bytes, true), ...decoder.end()].map((p) => p.text).join('');
}

type TextReader = (text: string, r: RecordRedactor) => ExportRecord[];

/** The record reader for a text artifact, by the extension of its name (after `.gz`). */
function textReader(name: string, text: string): { reader: string; read: TextReader } {
  const ext = /\.([a-z0-9]+)$/i.exec(name.replace(/\.gz$/i, ''))?.[1]?.toLowerCase() ?? '';
  if (ext === 'csv' || ext === 'tsv') return { reader: 'csv', read: csvRowRecords };
  if (ext === 'sql') return { reader: 'sql', read: sqlRowRecords };
  if (ext === 'vtt' || ext === 'srt') return { reader: 'subtitles', read: cueRecords };
  if (ext === 'jsonl' || ext === 'ndjson') return { reader: 'json-lines', read: jsonLineRecords };
  if (ext === 'json') return { reader: 'json', read: (t, r) => jsonDocumentRecords(t, r) ?? textSegmentRecords(t, r) };
  if (ext === 'log' || looksLikeLog(text)) return { reader: 'log', read: logLineRecords };
  return { reader: 'text', read: textSegmentRecords };
}

export async function exportArtifact(file: string, artifact: string, matches: number, r: RecordRedactor): Promise<ArtifactExport> {
  const base = { artifact, matches };
  let bytes = await readFile(file);
  if (bytes.length > MAX_EXPORT_BYTES) return { ...base, reader: 'none', records: [], notes: [`larger than ${MAX_EXPORT_BYTES} bytes: records not cut, see the access copy`] };
  let handler = handlerFor(bytes.subarray(0, HEAD_BYTES), artifact);
  if (handler?.name === 'gzip') {
    bytes = gunzipSync(bytes, { maxOutputLength: MAX_EXPORT_BYTES });
    handler = handlerFor(bytes.subarray(0, HEAD_BYTES), artifact.replace(/\.gz$/i, ''));
  }
  switch (handler?.name) {
    case 'eml':
      return { ...base, reader: 'email', records: emailRecords(bytes, r) };
    case 'pdf':
      return { ...base, reader: 'pdf', records: await pdfPageRecords(bytes, r) };
    case 'text': {
      const text = decode(bytes);
      const { reader, read } = textReader(artifact, text);
      return { ...base, reader, records: read(text, r) };
    }
    default:
      return { ...base, reader: 'none', records: [], notes: [`records of ${handler?.name ?? 'this'} artifacts are not cut; see the access copy`] };
  }
}
