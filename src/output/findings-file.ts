/**
 * Findings of one artifact, streamed to a state file as they are found (bounded memory), through
 * the output layer so that they are encrypted when the run's outputs are. The file is created
 * with the first finding: most artifacts have none, and then no file is written at all.
 */
import { once } from 'node:events';
import fs, { type ReadPosition } from 'node:fs';
import type { Finding } from '../types.js';
import type { AtomicWriter, PendingFile } from './atomic.js';

/** Findings queued for storing before the artifact's reader is made to wait. */
export const QUEUED_MAX = 4 << 20;

/** Findings gathered as text before they are handed to the file. */
const BATCH = 1 << 16;

/** The `fs` option of createReadStream: the calls a file stream makes. */
export interface ReadPacing {
  open: typeof fs.open;
  close: typeof fs.close;
  read: typeof fs.read;
}

type ReadCallback = (err: NodeJS.ErrnoException | null, bytesRead: number, buffer: NodeJS.ArrayBufferView) => void;

export class FindingsFile {
  /** The batch being gathered. */
  private buffered = '';
  /** Batches gathered while the file is being created, and their length. */
  private waiting: string[] = [];
  private waitingLength = 0;
  private file?: PendingFile;
  /** Set once the file is being created (with the first batch of findings). */
  private creating?: Promise<PendingFile>;

  private constructor(
    private readonly path: string,
    private readonly writer: AtomicWriter,
  ) {}

  /** Findings for `file` (created, or truncated, when the first finding is stored). */
  static open(file: string, writer: AtomicWriter): FindingsFile {
    return new FindingsFile(file, writer);
  }

  add(finding: Finding): void {
    this.buffered += JSON.stringify(finding) + '\n';
    if (this.buffered.length > BATCH) this.flush();
  }

  /** Hands the batch to the file; until the file exists, batches wait here (counted as queued). */
  private flush(): void {
    if (!this.buffered) return;
    if (this.file) this.file.stream.write(this.buffered);
    else {
      this.waiting.push(this.buffered);
      this.waitingLength += Buffer.byteLength(this.buffered);
      if (!this.creating) {
        this.creating = this.create();
        // Awaited by drained() or close(); never left as an unhandled rejection meanwhile.
        this.creating.catch(() => {});
      }
    }
    this.buffered = '';
  }

  private async create(): Promise<PendingFile> {
    const file = await this.writer.openState(this.path);
    this.file = file;
    // Batch by batch, as they would have been written: the stream then holds back what its
    // reader has not taken, and `queued` counts it.
    for (const batch of this.waiting) file.stream.write(batch);
    this.waiting = [];
    this.waitingLength = 0;
    return file;
  }

  /** Bytes of findings written but not yet taken up by the file (or its encryption). */
  get queued(): number {
    return this.waitingLength + (this.file?.stream.writableLength ?? 0);
  }

  /** Resolves once no more than QUEUED_MAX bytes of findings wait to be stored. */
  private async drained(): Promise<void> {
    if (this.queued <= QUEUED_MAX) return;
    // More than a batch is queued, so the file is being created or exists.
    const file = await this.creating!;
    if (this.queued > QUEUED_MAX) await once(file.stream, 'drain');
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

  /** Stores what is left; resolves once the file, if any finding was added, is complete. */
  async close(): Promise<void> {
    this.flush();
    await (await this.creating)?.close();
  }
}
