/**
 * The output layer: every file a run writes under --out goes through here.
 * - Outputs appear whole or not at all: written to a temp file beside the state, then renamed.
 * - With encryption on, every file it writes is an age file and outputs are named with `.age`;
 *   temp and state files are encrypted too, so no content is ever written in clear. Files the
 *   run reads back (temp copies it verifies, findings parts) are also encrypted to the run key,
 *   which lives only in memory (see crypto/age.ts).
 * Digests are taken while writing: of the content, and of the file as stored.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, constants, mkdir, rename, rm } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { AGE_SUFFIX, decryptFile, encryptStream, type Encryption } from '../crypto/age.js';
import { Hashing, sha256File, type Digest } from './hash.js';


/** A finished output. `sha256`/`bytes` describe the content (what a reader gets after decryption). */
export interface Written extends Digest {
  /** Absolute path of the file as stored (ends in `.age` when encrypted). */
  path: string;
  /** The file as stored: the ciphertext when encrypted, else the same as the content. */
  stored: Digest;
}

/** A file being written: content goes into `stream`; close() waits until it is stored. */
export class PendingFile {
  private constructor(
    readonly path: string,
    readonly stream: Writable,
    private readonly done: Promise<unknown>,
    private readonly content: Hashing,
    private readonly stored: Hashing,
    /** How this run reads it back: in clear, with the run key, or not at all (encrypted to recipients only). */
    private readonly readBack: { identity: string } | 'clear' | 'none',
  ) {
    // Awaited by close() or discard(); never left as an unhandled rejection.
    done.catch(() => {});
  }

  /** Without `recipients` the file is written in clear; `readIdentity` lets this run decrypt it. */
  static async open(file: string, recipients: readonly string[] | undefined, readIdentity?: string): Promise<PendingFile> {
    await mkdir(path.dirname(file), { recursive: true });
    const stored = new Hashing();
    if (!recipients) return new PendingFile(file, stored, pipeline(stored, createWriteStream(file)), stored, stored, 'clear');
    const content = new Hashing();
    const { plaintext, ciphertext } = await encryptStream(recipients);
    const done = Promise.all([pipeline(content, plaintext), pipeline(ciphertext, stored, createWriteStream(file))]);
    return new PendingFile(file, content, done, content, stored, readIdentity ? { identity: readIdentity } : 'none');
  }

  /** Ends the content and waits until the file is complete on disk. */
  async close(): Promise<{ content: Digest; stored: Digest }> {
    if (!this.stream.writableEnded) this.stream.end();
    await this.done;
    return { content: this.content.digest(), stored: this.stored.digest() };
  }

  /** Content bytes written so far. */
  get bytes(): number {
    return this.content.bytes;
  }

  /** The file holding the content as it is, when it is written in clear (readers may read it in ranges). */
  get clearFile(): string | undefined {
    return this.readBack === 'clear' ? this.path : undefined;
  }

  /** The content again, from the start (decrypted with the run key when encrypted). */
  open(): Readable {
    if (this.readBack === 'none') throw new Error('this file is encrypted to the recipients only: create it with { reread: true } to read it back');
    if (this.readBack === 'clear') return createReadStream(this.path, { highWaterMark: 1 << 20 });
    return decryptFile([this.readBack.identity], this.path);
  }

  async discard(): Promise<void> {
    this.stream.destroy();
    await this.done.catch(() => {});
    await rm(this.path, { force: true });
  }
}

export class AtomicWriter {
  constructor(
    private readonly tmpDir: string,
    private readonly encryption?: Encryption,
  ) {}

  /** Appended to the name of every output: `.age` when encrypted. */
  get suffix(): string {
    return this.encryption ? AGE_SUFFIX : '';
  }

  private async tempPath(): Promise<string> {
    await mkdir(this.tmpDir, { recursive: true });
    return path.join(this.tmpDir, `${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  }

  /**
   * A temp file for an output, to be committed or discarded. With `reread` this run can read it
   * back through open() (it is then also encrypted to the run key).
   */
  async create(options: { reread?: boolean } = {}): Promise<PendingFile> {
    const enc = this.encryption;
    const recipients = enc && (options.reread ? [...enc.recipients, enc.runKey.recipient] : enc.recipients);
    return PendingFile.open(await this.tempPath(), recipients, options.reread ? enc?.runKey.identity : undefined);
  }

  /** Move a finished temp file to its place (`target` + suffix). */
  async commit(pending: PendingFile, target: string): Promise<Written> {
    const { content, stored } = await pending.close();
    const final = target + this.suffix;
    await mkdir(path.dirname(final), { recursive: true });
    await rename(pending.path, final);
    return { path: final, ...content, stored };
  }

  async discard(pending: PendingFile): Promise<void> {
    await pending.discard();
  }

  async writeFile(target: string, data: string | Buffer): Promise<Written> {
    const pending = await this.create();
    pending.stream.end(data);
    return this.commit(pending, target);
  }

  /** A byte-identical copy of the content: a reflink where the filesystem offers one. */
  async copy(source: string, target: string): Promise<Written> {
    if (this.encryption) {
      const pending = await this.create();
      await pipeline(createReadStream(source, { highWaterMark: 1 << 20 }), pending.stream).catch(async (err) => {
        await pending.discard();
        throw err;
      });
      return this.commit(pending, target);
    }
    const tmp = await this.tempPath();
    await copyFile(source, tmp, constants.COPYFILE_FICLONE);
    const digest = await sha256File(tmp);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(tmp, target);
    return { path: target, ...digest, stored: digest };
  }

  /** A file of the run's own state, written in place; only this run can read it back when encrypted. */
  async openState(file: string): Promise<PendingFile> {
    const enc = this.encryption;
    return PendingFile.open(file, enc && [enc.runKey.recipient], enc?.runKey.identity);
  }

  readState(file: string): Readable {
    const enc = this.encryption;
    return enc ? decryptFile([enc.runKey.identity], file) : createReadStream(file, { highWaterMark: 1 << 20 });
  }
}
