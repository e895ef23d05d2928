/**
 * `dsr export` on the example store: subject.json valid against schema/subject.schema.json, records
 * of each kind with their fields, other people's data replaced and the subject's kept, manifest
 * digests right, `dsr verify` intact and tampered, --zip, same input → same subject.json bytes.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, test } from 'vitest';
import { runExport } from '../src/export/command.js';
import type { RowRecord, SubjectExport, ExportRecord } from '../src/export/records.js';
import { verifyPath } from '../src/verify/index.js';
import { ROOT, STORE, tempDir, zoe } from './helpers.js';

const schema = JSON.parse(await readFile(path.join(ROOT, 'schema/subject.schema.json'), 'utf8'));
const validate = new Ajv2020.default({ allErrors: true, strict: false }).compile(schema);

async function exportStore(zip = true): Promise<string> {
  const out = await tempDir('dsr-export-');
  const summary = await runExport({ store: STORE, request: await zoe(), out, zip });
  expect(summary.exitCode).toBe(0);
  return out;
}

function recordsOf(bundle: SubjectExport, artifact: string): ExportRecord[] {
  return bundle.engagements.flatMap((e) => e.artifacts).find((a) => a.artifact === artifact)?.records ?? [];
}

describe('export on the example store', () => {
  let out: string;
  let bundle: SubjectExport;
  beforeAll(async () => {
    out = await exportStore();
    bundle = JSON.parse(await readFile(path.join(out, 'export/subject.json'), 'utf8'));
  }, 60_000);

  test('subject.json is valid against the schema', () => {
    expect(validate(bundle), JSON.stringify(validate.errors)).toBe(true);
    expect(bundle.request.id).toBe('DSR-2026-0042');
  });

  test('a CSV row of customers.csv as columns, subject kept', () => {
    const [row] = recordsOf(bundle, 'ENG-1001/exports/customers.csv') as RowRecord[];
    expect(row).toMatchObject({ kind: 'row', locator: { line: 3 }, table: null });
    expect(row!.columns).toMatchObject({ account_no: 'CUST48213907', email: 'zoe.muller@contoso.com', phone: '+1 (415) 555-0115', sort_name: 'Müller, Zoë' });
    expect(row!.identifiers).toContainEqual({ kind: 'email', index: 0 });
  });

  test('a VTT cue with speaker and time', () => {
    const cues = recordsOf(bundle, 'ENG-1002/transcripts/call-2026-03-02.vtt');
    expect(cues).toContainEqual(expect.objectContaining({ kind: 'message', speaker: 'Zoë Müller', time: '00:00:13.200', end: '00:00:16.500', text: "Sure, it's zoe.muller@contoso.com." }));
  });

  test('a SQL row with table and columns', () => {
    const rows = recordsOf(bundle, 'ENG-1002/db/billing.sql') as RowRecord[];
    const customer = rows.find((r) => r.table === 'customers')!;
    expect(customer.columns).toEqual({ id: '17', account_no: 'CUST48213907', full_name: 'Zoë Müller', email: 'zoe.muller@contoso.com', phone: '+14155550115', created_at: '2025-01-19 08:12:00+00' });
    // Only the subject's rows: Jan Kowalski's row is not exported.
    expect(JSON.stringify(rows)).not.toContain('kowalski');
  });

  test('a log line with line number and timestamp; other people data replaced', () => {
    const lines = recordsOf(bundle, 'ENG-1001/logs/app.log');
    expect(lines).toContainEqual(expect.objectContaining({ kind: 'log-line', locator: { line: 5 }, timestamp: '2026-02-27T10:02:14.020Z' }));
    const text = JSON.stringify(lines);
    expect(text).toContain('zoe.muller@contoso.com');
    expect(text).not.toMatch(/\b198\.51\.100\.\d+/);
  });

  test("other people's e-mail addresses and phone numbers are replaced by placeholders", async () => {
    const json = await readFile(path.join(out, 'export/subject.json'), 'utf8');
    for (const other of ['ava.chen@fabrikam.com', '+1 (206) 555-0199']) expect(json).not.toContain(other);
    expect(json).toContain('[EMAIL_ADDRESS]');
    expect(json).toContain('zoe.muller@contoso.com');
  });

  test('subject.csv flattens the records, RFC 4180 quoted', async () => {
    const csv = await readFile(path.join(out, 'export/subject.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('engagement,artifact,record,kind,locator,timestamp,speaker,field,value,identifiers');
    expect(csv).toContain('ENG-1001,ENG-1001/exports/customers.csv,1,row,line=3,,,sort_name,"Müller, Zoë",');
  });

  test('manifest lists every other file with its size and SHA-256', async () => {
    const manifest = JSON.parse(await readFile(path.join(out, 'export/manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ requestId: 'DSR-2026-0042', tool: { name: 'dsr' } });
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(['subject.json', 'subject.csv']);
    for (const f of manifest.files) {
      const bytes = await readFile(path.join(out, 'export', f.path));
      expect(f).toEqual({ path: f.path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
  });

  test('verify: folder and zip intact; a flipped byte is reported', async () => {
    expect((await verifyPath(path.join(out, 'export'), {})).problems).toEqual([]);
    expect((await verifyPath(path.join(out, 'export.zip'), {})).problems).toEqual([]);
    const file = path.join(out, 'export/subject.csv');
    const bytes = await readFile(file);
    bytes[10] ^= 0x01;
    await writeFile(file, bytes);
    const report = await verifyPath(path.join(out, 'export'), {});
    expect(report.problems.map((p) => p.file + ' ' + p.message).join('\n')).toMatch(/subject\.csv SHA-256 is/);
  });

  test('same input gives the same subject.json bytes', async () => {
    const again = await exportStore(false);
    expect(await readFile(path.join(again, 'export/subject.json'))).toEqual(await readFile(path.join(out, 'export/subject.json')));
  }, 60_000);
});

describe('export of a file whose store name holds an identifier', () => {
  test('its records are read from the file, though the report shows the name hidden', async () => {
    // The report names it `[REDACTED].csv`; the bundle must still read the real file, not a
    // path rebuilt from that name (which does not exist) and left with no records.
    const { cp, mkdir } = await import('node:fs/promises');
    const store = path.join(await tempDir('dsr-export-store-'), 'store');
    await mkdir(path.join(store, 'ENG-1'), { recursive: true });
    await cp(path.join(STORE, 'ENG-1001/exports/customers.csv'), path.join(store, 'ENG-1', 'zoe.muller@contoso.com.csv'));
    const out = await tempDir('dsr-export-');
    expect((await runExport({ store, request: await zoe(), out, zip: false })).exitCode).toBe(0);
    const bundle: SubjectExport = JSON.parse(await readFile(path.join(out, 'export/subject.json'), 'utf8'));
    const [artifact] = bundle.engagements.flatMap((e) => e.artifacts);
    expect(artifact!.artifact).not.toContain('zoe.muller');
    expect(artifact!.reader).not.toBe('none');
    expect(artifact!.records.length).toBeGreaterThan(0);
    expect((artifact!.records[0] as RowRecord).columns).toMatchObject({ account_no: 'CUST48213907' });
  });
});
