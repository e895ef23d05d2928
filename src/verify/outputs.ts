/**
 * The outputs of a run against what its audit log recorded: each file's last `write` entry must
 * match the file as stored (for encrypted outputs, the .age file's own bytes, so no key is
 * needed), and every file under the folders of store copies must have been recorded.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AuditCheck } from './audit-chain.js';
import { insideFolder } from './audit-chain.js';
import { sha256File } from '../output/hash.js';
import { emptyReport, type VerifyReport } from './result.js';
import { folderTree } from './tree.js';

/** Where runs write their copies of the store: erase (redacted/) and access (access/). */
const COPY_FOLDERS = ['redacted', 'access'];

export async function checkRecordedOutputs(outDir: string, audit: AuditCheck, auditLabel: string): Promise<VerifyReport> {
  const report = emptyReport();
  let matched = 0;
  for (const [rel, recorded] of audit.writes) {
    const full = insideFolder(outDir, rel);
    if (!full) {
      report.problems.push({ file: auditLabel, line: recorded.line, message: `names ${JSON.stringify(rel)}, which is outside its folder` });
      continue;
    }
    if (!existsSync(full)) {
      report.problems.push({ file: rel, message: `missing (written at ${auditLabel} line ${recorded.line})` });
      continue;
    }
    const actual = await sha256File(full);
    if (actual.sha256 !== recorded.sha256) {
      report.problems.push({ file: rel, message: `SHA-256 is ${actual.sha256}, ${auditLabel} line ${recorded.line} recorded ${recorded.sha256}` });
    } else matched++;
  }
  for (const folder of COPY_FOLDERS) {
    if (!existsSync(path.join(outDir, folder))) continue;
    const tree = await folderTree(path.join(outDir, folder), folder);
    report.problems.push(...tree.problems);
    for (const rel of tree.files.keys()) {
      if (!audit.writes.has(`${folder}/${rel}`)) report.problems.push({ file: `${folder}/${rel}`, message: `is not recorded in ${auditLabel}: it was added or renamed afterwards` });
    }
  }
  if (matched > 0 && report.problems.length === 0) report.ok.push(`${matched} output files match the digests ${auditLabel} recorded`);
  return report;
}
