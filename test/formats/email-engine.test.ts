/**
 * The e-mail fixtures through the whole engine (discover and erase): one record per message and
 * per attachment, the engine's own verification of every redacted copy, and the copies under
 * redacted/ decoded by mailparser with no identifier left.
 */
import { cp, mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { runJob } from '../../src/job.js';
import type { Report } from '../../src/output/report.js';
import { IDENTIFIER_KINDS, type ArtifactRecord } from '../../src/types.js';
import { ROOT, tempDir, zoe } from '../helpers.js';
import { residue } from './email-harness.js';

const DIR = path.join(ROOT, 'fixtures/formats/email');
const expected = JSON.parse(await readFile(path.join(DIR, 'expected.json'), 'utf8')) as Record<string, Record<string, number>>;

function byPath(report: Report): Map<string, ArtifactRecord> {
  return new Map(report.engagements.flatMap((e) => e.artifacts).map((r) => [r.artifact, r]));
}

function nonZero(r: ArtifactRecord): Record<string, number> {
  return Object.fromEntries(IDENTIFIER_KINDS.filter((k) => r.matches[k] > 0).map((k) => [k, r.matches[k]]));
}

describe('e-mail fixtures through discover and erase', () => {
  let store: string;
  let work: string;
  const reports: Record<string, Report> = {};
  const exits: Record<string, number> = {};

  beforeAll(async () => {
    work = await tempDir('dsr-email-');
    store = path.join(work, 'store');
    await mkdir(path.join(store, 'ENG-MAIL/mail'), { recursive: true });
    for (const f of await readdir(DIR)) if (/\.(eml|mbox)$/.test(f)) await cp(path.join(DIR, f), path.join(store, 'ENG-MAIL/mail', f));
    const request = await zoe();
    for (const command of ['discover', 'erase'] as const) {
      const out = path.join(work, command);
      const summary = await runJob({ command, store, request, out });
      exits[command] = summary.exitCode;
      reports[command] = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
    }
  });

  test.each(['discover', 'erase'])('%s: every message and attachment has its record, with the expected counts', (command) => {
    const records = byPath(reports[command]!);
    const want = Object.fromEntries(Object.entries(expected).map(([k, v]) => [`ENG-MAIL/mail/${k}`, v]));
    const got = Object.fromEntries([...records].map(([p, r]) => [p, nonZero(r)]));
    expect(got).toEqual(want);
    expect(exits[command]).toBe(0);
    for (const [p, r] of records) {
      if (p.endsWith('!empty.log')) expect([r.status, r.reason]).toEqual(['skipped', 'empty attachment (0 bytes)']);
      else expect(r.status, `${p}: ${r.reason}`).toBe('scanned');
    }
  });

  test('erase: every message is written, verified, and mailparser finds nothing in the copy', async () => {
    const records = byPath(reports.erase!);
    for (const name of Object.keys(expected).filter((k) => !k.includes('!'))) {
      const record = records.get(`ENG-MAIL/mail/${name}`)!;
      expect(record.redacted?.verified, name).toBe(true);
      expect(record.redacted!.spans, name).toBeGreaterThan(0);
      const copy = await readFile(path.join(work, 'erase/redacted/ENG-MAIL/mail', name));
      const messages = name.endsWith('.mbox') ? copy.toString('latin1').split(/^From .*\n/m).filter(Boolean).map((m) => Buffer.from(m, 'latin1')) : [copy];
      for (const m of messages) expect(await residue(m), name).toEqual([]);
    }
  });

  test('findings name the identifier by kind and index and never hold a value', async () => {
    const findings = await readFile(path.join(work, 'discover/findings.jsonl'), 'utf8');
    const request = await zoe();
    for (const id of request.identifiers) expect(findings.toLowerCase().includes(id.value.toLowerCase())).toBe(false);
    const lines = findings.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.find((f) => f.artifact === 'ENG-MAIL/mail/three.mbox' && f.locator.part === 'separator')).toMatchObject({
      identifier: { kind: 'email', index: 0 },
      locator: { message: 1, part: 'separator' },
    });
  });
});
