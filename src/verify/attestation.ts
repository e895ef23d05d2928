/**
 * Checking an erase attestation: the Ed25519 signature over the exact bytes of attestation.json,
 * then, when the redacted copies sit beside it (an OUT folder), that each still has the content
 * digest it attests. Encrypted attestations and copies (`.age`) need the operator's identity.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import path from 'node:path';
import { AGE_SUFFIX, DecryptError, decryptFile } from '../crypto/age.js';
import { ATTESTATION_TYPE, SIGNATURE_FILE, signatureMatches, type Attestation } from '../crypto/attestation.js';
import { insideFolder } from './audit-chain.js';
import { digestOf, sha256File } from '../output/hash.js';
import { ArgumentError } from '../errors.js';
import { emptyReport, type VerifyReport } from './result.js';

export interface KeyOptions {
  publicKey?: KeyObject;
  /** age identities, for encrypted files. */
  identities: string[];
}

/** A whole (small) output file, decrypted when it is an age file. */
async function readOutput(file: string, identities: readonly string[]): Promise<Buffer> {
  if (!file.endsWith(AGE_SUFFIX)) return readFile(file);
  if (identities.length === 0) throw new ArgumentError(`${path.basename(file)} is encrypted: pass --identity KEY.txt`);
  const chunks: Buffer[] = [];
  for await (const chunk of decryptFile(identities, file)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function verifyAttestation(file: string, keys: KeyOptions): Promise<{ report: VerifyReport; attestation?: Attestation }> {
  const report = emptyReport();
  const label = path.basename(file);
  if (!keys.publicKey) throw new ArgumentError('an attestation is checked against the signer\'s public key: pass --public-key PUB.pem');
  const dir = path.dirname(file);
  const encrypted = file.endsWith(AGE_SUFFIX);
  const sigFile = path.join(dir, SIGNATURE_FILE + (encrypted ? AGE_SUFFIX : ''));
  const sigLabel = path.basename(sigFile);
  if (!existsSync(sigFile)) {
    report.problems.push({ file: sigLabel, message: `missing: the signature of ${label} is expected beside it` });
    return { report };
  }
  let data: Buffer;
  let signature: Buffer;
  try {
    data = await readOutput(file, keys.identities);
    signature = await readOutput(sigFile, keys.identities);
  } catch (err) {
    if (err instanceof DecryptError) {
      report.problems.push({ file: label, message: `cannot be decrypted: ${err.message}` });
      return { report };
    }
    throw err;
  }
  if (signature.length !== 64) {
    report.problems.push({ file: sigLabel, message: `is ${signature.length} bytes; a raw Ed25519 signature is 64` });
    return { report };
  }
  if (!signatureMatches(data, signature, keys.publicKey)) {
    report.problems.push({ file: label, message: `${sigLabel} is not a valid signature of it with this public key: it was changed, or signed with another key` });
    return { report };
  }
  let attestation: Attestation;
  try {
    attestation = JSON.parse(data.toString('utf8')) as Attestation;
    if (attestation.type !== ATTESTATION_TYPE || !Array.isArray(attestation.artifacts)) throw new Error();
  } catch {
    report.problems.push({ file: label, message: `is validly signed but is not a dsr erase attestation (type ${ATTESTATION_TYPE})` });
    return { report };
  }
  report.ok.push(`${label}: Ed25519 signature valid; request ${attestation.request.id ?? '(no id)'}, ${attestation.artifacts.length} artifacts, signed ${attestation.time}`);
  const notErased = attestation.artifacts.filter((a) => a.status !== 'scanned');
  if (notErased.length > 0) {
    const list = notErased.slice(0, 5).map((a) => `${a.artifact} (${a.status}: ${a.reason ?? 'no reason'})`).join('; ');
    report.notes.push(`${label} records ${notErased.length} artifact(s) that were not erased: ${list}${notErased.length > 5 ? '; …' : ''}`);
  }
  await checkCopies(dir, attestation, label, keys.identities, report);
  return { report, attestation };
}

/** Each redacted copy the attestation lists still has the content digest it attests. */
async function checkCopies(dir: string, attestation: Attestation, label: string, identities: string[], report: VerifyReport): Promise<void> {
  const copies = attestation.artifacts.filter((a) => a.redacted);
  if (!existsSync(path.join(dir, 'redacted'))) {
    if (copies.length > 0) report.notes.push(`${label}: no redacted/ folder beside it, so the ${copies.length} redacted copies were not checked`);
    return;
  }
  let matched = 0;
  for (const a of copies) {
    const copy = a.redacted!;
    const full = insideFolder(dir, copy.file);
    if (!full) {
      report.problems.push({ file: label, message: `names ${JSON.stringify(copy.file)}, which is outside its folder` });
      continue;
    }
    if (!existsSync(full)) {
      report.problems.push({ file: copy.file, message: `missing (the redacted copy of ${a.artifact} in ${label})` });
      continue;
    }
    const encrypted = full.endsWith(AGE_SUFFIX);
    if (encrypted && identities.length === 0) {
      report.notes.push(`${copy.file} and the other encrypted copies were not checked: pass --identity KEY.txt`);
      return;
    }
    try {
      const actual = await (encrypted ? digestOf(decryptFile(identities, full)) : sha256File(full));
      if (actual.sha256 !== copy.sha256) report.problems.push({ file: copy.file, message: `content SHA-256 is ${actual.sha256}, ${label} says ${copy.sha256}` });
      else matched++;
    } catch (err) {
      if (!(err instanceof DecryptError)) throw err;
      report.problems.push({ file: copy.file, message: `cannot be decrypted: ${err.message}` });
    }
  }
  if (matched === copies.length) report.ok.push(`${label}: all ${matched} redacted copies have the content SHA-256 it attests`);
}
