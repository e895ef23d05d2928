/**
 * A file the run appends lines to (the audit log, the journal), kept open for the run rather than
 * opened and closed for every line. It is opened for appending (O_APPEND) and written by one
 * write at a time, lines in the order they were appended: a run killed mid-write leaves whole
 * lines and at most a torn last one, which the readers of these files handle.
 */
import { open, type FileHandle } from 'node:fs/promises';

export class LineFile {
  /** Lines appended while a write is under way: they go together in the next one. */
  private batch = '';
  private queue: Promise<void> = Promise.resolve();
  private closed?: Promise<void>;

  private constructor(private readonly handle: FileHandle) {}

  static async open(file: string): Promise<LineFile> {
    return new LineFile(await open(file, 'a'));
  }

  /** Resolves once the line (a newline is added) is handed to the operating system. */
  append(line: string): Promise<void> {
    // After close() (a run ending on an error while other artifacts still report), a line would
    // be written to a closed handle or lost without a word.
    if (this.closed) return Promise.reject(new Error('the file is closed: line not written'));
    this.batch += line + '\n';
    this.queue = this.queue.then(() => this.writeBatch());
    return this.queue;
  }

  private async writeBatch(): Promise<void> {
    if (!this.batch) return; // written with an earlier line
    const text = this.batch;
    this.batch = '';
    await this.handle.appendFile(text);
  }

  /** Closes the file once every appended line is written; later calls get the same outcome. */
  close(): Promise<void> {
    this.closed ??= this.queue.finally(() => this.handle.close());
    return this.closed;
  }
}
