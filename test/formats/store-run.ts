/**
 * Runs the real engine (discover or erase) on a temporary store holding the given files, so that
 * container layers are tested with real member records, dispatch by content and verification.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command, RunSummary } from '../../src/job.js';
import { runJob } from '../../src/job.js';
import type { Limits } from '../../src/formats/types.js';
import type { LoadedRequest } from '../../src/request.js';
import type { ArtifactRecord, Finding } from '../../src/types.js';
import { tempDir, zoe } from '../helpers.js';

export const ENGAGEMENT = 'ENG-7';

export interface StoreRun {
  root: string;
  out: string;
  summary: RunSummary;
  reportText: string;
  /** Records by artifact path (`ENG-7/a.zip!member`). */
  records: Map<string, ArtifactRecord>;
  findings: Finding[];
  /** Bytes of a file under redacted/ (store-relative path). */
  redacted(rel: string): Promise<Buffer>;
}

/** `files`: store-relative paths under the engagement folder → content. */
export async function runOnFiles(
  command: Command,
  files: Record<string, Buffer | string>,
  options: { limits?: Partial<Limits>; request?: LoadedRequest; detect?: boolean } = {},
): Promise<StoreRun> {
  const root = await tempDir('dsr-containers-');
  const store = path.join(root, 'store');
  for (const [rel, data] of Object.entries(files)) {
    const file = path.join(store, ENGAGEMENT, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, data);
  }
  const out = path.join(root, 'out');
  const summary = await runJob({ command, store, out, request: options.request ?? (await zoe()), detect: options.detect, ...(options.limits ? { limits: options.limits } : {}) });
  const reportText = await readFile(path.join(out, 'report.json'), 'utf8');
  const report = JSON.parse(reportText) as { engagements: { artifacts: ArtifactRecord[] }[] };
  const records = new Map(report.engagements.flatMap((e) => e.artifacts).map((a) => [a.artifact, a]));
  const findings = (await readFile(path.join(out, 'findings.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Finding);
  return { root, out, summary, reportText, records, findings, redacted: (rel) => readFile(path.join(out, 'redacted', ENGAGEMENT, rel)) };
}

const { identifiers } = await zoe();

/** The subject's identifier values found by plain, case-insensitive search: a check that owes nothing to the matcher. */
export function plainHits(text: string, values = identifiers.map((i) => i.value)): string[] {
  const lower = text.toLowerCase();
  return values.filter((v) => lower.includes(v.toLowerCase()));
}

/** Matches of a record as `kind: count`, zero kinds left out. */
export function counts(record: ArtifactRecord | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(record?.matches ?? {}).filter(([, n]) => n > 0));
}
