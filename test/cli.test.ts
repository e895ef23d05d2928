/** Golden runs of the built CLI on the example store, and the promises users rely on. */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, stat, symlink, writeFile, cp } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { IDENTIFIER_KINDS, type ArtifactRecord } from '../src/types.js';
import type { Report } from '../src/output/report.js';
import { dsr, ROOT, STORE, tempDir, ZOE_REQUEST } from './helpers.js';

const expected = JSON.parse(await readFile(path.join(ROOT, 'fixtures/expected/zoe.json'), 'utf8')) as Record<string, Record<string, number>>;
const expectedByIndex = JSON.parse(await readFile(path.join(ROOT, 'fixtures/expected/zoe-by-index.json'), 'utf8')) as Record<string, Record<string, number>>;
const request = JSON.parse(await readFile(ZOE_REQUEST, 'utf8'));
const values: string[] = Object.values(request.subject as Record<string, string[]>).flat();

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) out.push(...(await files(full)));
    else out.push(full);
  }
  return out.sort();
}

async function digestTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await files(dir)) out[path.relative(dir, f)] = createHash('sha256').update(await readFile(f)).digest('hex');
  return out;
}

function records(report: Report): ArtifactRecord[] {
  return report.engagements.flatMap((e) => e.artifacts);
}

function readJsonl(text: string): any[] {
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

describe('discover on the example store', () => {
  let out: string;
  let run: Awaited<ReturnType<typeof dsr>>;
  let report: Report;
  const storeBefore: Record<string, string> = {};

  beforeAll(async () => {
    Object.assign(storeBefore, await digestTree(STORE));
    out = path.join(await tempDir(), 'out');
    run = await dsr(['discover', '--store', STORE, '--request', ZOE_REQUEST, '--out', out, '--json']);
    report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
  });

  test('exits 0 and prints a JSON summary', () => {
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.totals.artifacts).toBe(Object.keys(expected).length);
    expect(summary.peakRssBytes).toBeGreaterThan(0);
  });

  test('counts per artifact and kind are exactly the expected ones', () => {
    const got = Object.fromEntries(records(report).map((r) => [r.artifact, r.matches]));
    expect(got).toEqual(expected);
    for (const r of records(report)) expect(r.status).toBe('scanned');
  });

  test('findings.jsonl names each identifier by kind and index, with counts per index as expected', async () => {
    const findings = readJsonl(await readFile(path.join(out, 'findings.jsonl'), 'utf8'));
    const byIndex: Record<string, Record<string, number>> = {};
    for (const f of findings) {
      expect(Object.keys(f).sort()).toEqual(['artifact', 'engagement', 'identifier', 'locator', 'variant']);
      expect(f.artifact.startsWith(f.engagement + '/')).toBe(true);
      const key = `${f.identifier.kind}#${f.identifier.index}`;
      byIndex[f.artifact] ??= {};
      byIndex[f.artifact]![key] = (byIndex[f.artifact]![key] ?? 0) + 1;
    }
    const nonEmpty = Object.fromEntries(Object.entries(expectedByIndex).filter(([, v]) => Object.keys(v).length > 0));
    expect(byIndex).toEqual(nonEmpty);
  });

  test('no identifier value appears in any output or on the console', async () => {
    const outputs = [run.stdout, run.stderr];
    for (const f of await files(out)) outputs.push(await readFile(f, 'utf8'));
    const all = outputs.join('\n').toLowerCase();
    for (const v of values) {
      expect(all).not.toContain(v.toLowerCase());
      expect(all).not.toContain(v.replace(/[^0-9a-z]/gi, '').toLowerCase());
    }
  });

  test('the audit log has a read with SHA-256 for every artifact and the writes', async () => {
    const audit = readJsonl(await readFile(path.join(out, 'audit.jsonl'), 'utf8'));
    const reads = audit.filter((e) => e.event === 'read');
    expect(reads.map((e) => e.path).sort()).toEqual(Object.keys(expected).sort());
    for (const e of reads) {
      const digest = createHash('sha256').update(await readFile(path.join(STORE, e.path))).digest('hex');
      expect(e.sha256).toBe(digest);
      expect(typeof e.time).toBe('string');
    }
    expect(audit.filter((e) => e.event === 'write').map((e) => e.path)).toEqual(['findings.jsonl', 'report.json']);
  });

  test('the store is not modified', async () => {
    expect(await digestTree(STORE)).toEqual(storeBefore);
  });

  test('running again into the same --out ends with the same outputs', async () => {
    const first = { findings: await readFile(path.join(out, 'findings.jsonl'), 'utf8'), report: await readFile(path.join(out, 'report.json'), 'utf8') };
    const again = await dsr(['discover', '--store', STORE, '--request', ZOE_REQUEST, '--out', out]);
    expect(again.code).toBe(0);
    expect(await readFile(path.join(out, 'findings.jsonl'), 'utf8')).toBe(first.findings);
    expect(await readFile(path.join(out, 'report.json'), 'utf8')).toBe(first.report);
  });

  test('a run killed half way resumes and ends with the same outputs', async () => {
    const first = { findings: await readFile(path.join(out, 'findings.jsonl'), 'utf8'), report: await readFile(path.join(out, 'report.json'), 'utf8') };
    // What a kill leaves behind: no final outputs yet, and a journal whose last line is torn.
    const journal = path.join(out, '.dsr/journal.jsonl');
    const lines = (await readFile(journal, 'utf8')).split('\n').filter(Boolean);
    await writeFile(journal, lines.slice(0, 5).join('\n') + '\n' + lines[5]!.slice(0, 40));
    await writeFile(path.join(out, 'report.json'), '');
    await writeFile(path.join(out, 'findings.jsonl'), '');
    const again = await dsr(['discover', '--store', STORE, '--request', ZOE_REQUEST, '--out', out]);
    expect(again.code).toBe(0);
    expect(await readFile(path.join(out, 'findings.jsonl'), 'utf8')).toBe(first.findings);
    expect(await readFile(path.join(out, 'report.json'), 'utf8')).toBe(first.report);
    // The torn line is gone: every journal line is whole again.
    for (const line of (await readFile(journal, 'utf8')).split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
  });

  test('findings do not depend on concurrency', async () => {
    const other = path.join(await tempDir(), 'out');
    await dsr(['discover', '--store', STORE, '--request', ZOE_REQUEST, '--out', other, '--concurrency', '7']);
    expect(await readFile(path.join(other, 'findings.jsonl'), 'utf8')).toBe(await readFile(path.join(out, 'findings.jsonl'), 'utf8'));
  });
});

describe('erase on the example store', () => {
  let out: string;
  let report: Report;

  beforeAll(async () => {
    out = path.join(await tempDir(), 'out');
    const run = await dsr(['erase', '--store', STORE, '--request', ZOE_REQUEST, '--out', out]);
    expect(run.code).toBe(0);
    report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
  });

  test('redacted/ holds every artifact at its relative path', async () => {
    const written = (await files(path.join(out, 'redacted'))).map((f) => path.relative(path.join(out, 'redacted'), f));
    expect(written.sort()).toEqual(Object.keys(expected).sort());
  });

  test('artifacts without matches are byte-identical copies', async () => {
    for (const [artifact, counts] of Object.entries(expected)) {
      if (IDENTIFIER_KINDS.some((k) => counts[k]! > 0)) continue;
      const original = await readFile(path.join(STORE, artifact));
      expect((await readFile(path.join(out, 'redacted', artifact))).equals(original), artifact).toBe(true);
    }
  });

  test('a second discover over the redacted store finds nothing', async () => {
    const check = path.join(await tempDir(), 'check');
    const run = await dsr(['discover', '--store', path.join(out, 'redacted'), '--request', ZOE_REQUEST, '--out', check, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).totals.matches).toEqual({ email: 0, phone: 0, name: 0, id: 0 });
  });

  test('report records the verified redacted copy of each responsive artifact', () => {
    for (const r of records(report)) {
      expect(r.redacted?.verified, r.artifact).toBe(true);
      const any = IDENTIFIER_KINDS.some((k) => r.matches[k] > 0);
      expect(r.redacted!.spans > 0).toBe(any);
    }
  });
});

describe('requests and usage errors exit 2 and name the field, never the value', () => {
  test.each([
    ['bad-email.json', 'subject.emails[0]'],
    ['empty-subject.json', 'subject'],
    ['bad-shape.json', 'subject.phones'],
    ['unknown-field.json', 'subjekt'],
  ])('%s', async (file, field) => {
    const out = path.join(await tempDir(), 'out');
    const run = await dsr(['discover', '--store', STORE, '--request', path.join(ROOT, 'fixtures/requests', file), '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(field);
    const raw = await readFile(path.join(ROOT, 'fixtures/requests', file), 'utf8');
    for (const v of Object.values(JSON.parse(raw).subject ?? {}).flat()) if (typeof v === 'string' && v) expect(run.stderr).not.toContain(v);
  });

  test('missing option', async () => {
    const run = await dsr(['discover', '--store', STORE]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--request/);
  });

  test('--out inside the store is refused', async () => {
    const store = await tempDir();
    await cp(path.join(STORE, 'ENG-1004'), path.join(store, 'ENG-1004'), { recursive: true });
    const run = await dsr(['discover', '--store', store, '--request', ZOE_REQUEST, '--out', path.join(store, 'out')]);
    expect(run.code).toBe(2);
  });

  test('a different request into the same --out is refused', async () => {
    const out = path.join(await tempDir(), 'out');
    expect((await dsr(['discover', '--store', STORE, '--request', ZOE_REQUEST, '--out', out])).code).toBe(0);
    const run = await dsr(['discover', '--store', STORE, '--request', path.join(ROOT, 'fixtures/requests/scoped.json'), '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/another command, store or request/);
  });

  test('--help explains every option', async () => {
    const run = await dsr(['erase', '--help']);
    expect(run.code).toBe(0);
    for (const opt of ['--store', '--request', '--out', '--concurrency', '--json']) expect(run.stdout).toContain(opt);
  });
});

describe('scope, hostile store entries and failures', () => {
  test('scope limits the run to the named engagements and reports missing ones', async () => {
    const store = await tempDir();
    await cp(STORE, store, { recursive: true });
    const req = path.join(await tempDir(), 'req.json');
    await writeFile(req, JSON.stringify({ ...request, scope: { engagements: ['ENG-1002', 'ENG-9999'] } }));
    const out = path.join(await tempDir(), 'out');
    const run = await dsr(['discover', '--store', store, '--request', req, '--out', out]);
    expect(run.code).toBe(0);
    const report: Report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
    expect(report.engagements.map((e) => e.engagement)).toEqual(['ENG-1002']);
    expect(report.scope.missing).toEqual(['ENG-9999']);
  });

  test('symlinks out of the store are skipped with a reason; a corrupt gzip fails alone (exit 1)', async () => {
    const store = await tempDir();
    const outsideDir = await tempDir();
    await mkdir(path.join(store, 'ENG-1'));
    await writeFile(path.join(outsideDir, 'secret.log'), 'zoe.muller@contoso.com\n');
    await symlink(path.join(outsideDir, 'secret.log'), path.join(store, 'ENG-1', 'link-out.log'));
    await writeFile(path.join(store, 'ENG-1', 'inside.log'), 'contact zoe.muller@contoso.com\n');
    await symlink(path.join(store, 'ENG-1', 'inside.log'), path.join(store, 'ENG-1', 'link-in.log'));
    await writeFile(path.join(store, 'ENG-1', 'broken.log.gz'), Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]));
    await writeFile(path.join(store, 'loose.txt'), 'not in an engagement\n');
    const out = path.join(await tempDir(), 'out');
    const run = await dsr(['erase', '--store', store, '--request', ZOE_REQUEST, '--out', out]);
    expect(run.code).toBe(1);
    const report: Report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
    const byPath = Object.fromEntries(records(report).map((r) => [r.artifact, r]));
    expect(byPath['ENG-1/link-out.log']!.status).toBe('skipped');
    expect(byPath['ENG-1/link-out.log']!.reason).toMatch(/out of the store/);
    expect(byPath['ENG-1/link-in.log']!.matches.email).toBe(1);
    expect(byPath['ENG-1/broken.log.gz']!.status).toBe('failed');
    expect(byPath['ENG-1/broken.log.gz']!.reason).toMatch(/gzip/);
    expect(byPath['ENG-1/inside.log']!.status).toBe('scanned');
    expect(report.outsideEngagements.map((r) => [r.artifact, r.status])).toEqual([['loose.txt', 'skipped']]);
    // Nothing unverifiable is copied into the redacted store.
    await expect(stat(path.join(out, 'redacted/ENG-1/broken.log.gz'))).rejects.toThrow();
    await expect(stat(path.join(out, 'redacted/ENG-1/link-out.log'))).rejects.toThrow();
    expect(await readFile(path.join(out, 'redacted/ENG-1/inside.log'), 'utf8')).toBe('contact [REDACTED:email]\n');
  });
});

describe('store paths that hold an identifier', () => {
  test('are reported and copied with the identifier replaced, each kept apart', async () => {
    const store = await tempDir();
    await mkdir(path.join(store, 'ENG-1', 'exports'), { recursive: true });
    await writeFile(path.join(store, 'ENG-1', 'exports', 'Zoë Müller.csv'), 'id,note\n1,zoe.muller@contoso.com\n');
    await writeFile(path.join(store, 'ENG-1', 'exports', 'Zoe Muller.csv'), 'id,note\n2,nothing here\n');
    const out = path.join(await tempDir(), 'out');
    const run = await dsr(['erase', '--store', store, '--request', ZOE_REQUEST, '--out', out]);
    expect(run.code).toBe(0);
    const outputs = [await readFile(path.join(out, 'report.json'), 'utf8'), await readFile(path.join(out, 'findings.jsonl'), 'utf8'), await readFile(path.join(out, 'audit.jsonl'), 'utf8')].join('\n');
    expect(outputs).not.toMatch(/m[uü]ller/i);
    const copies = (await files(path.join(out, 'redacted'))).map((f) => path.relative(path.join(out, 'redacted'), f)).sort();
    expect(copies).toEqual(['ENG-1/exports/[REDACTED].csv', 'ENG-1/exports/[REDACTED]~2.csv']);
    const report: Report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
    for (const r of records(report)) expect(r.notes?.join(' ')).toMatch(/name in the store holds an identifier/);
  });

  test('engagement folders, names with an extension after an address, root files and scope names too', async () => {
    const store = await tempDir();
    await mkdir(path.join(store, 'CUST48213907'));
    await mkdir(path.join(store, 'ENG-2'));
    await writeFile(path.join(store, 'CUST48213907', 'a.txt'), 'mail zoe.muller@contoso.com\n');
    await writeFile(path.join(store, 'ENG-2', 'zoe.muller@contoso.com.txt'), 'hello\n');
    await writeFile(path.join(store, 'ENG-2', 'zoe.muller@contoso.com_backup.txt'), 'hello\n');
    await writeFile(path.join(store, 'zoe.muller@contoso.com'), 'root file\n');
    const out = path.join(await tempDir(), 'out');
    const run = await dsr(['erase', '--store', store, '--request', ZOE_REQUEST, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const written = await files(out);
    const all = (await Promise.all(written.map((f) => readFile(f, 'utf8')))).join('\n') + written.join('\n') + run.stdout + run.stderr;
    expect(all).not.toMatch(/zoe\.muller|48213907/i);
    const report: Report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
    expect(report.engagements.map((e) => e.engagement)).toEqual(['[REDACTED]', 'ENG-2']);
    expect(records(report).map((r) => r.artifact).sort()).toEqual(['ENG-2/[REDACTED].txt', 'ENG-2/[REDACTED]_backup.txt', '[REDACTED]/a.txt']);
    // The scope a request names is echoed without identifiers as well.
    const req = path.join(await tempDir(), 'req.json');
    await writeFile(req, JSON.stringify({ ...request, scope: { engagements: ['CUST48213907', 'ENG-404'] } }));
    const scoped = path.join(await tempDir(), 'out');
    expect((await dsr(['discover', '--store', store, '--request', req, '--out', scoped])).code).toBe(0);
    const scopedReport = await readFile(path.join(scoped, 'report.json'), 'utf8');
    expect(scopedReport).not.toContain('48213907');
    expect(JSON.parse(scopedReport).scope.missing).toEqual(['ENG-404']);
  });
});

describe('container limits on the command line', () => {
  test('--max-depth stops at the given nesting, with a reason', async () => {
    const store = await tempDir();
    await mkdir(path.join(store, 'ENG-1'));
    await cp(path.join(ROOT, 'fixtures/formats/zip/nested.zip'), path.join(store, 'ENG-1', 'nested.zip'));
    const statuses = async (extra: string[]) => {
      const out = path.join(await tempDir(), 'out');
      const run = await dsr(['discover', '--store', store, '--request', ZOE_REQUEST, '--out', out, ...extra]);
      expect(run.code, run.stderr).toBe(0);
      const report: Report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
      return records(report).map((r) => [r.artifact.split('!').length - 1, r.status, r.reason ?? '']);
    };
    const deep = await statuses([]);
    expect(deep.every(([, status]) => status === 'scanned')).toBe(true);
    const shallow = await statuses(['--max-depth', '1']);
    expect(shallow.filter(([depth]) => (depth as number) >= 2).every(([, status, reason]) => status === 'skipped' && /nested deeper than 1/.test(reason as string))).toBe(true);
    expect(shallow.some(([depth]) => (depth as number) >= 2)).toBe(true);
    expect((await dsr(['discover', '--store', store, '--request', ZOE_REQUEST, '--out', path.join(await tempDir(), 'o'), '--max-ratio', 'lots'])).code).toBe(2);
  });
});

describe('identifiers uncovered by redaction', () => {
  test('an id glued to a phone number: erase redacts again until neither is left', async () => {
    const store = await tempDir();
    await mkdir(path.join(store, 'ENG-1'));
    await writeFile(path.join(store, 'ENG-1', 'a.txt'), 'ref 9f3a2c71be04d5e6.4155550115 end\nref CUST48213907-4155550115 end\n');
    const out = path.join(await tempDir(), 'out');
    const run = await dsr(['erase', '--store', store, '--request', ZOE_REQUEST, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(await readFile(path.join(out, 'redacted/ENG-1/a.txt'), 'utf8')).toBe(
      'ref [REDACTED:id].[REDACTED:phone] end\nref [REDACTED:id]-[REDACTED:phone] end\n',
    );
    const report: Report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
    // Findings are what discover finds in the original: the ids; the copy has four placeholders.
    expect(records(report)[0]!.matches).toEqual({ email: 0, phone: 0, name: 0, id: 2 });
    expect(records(report)[0]!.redacted?.spans).toBe(4);
  });
});
