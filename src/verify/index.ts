/**
 * `dsr verify PATH`: what PATH is decides what is checked.
 * - a bundle folder (manifest.json inside) or a zip of one: every listed file's size and SHA-256,
 *   and no file unlisted;
 * - an audit log: the hash chain, and, when it sits in its --out folder, the files it recorded;
 * - an attestation (attestation.json[.age] with attestation.sig[.age] beside it): the signature
 *   (needs --public-key), the redacted copies it lists, and the audit log head it signed;
 * - an --out folder: each of the above that it holds.
 */
import { existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { AGE_MAGIC, AGE_SUFFIX } from '../crypto/age.js';
import { ATTESTATION_FILE, ATTESTATION_TYPE } from '../crypto/attestation.js';
import type { AuditHead } from '../output/audit.js';
import { checkAuditLog } from './audit-chain.js';
import { verifyAttestation, type KeyOptions } from './attestation.js';
import { MANIFEST_FILE, verifyBundle } from './manifest.js';
import { checkRecordedOutputs } from './outputs.js';
import { ArgumentError } from '../errors.js';
import { emptyReport, merge, type VerifyReport } from './result.js';
import { folderTree, zipTree, type FileTree } from './tree.js';

export { formatReport, type Problem, type VerifyReport } from './result.js';
export type { KeyOptions } from './attestation.js';

const AUDIT_FILE = 'audit.jsonl';
const ZIP_MAGIC = [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('PK\x05\x06', 'latin1')];

export async function verifyPath(target: string, keys: KeyOptions): Promise<VerifyReport> {
  let isDir: boolean;
  try {
    isDir = (await stat(target)).isDirectory();
  } catch {
    throw new ArgumentError(`${target}: no such file or folder`);
  }
  if (isDir) return verifyFolder(target, keys);
  const name = path.basename(target);
  const head = await readStart(target, 4096);
  if (ZIP_MAGIC.some((m) => head.subarray(0, 4).equals(m))) return withTree(await openZip(target), verifyBundle);
  if (name === MANIFEST_FILE) return withTree(await folderTree(path.dirname(target), path.dirname(target)), verifyBundle);
  if (head.toString('latin1').startsWith(AGE_MAGIC)) {
    if (name.startsWith('attestation')) return verifyAttestationFile(target, keys);
    throw new ArgumentError(`${target} is age-encrypted: decrypt it first (dsr decrypt), then verify the result`);
  }
  const firstLine = head.toString('utf8').split('\n')[0] ?? '';
  if (/^\{"seq":\d+,"prev":"/.test(firstLine)) return verifyAuditFile(target);
  if (isAttestation(target, head)) return verifyAttestationFile(target, keys);
  throw new ArgumentError(`${target} is not a bundle, zip, audit log or attestation`);
}

async function readStart(file: string, n: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function isAttestation(file: string, head: Buffer): boolean {
  return path.basename(file) === ATTESTATION_FILE || head.toString('utf8').includes(`"type": "${ATTESTATION_TYPE}"`);
}

async function openZip(file: string): Promise<FileTree> {
  try {
    return await zipTree(file, path.basename(file));
  } catch (err) {
    // The zip's structure is broken (or names escape it): that is what verify reports.
    return {
      label: path.basename(file),
      files: new Map(),
      problems: [{ file: path.basename(file), message: `is not a readable zip (${(err as Error).message})` }],
      open: async () => {
        throw new Error('unreachable');
      },
      close: async () => {},
    };
  }
}

async function withTree(tree: FileTree, check: (tree: FileTree) => Promise<VerifyReport>): Promise<VerifyReport> {
  try {
    if (tree.files.size === 0 && tree.problems.length > 0) return { ...emptyReport(), problems: tree.problems };
    return await check(tree);
  } finally {
    await tree.close();
  }
}

/** An --out folder is recognised by what a run leaves in it. */
function isOutFolder(dir: string): boolean {
  return ['report.json', `report.json${AGE_SUFFIX}`, '.dsr'].some((f) => existsSync(path.join(dir, f)));
}

async function verifyAuditFile(file: string, anchor?: { head: AuditHead; by: string }): Promise<VerifyReport> {
  const dir = path.dirname(file);
  const label = path.basename(file);
  const audit = await checkAuditLog(file, label, anchor);
  const report = merge(emptyReport(), audit);
  if (isOutFolder(dir)) merge(report, await checkRecordedOutputs(dir, audit, label));
  else report.notes.push(`${label} is not in its --out folder: the files it recorded were not checked`);
  return report;
}

async function verifyAttestationFile(file: string, keys: KeyOptions): Promise<VerifyReport> {
  const { report, attestation } = await verifyAttestation(file, keys);
  const auditFile = path.join(path.dirname(file), AUDIT_FILE);
  if (attestation && existsSync(auditFile)) {
    merge(report, await checkAuditLog(auditFile, AUDIT_FILE, { head: attestation.audit, by: path.basename(file) }));
  }
  return report;
}

async function verifyFolder(dir: string, keys: KeyOptions): Promise<VerifyReport> {
  if (existsSync(path.join(dir, MANIFEST_FILE))) return withTree(await folderTree(dir, dir), verifyBundle);
  const report = emptyReport();
  let found = false;
  let anchor: { head: AuditHead; by: string } | undefined;
  const attestationFile = [ATTESTATION_FILE, ATTESTATION_FILE + AGE_SUFFIX].map((f) => path.join(dir, f)).find((f) => existsSync(f));
  if (attestationFile) {
    found = true;
    if (keys.publicKey) {
      const result = await verifyAttestation(attestationFile, keys);
      merge(report, result.report);
      if (result.attestation) anchor = { head: result.attestation.audit, by: path.basename(attestationFile) };
    } else report.notes.push(`${path.basename(attestationFile)} not checked: pass --public-key PUB.pem`);
  }
  const auditFile = path.join(dir, AUDIT_FILE);
  if (existsSync(auditFile)) {
    found = true;
    merge(report, await verifyAuditFile(auditFile, anchor));
  }
  const exportDir = path.join(dir, 'export');
  if (existsSync(path.join(exportDir, MANIFEST_FILE))) {
    found = true;
    merge(report, await withTree(await folderTree(exportDir, 'export'), verifyBundle));
  }
  const exportZip = path.join(dir, 'export.zip');
  if (existsSync(exportZip)) {
    found = true;
    merge(report, await withTree(await openZip(exportZip), verifyBundle));
  }
  if (!found) throw new ArgumentError(`${dir} holds no ${MANIFEST_FILE}, ${AUDIT_FILE} or ${ATTESTATION_FILE}: nothing to verify`);
  return report;
}
