/**
 * Encryption at rest in the age format (age-encryption.org/v1), through the age-encryption
 * package: X25519 recipients (`age1…`) and identities (`AGE-SECRET-KEY-1…`). The package streams
 * in age's own 64 KiB STREAM chunks, so memory stays bounded whatever the file size.
 *
 * Decryption authenticates chunk by chunk and the end of the file last: a consumer sees the
 * plaintext of a damaged file up to the damage before the stream fails. Callers that keep what
 * they decrypt (`decryptFile`) write to a temp file and keep it only when the stream ends cleanly.
 */
import { createReadStream } from 'node:fs';
import { PassThrough, Readable, type Writable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ArgumentError } from '../errors.js';

type AgeLibrary = typeof import('age-encryption');
let library: Promise<AgeLibrary> | undefined;

/**
 * The age-encryption package, loaded on first use: with the curve and post-quantum libraries it
 * brings it takes tens of milliseconds to load, which a run that neither encrypts nor decrypts
 * does not need to spend.
 */
export function ageLibrary(): Promise<AgeLibrary> {
  return (library ??= import('age-encryption'));
}

/** The first line of every age file. */
export const AGE_MAGIC = 'age-encryption.org/v1\n';
export const AGE_SUFFIX = '.age';

/** A file that cannot be decrypted: not age, not for these identities, or damaged. */
export class DecryptError extends Error {}

/** Checks recipients up front so that a typo stops the run before it writes anything. */
export async function checkRecipients(recipients: readonly string[]): Promise<string[]> {
  const { Encrypter } = await ageLibrary();
  return recipients.map((r, i) => {
    const value = r.trim();
    try {
      // X25519 only: post-quantum (age1pq1…) and tag recipients are not readable by the age tool most systems ship.
      if (!value.startsWith('age1') || /^age1(pq|tag)/.test(value)) throw new Error();
      new Encrypter().addRecipient(value);
    } catch {
      throw new ArgumentError(`--encrypt-to #${i + 1} is not an age X25519 recipient (age1…, as printed by age-keygen)`);
    }
    return value;
  });
}

/**
 * Encrypt what is written into the returned stream; the ciphertext comes out of `ciphertext`.
 * Destroying `plaintext` with an error fails `ciphertext` with it.
 */
export async function encryptStream(recipients: readonly string[]): Promise<{ plaintext: Writable; ciphertext: Readable }> {
  const { Encrypter } = await ageLibrary();
  const encrypter = new Encrypter();
  for (const r of recipients) encrypter.addRecipient(r);
  const plaintext = new PassThrough();
  const web = await encrypter.encrypt(Readable.toWeb(plaintext) as unknown as ReadableStream<Uint8Array>);
  return { plaintext, ciphertext: Readable.fromWeb(web as unknown as WebReadableStream<Uint8Array>) };
}

/**
 * The plaintext of an age stream. Errors (wrong identity, not age, damaged) surface as a
 * DecryptError on the returned stream, so it can be returned synchronously.
 */
export function decryptStream(identities: readonly string[], ciphertext: Readable): Readable {
  const out = new PassThrough();
  // A consumer that stops early (a head read) releases the file too.
  out.on('close', () => ciphertext.destroy());
  // Wrapped now, not once the library has loaded, so that an error of the file (ENOENT) already
  // has a listener when it comes.
  const input = Readable.toWeb(ciphertext) as unknown as ReadableStream<Uint8Array>;
  ageLibrary()
    .then(({ Decrypter }) => {
      const decrypter = new Decrypter();
      for (const i of identities) decrypter.addIdentity(i);
      return decrypter.decrypt(input);
    })
    .then((web) => {
      const plain = Readable.fromWeb(web as unknown as WebReadableStream<Uint8Array>);
      if (out.destroyed) return void plain.destroy();
      out.on('close', () => plain.destroy());
      plain.on('error', () => out.destroy(new DecryptError('damaged or changed after encryption: authentication failed')));
      plain.pipe(out);
    })
    .catch((err: unknown) => {
      ciphertext.destroy();
      // A file that cannot be read at all (ENOENT, EIO) keeps its own error.
      out.destroy((err as NodeJS.ErrnoException)?.code ? (err as Error) : headerError(err));
    });
  return out;
}

export function decryptFile(identities: readonly string[], file: string): Readable {
  return decryptStream(identities, createReadStream(file, { highWaterMark: 1 << 20 }));
}

/**
 * Why the header was refused, reworded for the operator. The library's own message is not
 * passed on: for a file that is not age at all it quotes the file's first line.
 */
function headerError(err: unknown): DecryptError {
  const message = String((err as Error)?.message ?? err);
  if (/no identity matched/i.test(message)) return new DecryptError('not encrypted to this identity (no identity given matches any of its recipients)');
  if (/header HMAC/i.test(message)) return new DecryptError('damaged or changed after encryption: its header does not authenticate');
  return new DecryptError('not a valid age file (its header cannot be read)');
}

/**
 * A key pair that exists only in this process's memory. Files the run must read back (temp
 * copies it verifies, findings parts it concatenates) are also encrypted to it; it is never
 * written anywhere, so those files are unreadable once the run ends.
 */
export interface RunKey {
  identity: string;
  recipient: string;
}

export async function newRunKey(): Promise<RunKey> {
  const { generateX25519Identity, identityToRecipient } = await ageLibrary();
  const identity = await generateX25519Identity();
  return { identity, recipient: await identityToRecipient(identity) };
}

/** What the output layer needs to encrypt: the operator's recipients and this run's own key. */
export interface Encryption {
  recipients: string[];
  runKey: RunKey;
}

/** Encryption for these recipients, or none when the list is empty. Throws ArgumentError on a bad recipient. */
export async function encryptionFor(recipients: readonly string[] | undefined): Promise<Encryption | undefined> {
  if (!recipients || recipients.length === 0) return undefined;
  return { recipients: await checkRecipients(recipients), runKey: await newRunKey() };
}
