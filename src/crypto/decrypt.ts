/**
 * `dsr decrypt`: the same as `age -d -i KEY.txt`, for one file or a whole --out folder. A file is
 * written to a temp name and renamed only once decryption has authenticated it to the end, so
 * a damaged or truncated input leaves no partial plaintext behind (on stdout it cannot be
 * taken back: as with age, check the exit status).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { AGE_SUFFIX, DecryptError, decryptFile } from './age.js';
import { ArgumentError } from '../errors.js';
import { loadIdentities } from './keys.js';

export interface DecryptOutcome {
  decrypted: string[];
  failed: { file: string; message: string }[];
}

export async function decryptPath(input: string, identities: string[], out: string | undefined, stdout: Writable): Promise<DecryptOutcome> {
  let isDir: boolean;
  try {
    isDir = (await stat(input)).isDirectory();
  } catch {
    throw new ArgumentError(`${input}: no such file or folder`);
  }
  const outcome: DecryptOutcome = { decrypted: [], failed: [] };
  const attempt = async (file: string, write: () => Promise<void>): Promise<void> => {
    try {
      await write();
      outcome.decrypted.push(file);
    } catch (err) {
      if (!(err instanceof DecryptError)) throw err;
      outcome.failed.push({ file, message: err.message });
    }
  };
  if (!isDir) {
    await attempt(input, () => (out ? decryptToFile(identities, input, out) : pipeline(decryptFile(identities, input), stdout, { end: false })));
    return outcome;
  }
  if (!out) throw new ArgumentError('decrypting a folder needs --out FOLDER for the decrypted files');
  if (path.resolve(out) === path.resolve(input)) throw new ArgumentError('--out must be another folder than the one decrypted');
  for (const rel of await ageFiles(input)) {
    await attempt(path.join(input, rel), () => decryptToFile(identities, path.join(input, rel), path.join(out, rel.slice(0, -AGE_SUFFIX.length))));
  }
  return outcome;
}

async function decryptToFile(identities: string[], input: string, output: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(output)), { recursive: true });
  const tmp = `${output}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await pipeline(decryptFile(identities, input), createWriteStream(tmp, { mode: 0o600 }));
    await rename(tmp, output);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** `.age` files below a folder, relative, sorted; the run's own state folder is left out. */
async function ageFiles(dir: string, rel = ''): Promise<string[]> {
  const found: string[] = [];
  const entries = (await readdir(path.join(dir, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const child = rel ? path.join(rel, e.name) : e.name;
    if (e.isDirectory() && e.name !== '.dsr') found.push(...(await ageFiles(dir, child)));
    else if (e.isFile() && e.name.endsWith(AGE_SUFFIX)) found.push(child);
  }
  return found;
}

/** `dsr decrypt` as a command: exit status 0 when every file decrypted, 1 otherwise. */
export async function decryptCommand(input: string, flags: { identity: string[]; out?: string }, stdout: Writable, stderr: Writable): Promise<0 | 1> {
  if (flags.identity.length === 0) throw new ArgumentError('--identity KEY.txt is required (an age identity file, as written by age-keygen)');
  const outcome = await decryptPath(input, await loadIdentities(flags.identity), flags.out, stdout);
  for (const f of outcome.failed) stderr.write(`dsr: ${f.file}: ${f.message}\n`);
  if (flags.out) stderr.write(`decrypt: ${outcome.decrypted.length} file(s) decrypted${outcome.failed.length ? `, ${outcome.failed.length} failed` : ''}\n`);
  return outcome.failed.length === 0 ? 0 : 1;
}
