/**
 * The erase attestation: attestation.json says, per artifact, what was there (SHA-256 of the
 * original), what was written instead (SHA-256 of the redacted copy) and how many occurrences of
 * each identifier kind were removed; attestation.sig is the raw 64-byte Ed25519 signature over
 * the exact bytes of attestation.json, checkable with standard tools:
 *   openssl pkeyutl -verify -pubin -inkey PUB.pem -rawin -in attestation.json -sigfile attestation.sig
 * It also signs the audit log's head at that moment, which anchors the hash chain.
 *
 * Ed25519 signs a whole message (it hashes it twice), so the attestation is built in memory:
 * a few hundred bytes per artifact.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import path from 'node:path';
import type { AtomicWriter, Written } from '../output/atomic.js';
import type { AuditHead, AuditLog } from '../output/audit.js';
import type { Report, Totals } from '../output/report.js';
import type { ArtifactRecord, ArtifactStatus, KindCounts } from '../types.js';

export const ATTESTATION_TYPE = 'dsr-erase-attestation';
export const ATTESTATION_FILE = 'attestation.json';
export const SIGNATURE_FILE = 'attestation.sig';

export interface AttestedArtifact {
  artifact: string;
  status: ArtifactStatus;
  reason?: string;
  /** SHA-256 of the original (files of the store; members are inside their container's). */
  sha256?: string;
  /** The redacted copy: its file under --out, the SHA-256 and size of its content, placeholders written. */
  redacted?: { file: string; sha256: string; bytes: number; spans: number };
  /** Occurrences removed, per identifier kind (overlapping occurrences may share one placeholder). */
  removed: KindCounts;
}

export interface Attestation {
  type: typeof ATTESTATION_TYPE;
  version: 1;
  tool: { name: string; version: string };
  request: { id: string | null };
  time: string;
  /** Every artifact in scope was scanned and its redacted copy verified. */
  complete: boolean;
  /** The redacted copies are age-encrypted (their content digests are listed). */
  encrypted: boolean;
  totals: Totals;
  artifacts: AttestedArtifact[];
  /** The audit log's hash chain as it stood when this was signed. */
  audit: AuditHead;
}

export function buildAttestation(report: Report, audit: AuditHead, suffix: string, time = new Date()): Attestation {
  const records = [...report.engagements.flatMap((e) => e.artifacts), ...report.outsideEngagements];
  return {
    type: ATTESTATION_TYPE,
    version: 1,
    tool: report.tool,
    request: { id: report.request.id },
    time: time.toISOString(),
    complete: report.totals.skipped === 0 && report.totals.failed === 0,
    encrypted: suffix !== '',
    totals: report.totals,
    artifacts: records.map((r) => attested(r, suffix)),
    audit,
  };
}

function attested(r: ArtifactRecord, suffix: string): AttestedArtifact {
  return {
    artifact: r.artifact,
    status: r.status,
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.sha256 ? { sha256: r.sha256 } : {}),
    ...(r.redacted
      ? { redacted: { file: `redacted/${r.redacted.path}${suffix}`, sha256: r.redacted.sha256, bytes: r.redacted.bytes, spans: r.redacted.spans } }
      : {}),
    removed: { ...r.matches },
  };
}

export function signBytes(data: Buffer, key: KeyObject): Buffer {
  return sign(null, data, key);
}

export function signatureMatches(data: Buffer, signature: Buffer, key: KeyObject): boolean {
  try {
    return signature.length === 64 && verify(null, data, key, signature);
  } catch {
    return false;
  }
}

/** Write attestation.json and attestation.sig through the output layer (encrypted when it is). */
export async function writeAttestation(options: { out: string; report: Report; audit: AuditLog; atomic: AtomicWriter; key: KeyObject }): Promise<Written[]> {
  const { out, report, audit, atomic, key } = options;
  const attestation = buildAttestation(report, await audit.current(), atomic.suffix);
  const bytes = Buffer.from(JSON.stringify(attestation, null, 2) + '\n', 'utf8');
  return [
    await atomic.writeFile(path.join(out, ATTESTATION_FILE), bytes),
    await atomic.writeFile(path.join(out, SIGNATURE_FILE), signBytes(bytes, key)),
  ];
}
