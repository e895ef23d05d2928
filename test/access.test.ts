/**
 * `dsr access` on the example store: a copy of each artifact that mentions the subject, in its own
 * format, with the subject's identifiers kept and other people's data and secrets replaced by typed
 * placeholders; no copy of the others; findings and report as for discover.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { runJob, type RunSummary } from '../src/job.js';
import type { ArtifactRecord } from '../src/types.js';
import { ROOT, STORE, tempDir, zoe } from './helpers.js';
import { listFiles } from './verify-helpers.js';

const expected = JSON.parse(await readFile(path.join(ROOT, 'fixtures/expected/zoe.json'), 'utf8')) as Record<string, Record<string, number>>;
const mentionsSubject = Object.keys(expected).filter((a) => Object.values(expected[a]!).some((n) => n > 0)).sort();

type Counts = { count: number; distinct: number };
type AccessReport = {
  command: string;
  detected: Record<string, Counts>;
  engagements: { engagement: string; detected: Record<string, Counts>; artifacts: ArtifactRecord[] }[];
};

describe('access on the example store', () => {
  let out: string;
  let summary: RunSummary;
  let report: AccessReport;
  let records: Record<string, ArtifactRecord>;
  const copy = async (artifact: string) => {
    const bytes = await readFile(path.join(out, 'access', artifact));
    return (artifact.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  };

  beforeAll(async () => {
    out = path.join(await tempDir(), 'access');
    summary = await runJob({ command: 'access', store: STORE, request: await zoe(), out });
    report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
    records = Object.fromEntries(report.engagements.flatMap((e) => e.artifacts).map((a) => [a.artifact, a]));
  });

  test('a verified copy of exactly the artifacts that mention the subject', async () => {
    expect(summary.exitCode).toBe(0);
    expect(report.command).toBe('access');
    expect(await listFiles(path.join(out, 'access'))).toEqual(mentionsSubject);
    for (const artifact of mentionsSubject) expect(records[artifact]!.redacted).toMatchObject({ path: artifact, verified: true });
    for (const artifact of Object.keys(expected).filter((a) => !mentionsSubject.includes(a))) expect(records[artifact]!.redacted).toBeUndefined();
  });

  test('every identifier of the subject stays: discover over the copies finds the same counts', async () => {
    const again = path.join(await tempDir(), 'again');
    await runJob({ command: 'discover', store: path.join(out, 'access'), request: await zoe(), out: again });
    const reread = JSON.parse(await readFile(path.join(again, 'report.json'), 'utf8')) as AccessReport;
    const counts = Object.fromEntries(reread.engagements.flatMap((e) => e.artifacts).map((a) => [a.artifact, a.matches]));
    expect(counts).toEqual(Object.fromEntries(mentionsSubject.map((a) => [a, expected[a]])));
  });

  test("other people's data is replaced by its type; the subject's stays beside it", async () => {
    const log = await copy('ENG-1001/logs/app.log');
    expect(log).toContain('login ok user=zoe.muller@contoso.com');
    expect(log).toContain('login ok user=[EMAIL_ADDRESS] session=s-77a1c0 ip=[IP_ADDRESS]');
    expect(log).toContain('phone="[PHONE_NUMBER]" by=[EMAIL_ADDRESS]');
    const csv = await copy('ENG-1001/exports/customers.csv');
    expect(csv).toContain('1001,CUST30017742,[PERSON],"[PERSON]",[EMAIL_ADDRESS],[PHONE_NUMBER],,US');
    const vtt = await copy('ENG-1002/transcripts/call-2026-03-02.vtt');
    expect(vtt).toContain('<v Zoë Müller>Sure, it\'s zoe.muller@contoso.com.');
    expect(vtt).toContain('<v [PERSON]>Thank you for calling Contoso billing, this is [PERSON].');
    const sql = await copy('ENG-1002/db/billing.sql');
    expect(sql).toContain("'[PERSON]', '[EMAIL_ADDRESS]', '[PHONE_NUMBER]'");
    // Near misses of the subject are other people's data, and go.
    const all = (await Promise.all(mentionsSubject.map(copy))).join('\n');
    expect(all).not.toMatch(/ava\.chen@|jan\.kowalski@|zoey\.muller@|\+1 \(206\) 555-0199|203\.0\.113\.24|Jan Kowalski|M&uuml;llerov/);
  });

  test('copies stay in their own format and encoding', async () => {
    const utf16 = await readFile(path.join(out, 'access/ENG-1002/notes/agent-notes-utf16le.txt'));
    expect([...utf16.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(utf16.toString('utf16le')).toContain('[PERSON]');
    const latin1 = await readFile(path.join(out, 'access/ENG-1002/notes/agent-notes-latin1.txt'));
    expect(latin1.includes(Buffer.from([0xeb]))).toBe(true); // ë as one Windows-1252 byte
    expect(JSON.parse((await copy('ENG-1001/tickets/ticket-5531.json')))).toBeTruthy();
  });

  test('findings.jsonl holds the subject only; report.json counts the rest per type, never the values', async () => {
    const findings = (await readFile(path.join(out, 'findings.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const total = Object.values(expected).reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
    expect(findings).toHaveLength(total);
    expect(new Set(findings.map((f) => f.identifier.kind))).toEqual(new Set(['email', 'phone', 'name', 'id']));
    expect(records['ENG-1001/logs/app.log']!.detected).toMatchObject({ EMAIL_ADDRESS: { count: 5, distinct: 3 }, PHONE_NUMBER: { count: 1, distinct: 1 } });
    expect(report.engagements.find((e) => e.engagement === 'ENG-1001')!.detected.EMAIL_ADDRESS!.count).toBeGreaterThan(0);
    expect(report.detected.PERSON!.distinct).toBeLessThanOrEqual(report.detected.PERSON!.count);
    const raw = await readFile(path.join(out, 'report.json'), 'utf8');
    expect(raw).not.toMatch(/ava\.chen|Kowalski|555-0199|203\.0\.113/);
  });
});
