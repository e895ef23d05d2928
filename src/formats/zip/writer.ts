/**
 * The redacted archive, written with yazl entry by entry in the original order. yazl cannot copy
 * compressed data as it is, so every file entry is compressed again (stored entries stay stored).
 */
import type { Readable, Writable } from 'node:stream';
import { streamOf } from '../stream-util.js';
import yazl from 'yazl';

export interface EntryOptions {
  mtime: Date;
  mode?: number;
  compress: boolean;
  fileComment?: string;
}

export class ZipRewriter {
  private readonly zip = new yazl.ZipFile();
  private readonly done: Promise<void>;

  constructor(out: Writable) {
    this.zip.outputStream.pipe(out, { end: false });
    this.done = new Promise((resolve, reject) => {
      this.zip.outputStream.on('end', resolve);
      this.zip.on('error', reject);
    });
    // Awaited in end(); a run that fails earlier must not leave an unhandled rejection behind.
    this.done.catch(() => undefined);
  }

  directory(name: string, options: EntryOptions): void {
    this.zip.addEmptyDirectory(name, { mtime: options.mtime, ...(options.mode !== undefined ? { mode: options.mode } : {}) });
  }

  /** A file entry from bytes in memory or from a stream opened when yazl reaches it. */
  file(name: string, options: EntryOptions, content: Buffer | (() => Readable)): void {
    const { mode, fileComment, ...rest } = options;
    const opts = { ...rest, ...(mode !== undefined ? { mode } : {}), ...(fileComment ? { fileComment } : {}) };
    this.zip.addReadStreamLazy(name, opts, (cb) => {
      const stream = Buffer.isBuffer(content) ? streamOf(content) : content();
      // yazl does not listen for errors on the streams it is given.
      stream.on('error', (err) => this.zip.emit('error', err));
      cb(null, stream);
    });
  }

  /** Finish the archive (archive comment as read: raw bytes, or redacted text) and wait until written. */
  async end(comment: Buffer | string): Promise<void> {
    // yazl takes the comment as raw bytes or as CP437 text; its typings only admit text.
    this.zip.end({ forceZip64Format: false, comment: comment as string });
    await this.done;
  }
}
