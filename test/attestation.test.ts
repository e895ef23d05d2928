/**
 * The signed erase attestation on the example store: what it says, that standard tools accept
 * its signature, and that a wrong key, an edited attestation or a changed redacted copy fail.
 */
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadPublicKey, loadSigningKey } from '../src/crypto/keys.js';
import type { Report } from '../src/output/report.js';
import { verifyPath } from '../src/verify/index.js';
import { dsr, STORE, tempDir, ZOE_REQUEST } from './helpers.js';
import { flipByte, installed, runOnStore, signingKey } from './verify-helpers.js';

const HAS_OPENSSL = installed('openssl', 'version');
if (!HAS_OPENSSL) console.warn('openssl is not installed: the test that checks attestation.sig with `openssl pkeyutl` is skipped');

let out: string;
let keys: { privatePem: string; publicPem: string };
let other: { privatePem: string; publicPem: string };

beforeAll(async () => {
  const dir = await tempDir();
  keys = await signingKey(dir);
  other = await signingKey(dir, 'other');
  ({ out } = await runOnStore('erase', { signKey: await loadSigningKey(keys.privatePem) }));
});

async function copyOfOut(): Promise<string> {
  const copy = path.join(await tempDir(), 'out');
  await cp(out, copy, { recursive: true });
  return copy;
}

describe('attestation.json', () => {
  test('says what was erased: request, tool, and per artifact both digests and the removed occurrences per kind', async () => {
    const attestation = JSON.parse(await readFile(path.join(out, 'attestation.json'), 'utf8'));
    const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as Report;
    expect(attestation).toMatchObject({ type: 'dsr-erase-attestation', version: 1, tool: { name: 'dsr' }, request: { id: 'DSR-2026-0042' }, complete: true, encrypted: false });
    expect(Date.parse(attestation.time)).not.toBeNaN();
    const records = report.engagements.flatMap((e) => e.artifacts);
    expect(attestation.artifacts).toHaveLength(records.length);
    for (const r of records) {
      const a = attestation.artifacts.find((x: { artifact: string }) => x.artifact === r.artifact);
      expect(a).toEqual({
        artifact: r.artifact,
        status: 'scanned',
        sha256: r.sha256,
        redacted: { file: `redacted/${r.redacted!.path}`, sha256: r.redacted!.sha256, bytes: r.redacted!.bytes, spans: r.redacted!.spans },
        removed: r.matches,
      });
    }
  });

  test('signs the audit log head as it stood: line N of audit.jsonl hashes to it', async () => {
    const attestation = JSON.parse(await readFile(path.join(out, 'attestation.json'), 'utf8'));
    const lines = (await readFile(path.join(out, 'audit.jsonl'), 'utf8')).split('\n');
    expect(createHash('sha256').update(Buffer.from(lines[attestation.audit.lines - 1]!, 'utf8')).digest('hex')).toBe(attestation.audit.sha256);
    expect(JSON.parse(lines[attestation.audit.lines - 1]!)).toMatchObject({ event: 'write', path: 'report.json' });
  });

  test('attestation.sig is the raw 64-byte Ed25519 signature', async () => {
    expect((await readFile(path.join(out, 'attestation.sig'))).length).toBe(64);
  });

  test.skipIf(!HAS_OPENSSL)('openssl pkeyutl accepts it with the right public key and refuses it with another', () => {
    const check = (pub: string) =>
      execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-in', path.join(out, 'attestation.json'), '-sigfile', path.join(out, 'attestation.sig')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    expect(check(keys.publicPem)).toContain('Signature Verified Successfully');
    let failure: { status?: number; stdout?: string } = {};
    try {
      check(other.publicPem);
    } catch (err) {
      failure = err as typeof failure;
    }
    expect(failure.status).toBe(1);
    expect(failure.stdout).toContain('Signature Verification Failure');
  });
});

describe('verifying an attestation', () => {
  test('intact with the right public key: signature, every redacted copy, and the audit head', async () => {
    const report = await verifyPath(path.join(out, 'attestation.json'), { publicKey: await loadPublicKey(keys.publicPem), identities: [] });
    expect(report.problems).toEqual([]);
    expect(report.ok).toEqual([
      expect.stringMatching(/^attestation\.json: Ed25519 signature valid; request DSR-2026-0042, 19 artifacts, signed /),
      'attestation.json: all 19 redacted copies have the content SHA-256 it attests',
      expect.stringMatching(/^audit\.jsonl: \d+ lines, hash chain intact/),
      expect.stringMatching(/^audit\.jsonl: line \d+ is the head attestation\.json signed$/),
    ]);
  });

  test('a wrong public key fails', async () => {
    const report = await verifyPath(path.join(out, 'attestation.json'), { publicKey: await loadPublicKey(other.publicPem), identities: [] });
    expect(report.problems).toEqual([
      { file: 'attestation.json', message: 'attestation.sig is not a valid signature of it with this public key: it was changed, or signed with another key' },
    ]);
  });

  test('an edited attestation fails, and so does a missing signature', async () => {
    const copy = await copyOfOut();
    const file = path.join(copy, 'attestation.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"complete": true', '"complete": false'));
    const publicKey = await loadPublicKey(keys.publicPem);
    expect((await verifyPath(file, { publicKey, identities: [] })).problems[0]!.message).toMatch(/is not a valid signature of it/);
    await rm(path.join(copy, 'attestation.sig'));
    expect((await verifyPath(file, { publicKey, identities: [] })).problems).toEqual([
      { file: 'attestation.sig', message: 'missing: the signature of attestation.json is expected beside it' },
    ]);
  });

  test('a redacted copy changed after signing is named with both digests', async () => {
    const copy = await copyOfOut();
    const attestation = JSON.parse(await readFile(path.join(copy, 'attestation.json'), 'utf8'));
    const entry = attestation.artifacts.find((a: { artifact: string }) => a.artifact === 'ENG-1002/db/billing.sql');
    await flipByte(path.join(copy, entry.redacted.file), 10);
    const report = await verifyPath(path.join(copy, 'attestation.json'), { publicKey: await loadPublicKey(keys.publicPem), identities: [] });
    expect(report.problems).toEqual([{ file: entry.redacted.file, message: expect.stringMatching(new RegExp(`^content SHA-256 is [0-9a-f]{64}, attestation.json says ${entry.redacted.sha256}$`)) }]);
  });

  test('no public key is a usage error; the --out folder without one checks the rest and says so', async () => {
    await expect(verifyPath(path.join(out, 'attestation.json'), { identities: [] })).rejects.toThrow("pass --public-key PUB.pem");
    const report = await verifyPath(out, { identities: [] });
    expect(report.problems).toEqual([]);
    expect(report.notes).toEqual(['attestation.json not checked: pass --public-key PUB.pem']);
  });
});

describe('--sign-key on the command line', () => {
  test('erase --sign-key writes a signature `dsr verify --public-key` accepts (exit 0) and a wrong key refuses (exit 1)', async () => {
    const cliOut = path.join(await tempDir(), 'out');
    const run = await dsr(['erase', '--store', STORE, '--request', ZOE_REQUEST, '--out', cliOut, '--sign-key', keys.privatePem]);
    expect(run.code).toBe(0);
    expect((await dsr(['verify', cliOut, '--public-key', keys.publicPem])).code).toBe(0);
    const wrong = await dsr(['verify', path.join(cliOut, 'attestation.json'), '--public-key', other.publicPem]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('FAIL  attestation.json: attestation.sig is not a valid signature');
  });

  test('a key that is not Ed25519, or not a key, is a usage error (exit 2) before anything is written', async () => {
    const dir = await tempDir();
    const rsa = path.join(dir, 'rsa.pem');
    await writeFile(rsa, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const notKey = path.join(dir, 'note.txt');
    await writeFile(notKey, 'hello');
    const a = await dsr(['erase', '--store', STORE, '--request', ZOE_REQUEST, '--out', path.join(dir, 'o1'), '--sign-key', rsa]);
    expect([a.code, a.stderr]).toEqual([2, `dsr: --sign-key ${rsa} is a rsa key; an Ed25519 key is needed\n`]);
    const b = await dsr(['erase', '--store', STORE, '--request', ZOE_REQUEST, '--out', path.join(dir, 'o2'), '--sign-key', notKey]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/is not an unencrypted private key in PEM/);
    await expect(readFile(path.join(dir, 'o1', 'audit.jsonl'))).rejects.toThrow();
  });
});
