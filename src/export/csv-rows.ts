/**
 * CSV (and TSV, `;` or `|` separated) files: each row that mentions the subject as column → value,
 * the header row naming the columns. Quoted fields may hold separators, quotes and line breaks.
 */
import type { RecordRedactor } from './redact.js';
import type { ExportRecord } from './records.js';

interface RawRow {
  /** 1-based line where the row starts. */
  line: number;
  start: number;
  end: number;
}

/** The separator of the header line: the most frequent of `,` `;` tab `|` outside quotes. */
export function separatorOf(text: string): string {
  const first = text.slice(0, text.search(/\r|\n|$/));
  const count = (c: string) => first.replace(/"[^"]*"/g, '').split(c).length - 1;
  return [',', ';', '\t', '|'].reduce((best, c) => (count(c) > count(best) ? c : best), ',');
}

/** Row spans of the text (a quoted field can run over several lines). */
function rowsOf(text: string): RawRow[] {
  const rows: RawRow[] = [];
  let start = 0;
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (i === text.length || (!quoted && (c === '\n' || c === '\r'))) {
      if (i > start) rows.push({ line: rowLine, start, end: i });
      if (c === '\r' && text[i + 1] === '\n') i++;
      start = i + 1;
      rowLine = line + 1;
    }
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
  }
  return rows;
}

/** The fields of one row (RFC 4180: `""` inside quotes is a quote). */
export function fieldsOf(row: string, separator: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < row.length; i++) {
    const c = row[i]!;
    if (quoted) {
      if (c === '"' && row[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) fields.push(field), (field = '');
    else field += c;
  }
  fields.push(field);
  return fields;
}

/** Column names, made unique (`name`, `name_2`) and filled in for rows wider than the header. */
export function columnsFor(header: readonly string[], width: number): string[] {
  const names: string[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < Math.max(width, header.length); i++) {
    const base = header[i]?.trim() || `column_${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    names.push(n === 1 ? base : `${base}_${n}`);
  }
  return names;
}

export function csvRowRecords(text: string, r: RecordRedactor): ExportRecord[] {
  const rows = rowsOf(text);
  if (rows.length === 0) return [];
  const separator = separatorOf(text);
  const header = fieldsOf(text.slice(rows[0]!.start, rows[0]!.end), separator);
  const records: ExportRecord[] = [];
  // The header row is a record too when it mentions the subject (a file without a header).
  for (const row of rows) {
    const raw = text.slice(row.start, row.end);
    if (!r.mentions(raw)) continue;
    // Placeholders hold no separator or quote, so the redacted row splits into the same fields.
    const { text: clean, identifiers } = r.redact(raw);
    const values = fieldsOf(clean, separator);
    const names = columnsFor(row === rows[0] ? [] : header, values.length);
    const columns = Object.fromEntries(values.map((v, i) => [names[i]!, v]));
    records.push({ kind: 'row', locator: { line: row.line }, identifiers, table: null, columns });
  }
  return records;
}
