/**
 * SQL dumps: each row that mentions the subject as column → value, from `INSERT INTO t (cols)
 * VALUES (…), (…);` statements and from pg_dump `COPY t (cols) FROM stdin;` blocks.
 */
import { lineFinder, linesOf } from './lines.js';
import type { RecordRedactor } from './redact.js';
import type { ExportRecord } from './records.js';
import { columnsFor } from './csv-rows.js';

const INSERT = /INSERT\s+INTO\s+([^\s(]+)\s*(?:\(([^)]*)\))?\s*VALUES\s*/gi;
const COPY = /^COPY\s+([^\s(]+)\s*(?:\(([^)]*)\))?\s+FROM\s+stdin/i;

function names(list: string | undefined): string[] {
  return list ? list.split(',').map((c) => unquoteName(c.trim())) : [];
}

function unquoteName(name: string): string {
  return name.replace(/^[`"[]|[`"\]]$/g, '');
}

/** The values of a tuple's inside: quoted strings unescaped, NULL as null, anything else as written. */
export function tupleValues(inside: string): (string | null)[] {
  const values: (string | null)[] = [];
  let i = 0;
  while (i <= inside.length) {
    while (/\s/.test(inside[i] ?? '')) i++;
    let value: string | null;
    const q = /^(?:[EeXxBbNn])?'/.exec(inside.slice(i, i + 2));
    if (q) {
      i += q[0].length;
      let s = '';
      for (; i < inside.length; i++) {
        if (inside[i] === "'" && inside[i + 1] === "'") (s += "'"), i++;
        else if (inside[i] === '\\' && q[0].length === 2 && /[Ee]/.test(q[0][0]!)) s += inside[++i] ?? '';
        else if (inside[i] === "'") break;
        else s += inside[i];
      }
      i++;
      value = s;
      while (i < inside.length && inside[i] !== ',') i++;
    } else {
      const end = inside.indexOf(',', i);
      const token = inside.slice(i, end === -1 ? inside.length : end).trim();
      i = end === -1 ? inside.length : end;
      value = /^null$/i.test(token) ? null : token;
    }
    values.push(value);
    i++;
  }
  return values;
}

/** Start and end (exclusive, the closing parenthesis) of each tuple after VALUES, up to the `;`. */
function tuplesFrom(text: string, from: number): { start: number; end: number; next: number }[] {
  const tuples: { start: number; end: number; next: number }[] = [];
  let i = from;
  while (i < text.length) {
    while (/[\s,]/.test(text[i] ?? '')) i++;
    if (text[i] !== '(') break;
    const start = i + 1;
    let depth = 0;
    let quoted = false;
    for (; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === "'" && text[i + 1] === "'") i++;
        else if (c === '\\' && text[i + 1] === "'") i++;
        else if (c === "'") quoted = false;
      } else if (c === "'") quoted = true;
      else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) break;
    }
    tuples.push({ start, end: i, next: i + 1 });
    i++;
  }
  return tuples;
}

function row(r: RecordRedactor, raw: string, line: number, table: string, header: string[], split: (s: string) => (string | null)[]): ExportRecord | undefined {
  if (!r.mentions(raw)) return undefined;
  const { text: clean, identifiers } = r.redact(raw);
  const values = split(clean);
  const cols = columnsFor(header, values.length);
  return { kind: 'row', locator: { line }, identifiers, table: unquoteName(table), columns: Object.fromEntries(values.map((v, i) => [cols[i]!, v])) };
}

/** COPY text format: tab-separated, `\N` is NULL, backslash escapes. */
export function copyValues(line: string): (string | null)[] {
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '\\': '\\' };
  return line.split('\t').map((f) => (f === '\\N' ? null : f.replace(/\\(.)/g, (_, c: string) => escapes[c] ?? c)));
}

export function sqlRowRecords(text: string, r: RecordRedactor): ExportRecord[] {
  const found: { offset: number; record: ExportRecord }[] = [];
  const lineAt = lineFinder(text);
  for (const m of text.matchAll(INSERT)) {
    for (const t of tuplesFrom(text, m.index + m[0].length)) {
      const record = row(r, text.slice(t.start, t.end), lineAt(t.start), m[1]!, names(m[2]), tupleValues);
      if (record) found.push({ offset: t.start, record });
    }
  }
  const lines = linesOf(text);
  for (let i = 0; i < lines.length; i++) {
    const copy = COPY.exec(lines[i]!.text);
    if (!copy) continue;
    for (i++; i < lines.length && lines[i]!.text !== '\\.'; i++) {
      const record = row(r, lines[i]!.text, lines[i]!.line, copy[1]!, names(copy[2]), copyValues);
      if (record) found.push({ offset: i, record });
    }
  }
  // INSERT and COPY rows in file order.
  return found.map((f) => f.record).sort((a, b) => (a.locator as { line: number }).line - (b.locator as { line: number }).line);
}
