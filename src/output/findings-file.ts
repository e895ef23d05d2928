/**
 * Findings of one artifact, streamed to a state file as they are found (bounded memory), through
 * the output layer so that they are encrypted when the run's outputs are.
 */
import { once } from 'node:events';
import fs, { type ReadPosition } from 'node:fs';
import type { Finding } from '../types.js';
import type { AtomicWriter, PendingFile } from './atomic.js';

/** Findings queued for storing before the artifact's reader is made to wait. */
export const QUEUED_MAX = 4 << 20;

/** The `fs` option of createReadStream: the calls a file stream makes. */
export interface ReadPacing {
  open: typeof fs.open;
  close: typeof fs.close;
  read: typeof fs.read;
}

type ReadCallback = (err: NodeJS.ErrnoException | null, bytesRead: number, buffer: NodeJS.ArrayBufferView) => void;

export class FindingsFile {
  private buffered = '';

  private constructor(private readonly file: PendingFile) {}

  static async open(file: string, writer: AtomicWriter): Promise<FindingsFile> {
    return new FindingsFile(await writer.openState(file));
  }

  add(finding: Finding): void {
    this.buffered += JSON.stringify(finding) + '\n';
    if (this.buffered.length > 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.buffered) this.file.stream.write(this.buffered);
    this.buffered = '';
  }

  /** Bytes of findings written but not yet taken up by the file (or its encryption). */
  get queued(): number {
    return this.file.stream.writableLength;
  }

  /** Resolves once no more than QUEUED_MAX bytes of findings wait to be stored. */
  private drained(): Promise<unknown> {
    const stream = this.file.stream;
    return this.queued > QUEUED_MAX ? once(stream, 'drain') : Promise.resolve();
  }

  /**
   * File-system calls for reading the artifact these findings come from: each read waits while
   * more than QUEUED_MAX bytes of findings wait to be stored. found() cannot wait, so without
   * this an artifact dense with matches would queue its findings in memory whenever storing them
   * (encrypting, above all) is slower than finding them. Given to createReadStream as its `fs`,
   * it leaves the stream a plain file stream (a reader may still open the file by its path).
   */
  readPacing(): ReadPacing {
    const read = (fd: number, buffer: NodeJS.ArrayBufferView, offset: number, length: number, position: ReadPosition | null, callback: ReadCallback): void => {
      this.drained().then(
        () => fs.read(fd, buffer, offset, length, position, callback),
        (err: Error) => callback(err, 0, buffer),
      );
    };
    return { open: fs.open, close: fs.close, read: read as typeof fs.read };
  }

  async close(): Promise<void> {
    this.flush();
    await this.file.close();
  }
}
