/**
 * Loading the keys the operator hands in: an Ed25519 signing key and its public key (PEM, as
 * made by `openssl genpkey -algorithm ed25519` / `openssl pkey -pubout`), and age identities
 * (`age-keygen` output). Error messages name the file, never quote its content.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ArgumentError } from '../errors.js';
import { ageLibrary } from './age.js';


async function readKeyFile(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new ArgumentError(`${what} ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** An Ed25519 key from a PEM file, parsed by `parse`; `hint` says how to make the right one. */
async function loadEd25519(file: string, option: string, parse: (pem: Buffer) => KeyObject, hint: string): Promise<KeyObject> {
  const pem = await readKeyFile(file, option);
  let key: KeyObject;
  try {
    key = parse(pem);
  } catch {
    throw new ArgumentError(`${option} ${file} is not ${hint}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new ArgumentError(`${option} ${file} is a ${key.asymmetricKeyType} key; an Ed25519 key is needed`);
  return key;
}

export function loadSigningKey(file: string): Promise<KeyObject> {
  return loadEd25519(file, '--sign-key', createPrivateKey, 'an unencrypted private key in PEM (make one with: openssl genpkey -algorithm ed25519 -out KEY.pem)');
}

/** A public key in PEM (SPKI); a private key file is accepted too and its public half used. */
export function loadPublicKey(file: string): Promise<KeyObject> {
  return loadEd25519(file, '--public-key', createPublicKey, 'a public key in PEM (make it with: openssl pkey -in KEY.pem -pubout -out PUB.pem)');
}

/** The identities of an age identity file: one `AGE-SECRET-KEY-1…` per line, `#` comments. */
export async function loadIdentities(files: readonly string[]): Promise<string[]> {
  const identities: string[] = [];
  for (const file of files) {
    const lines = (await readKeyFile(file, '--identity')).toString('utf8').split(/\r?\n/);
    const found = lines.map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    if (found.length === 0) throw new ArgumentError(`--identity ${file} holds no age identity (AGE-SECRET-KEY-1…, as written by age-keygen)`);
    const { Decrypter } = await ageLibrary();
    for (const [i, line] of found.entries()) {
      try {
        if (!line.startsWith('AGE-SECRET-KEY-')) throw new Error();
        new Decrypter().addIdentity(line);
      } catch {
        throw new ArgumentError(`--identity ${file}: key line ${i + 1} is not an age identity (AGE-SECRET-KEY-1…)`);
      }
      identities.push(line);
    }
  }
  return identities;
}
