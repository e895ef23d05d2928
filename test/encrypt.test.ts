/**
 * Encryption at rest: with --encrypt-to every file written under --out is an age file (except
 * audit.jsonl and the run guard, which hold no content), nothing is ever written in clear, the
 * content is exactly that of a clear run, and the files interoperate with the standard age tool.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Decrypter, generateHybridIdentity, identityToRecipient } from 'age-encryption';
import { beforeAll, describe, expect, test } from 'vitest';
import { AGE_MAGIC, encryptionFor } from '../src/crypto/age.js';
import { AtomicWriter } from '../src/output/atomic.js';
import { FindingsFile, QUEUED_MAX } from '../src/output/findings-file.js';
import { verifyPath } from '../src/verify/index.js';
import { dsr, STORE, tempDir, ZOE_REQUEST } from './helpers.js';
import { ageKey, flipByte, installed, listFiles, runOnStore, zoeValues } from './verify-helpers.js';

const HAS_AGE = installed('age');
if (!HAS_AGE) console.warn('the age tool is not installed (apt-get install age): the interoperability tests with it are skipped');

/** Files that hold no content and stay in clear (see docs/readme-integrity.md). */
const CLEAR = ['.dsr/run.json', 'audit.jsonl'];

async function decrypt(identity: string, file: string): Promise<Buffer> {
  const d = new Decrypter();
  d.addIdentity(identity);
  return Buffer.from(await d.decrypt(await readFile(file)));
}

let key: Awaited<ReturnType<typeof ageKey>>;
let second: Awaited<ReturnType<typeof ageKey>>;
let clearOut: string;
let encOut: string;

beforeAll(async () => {
  const dir = await tempDir();
  key = await ageKey(dir);
  second = await ageKey(dir, 'second.txt');
  ({ out: clearOut } = await runOnStore('erase'));
  ({ out: encOut } = await runOnStore('erase', { encryptTo: [key.recipient, second.recipient] }));
});

describe('erase --encrypt-to on the example store', () => {
  test('every file under --out is an age file named .age, except the two that hold no content', async () => {
    const files = await listFiles(encOut);
    expect(files.filter((f) => !f.startsWith('.dsr/findings/'))).toEqual([
      '.dsr/run.json',
      'audit.jsonl',
      'findings.jsonl.age',
      ...(await listFiles(path.join(clearOut, 'redacted'))).map((f) => `redacted/${f}.age`),
      'report.json.age',
    ]);
    for (const f of files.filter((f) => !CLEAR.includes(f))) {
      expect((await readFile(path.join(encOut, f))).subarray(0, AGE_MAGIC.length).toString('latin1'), f).toBe(AGE_MAGIC);
    }
  });

  test('no file under --out holds an identifier value in clear, temp and state files included', async () => {
    const values = (await zoeValues()).map((v) => v.toLowerCase());
    for (const f of await listFiles(encOut)) {
      const text = (await readFile(path.join(encOut, f))).toString('latin1').toLowerCase();
      for (const v of values) expect(text.includes(v), `${f} holds an identifier`).toBe(false);
    }
  });

  test('decrypted, the outputs are byte for byte those of a clear run', async () => {
    for (const f of await listFiles(path.join(clearOut, 'redacted'))) {
      expect((await decrypt(key.identity, path.join(encOut, 'redacted', `${f}.age`))).equals(await readFile(path.join(clearOut, 'redacted', f))), f).toBe(true);
    }
    expect((await decrypt(second.identity, path.join(encOut, 'findings.jsonl.age'))).toString()).toBe(await readFile(path.join(clearOut, 'findings.jsonl'), 'utf8'));
    expect((await decrypt(key.identity, path.join(encOut, 'report.json.age'))).toString()).toBe(await readFile(path.join(clearOut, 'report.json'), 'utf8'));
  });

  test('the audit log records each .age file with the digest of its stored bytes, and verifies without a key', async () => {
    const audit = (await readFile(path.join(encOut, 'audit.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const writes = audit.filter((e) => e.event === 'write').map((e) => e.path);
    expect(writes.length).toBeGreaterThan(2);
    expect(writes.every((p: string) => p.endsWith('.age'))).toBe(true);
    expect((await verifyPath(encOut, { identities: [] })).problems).toEqual([]);
  });

  test('a second run into the same --out with the same recipients ends with the same content; other recipients are refused', async () => {
    const out = (await runOnStore('discover', { encryptTo: [key.recipient] })).out;
    const first = await decrypt(key.identity, path.join(out, 'findings.jsonl.age'));
    await runOnStore('discover', { encryptTo: [key.recipient] }, out);
    expect((await decrypt(key.identity, path.join(out, 'findings.jsonl.age'))).equals(first)).toBe(true);
    await expect(runOnStore('discover', { encryptTo: [second.recipient] }, out)).rejects.toThrow('--out holds a run with other --encrypt-to recipients');
    await expect(runOnStore('discover', {}, out)).rejects.toThrow('--out holds a run with other --encrypt-to recipients');
  });

  test('a recipient that is not one stops the run before anything is written', async () => {
    const out = path.join(await tempDir(), 'out');
    await expect(runOnStore('discover', { encryptTo: ['age1notarecipient'] }, out)).rejects.toThrow('--encrypt-to #1 is not an age X25519 recipient');
    // A post-quantum recipient is valid age, but the age tool most systems ship cannot decrypt for it.
    const pq = await identityToRecipient(await generateHybridIdentity());
    await expect(runOnStore('discover', { encryptTo: [key.recipient, pq] }, out)).rejects.toThrow('--encrypt-to #2 is not an age X25519 recipient');
    await expect(listFiles(out)).rejects.toThrow();
  });
});

describe('the output layer', () => {
  test('a temp file is encrypted from its first byte, and this run (only) reads it back', async () => {
    const dir = await tempDir();
    const encryption = (await encryptionFor([key.recipient]))!;
    const atomic = new AtomicWriter(path.join(dir, 'tmp'), encryption);
    const secret = 'zoe.muller@contoso.com '.repeat(5000); // > 64 KiB: several STREAM chunks
    const pending = await atomic.create({ reread: true });
    pending.stream.write(secret.slice(0, 70_000));
    await new Promise((r) => setTimeout(r, 20));
    const partial = await readFile(pending.path);
    expect(partial.subarray(0, AGE_MAGIC.length).toString()).toBe(AGE_MAGIC);
    expect(partial.toString('latin1')).not.toContain('zoe.muller');
    pending.stream.end(secret.slice(70_000));
    await pending.close();
    const back: Buffer[] = [];
    for await (const c of pending.open()) back.push(c as Buffer);
    expect(Buffer.concat(back).toString()).toBe(secret);
    // The recipient can read it too; the run key is an extra recipient that dies with the process.
    expect((await decrypt(key.identity, pending.path)).toString()).toBe(secret);
    const written = await atomic.commit(pending, path.join(dir, 'out', 'copy.txt'));
    expect(written).toMatchObject({ path: path.join(dir, 'out', 'copy.txt.age'), bytes: secret.length });
    // Outputs that are not read back are encrypted to the recipients only.
    const plain = await atomic.create();
    expect(() => plain.open()).toThrow('encrypted to the recipients only');
    await atomic.discard(plain);
  });

  test('findings parts are encrypted to the run key and read back whole', async () => {
    const dir = await tempDir();
    const atomic = new AtomicWriter(path.join(dir, 'tmp'), (await encryptionFor([key.recipient]))!);
    const file = path.join(dir, 'part.jsonl');
    const findings = await FindingsFile.open(file, atomic);
    const finding = { engagement: 'ENG-1', artifact: 'ENG-1/a.log', identifier: { kind: 'email' as const, index: 0 }, locator: { line: 1 }, variant: 'exact' };
    for (let i = 0; i < 2000; i++) findings.add({ ...finding, locator: { line: i } });
    await findings.close();
    expect((await readFile(file)).subarray(0, AGE_MAGIC.length).toString()).toBe(AGE_MAGIC);
    await expect(decrypt(key.identity, file)).rejects.toThrow(/no identity matched/);
    const text: Buffer[] = [];
    for await (const c of atomic.readState(file)) text.push(c as Buffer);
    expect(Buffer.concat(text).toString().split('\n').filter(Boolean)).toHaveLength(2000);
  });
});

describe('findings of an artifact dense with matches', () => {
  /** Queue ~3x QUEUED_MAX of findings at once, as a scan of such an artifact does, then read a file: is it held back? */
  async function firstReadSees(paced: boolean): Promise<{ before: number; atFirstRead: number }> {
    const dir = await tempDir();
    const atomic = new AtomicWriter(path.join(dir, 'tmp'), (await encryptionFor([key.recipient]))!);
    const findings = await FindingsFile.open(path.join(dir, 'part.jsonl'), atomic);
    const finding = { engagement: 'ENG-1', artifact: 'ENG-1/hot.log', identifier: { kind: 'email' as const, index: 0 }, locator: { line: 1, offset: 5, length: 22 }, variant: 'exact' };
    while (findings.queued < 3 * QUEUED_MAX) findings.add(finding);
    const before = findings.queued;
    const input = path.join(dir, 'artifact.log');
    await writeFile(input, 'x'.repeat(1000));
    const stream = createReadStream(input, paced ? { fs: findings.readPacing() } : {});
    const atFirstRead = await new Promise<number>((resolve) => stream.once('data', () => resolve(findings.queued)));
    stream.destroy();
    await findings.close();
    return { before, atFirstRead };
  }

  test('the artifact is read no faster than its findings are stored (bounded memory when encrypting)', async () => {
    const unpaced = await firstReadSees(false);
    expect(unpaced.atFirstRead).toBeGreaterThan(QUEUED_MAX);
    const paced = await firstReadSees(true);
    expect(paced.before).toBeGreaterThan(QUEUED_MAX);
    expect(paced.atFirstRead).toBeLessThanOrEqual(QUEUED_MAX);
  });
});

describe('dsr decrypt', () => {
  test('decrypts one file to --out, and a whole --out folder to another folder', async () => {
    const dir = await tempDir();
    const one = path.join(dir, 'report.json');
    const run = await dsr(['decrypt', '--identity', key.file, path.join(encOut, 'report.json.age'), '--out', one]);
    expect(run.code).toBe(0);
    expect(await readFile(one, 'utf8')).toBe(await readFile(path.join(clearOut, 'report.json'), 'utf8'));
    const all = await dsr(['decrypt', '--identity', second.file, encOut, '--out', path.join(dir, 'all')]);
    expect(all.code).toBe(0);
    expect(all.stderr).toBe('decrypt: 21 file(s) decrypted\n');
    expect(await listFiles(path.join(dir, 'all'))).toEqual((await listFiles(clearOut)).filter((f) => !f.startsWith('.dsr/') && f !== 'audit.jsonl'));
  });

  test('a wrong identity: clear error, exit 1, no output file', async () => {
    const dir = await tempDir();
    const stranger = await ageKey(dir, 'stranger.txt');
    const target = path.join(dir, 'report.json');
    const run = await dsr(['decrypt', '--identity', stranger.file, path.join(encOut, 'report.json.age'), '--out', target]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not encrypted to this identity (no identity given matches any of its recipients)');
    await expect(readFile(target)).rejects.toThrow();
  });

  test('a damaged file: authentication fails, exit 1, no partial plaintext left', async () => {
    const dir = await tempDir();
    const damaged = path.join(dir, 'app.log.age');
    await writeFile(damaged, await readFile(path.join(encOut, 'redacted/ENG-1001/logs/app.log.age')));
    await flipByte(damaged, (await readFile(damaged)).length - 5);
    const target = path.join(dir, 'app.log');
    const run = await dsr(['decrypt', '--identity', key.file, damaged, '--out', target]);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe(`dsr: ${damaged}: damaged or changed after encryption: authentication failed`);
    await expect(readFile(target)).rejects.toThrow();
  });

  test('a file that is not age, and no identity', async () => {
    const dir = await tempDir();
    const notAge = path.join(dir, 'x.age');
    await writeFile(notAge, 'zoe.muller@contoso.com\n');
    const run = await dsr(['decrypt', '--identity', key.file, notAge]);
    expect([run.code, run.stderr]).toEqual([1, `dsr: ${notAge}: not a valid age file (its header cannot be read)\n`]);
    const none = await dsr(['decrypt', notAge]);
    expect(none.code).toBe(2);
  });
});

describe.skipIf(!HAS_AGE)('interoperability with the age tool', () => {
  test('age -d decrypts what dsr wrote, byte for byte', () => {
    const plain = execFileSync('age', ['-d', '-i', key.file, path.join(encOut, 'redacted/ENG-1001/logs/long-line.log.age')]);
    return readFile(path.join(clearOut, 'redacted/ENG-1001/logs/long-line.log')).then((clear) => expect(plain.equals(clear)).toBe(true));
  });

  test('dsr decrypt reads what age -r wrote, and a temp file carrying the run key decrypts with age', async () => {
    const dir = await tempDir();
    const big = Buffer.alloc(200_000, 'a'); // several 64 KiB chunks
    const encrypted = path.join(dir, 'big.age');
    execFileSync('age', ['-r', key.recipient, '-o', encrypted], { input: big });
    const run = await dsr(['decrypt', '--identity', key.file, encrypted, '--out', path.join(dir, 'big')]);
    expect(run.code).toBe(0);
    expect((await readFile(path.join(dir, 'big'))).equals(big)).toBe(true);
    const atomic = new AtomicWriter(path.join(dir, 'tmp'), (await encryptionFor([key.recipient]))!);
    const pending = await atomic.create({ reread: true });
    await new Promise<void>((resolve, reject) => Readable.from([big]).pipe(pending.stream).on('finish', resolve).on('error', reject));
    await pending.close();
    expect(execFileSync('age', ['-d', '-i', key.file, pending.path]).equals(big)).toBe(true);
  });
});
