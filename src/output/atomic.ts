/** Outputs appear whole or not at all: written to a temp file beside the state, then renamed. */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile, copyFile, constants } from 'node:fs/promises';
import path from 'node:path';

export class AtomicWriter {
  constructor(private readonly tmpDir: string) {}

  async tempPath(): Promise<string> {
    await mkdir(this.tmpDir, { recursive: true });
    return path.join(this.tmpDir, `${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  }

  /** Move a finished temp file to its place. */
  async commit(tmp: string, target: string): Promise<void> {
    await mkdir(path.dirname(target), { recursive: true });
    await rename(tmp, target);
  }

  async writeFile(target: string, data: string | Buffer): Promise<void> {
    const tmp = await this.tempPath();
    await writeFile(tmp, data);
    await this.commit(tmp, target);
  }

  /** A byte-identical copy: a reflink where the filesystem offers one. */
  async copy(source: string, target: string): Promise<void> {
    const tmp = await this.tempPath();
    await copyFile(source, tmp, constants.COPYFILE_FICLONE);
    await this.commit(tmp, target);
  }

  async discard(tmp: string): Promise<void> {
    await rm(tmp, { force: true });
  }
}
