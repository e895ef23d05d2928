/**
 * audit.jsonl: one line per artifact read and per file written, with time and SHA-256.
 * Paths, digests and counts only, never identifier values or content.
 *
 * The lines form a hash chain. Line n starts `{"seq":n,"prev":H,…}` where H is the SHA-256 (hex)
 * of the exact bytes of line n-1 without its newline, and GENESIS (64 zeros) for line 1. A line
 * removed, reordered or edited breaks the chain at that point (verify/audit-chain.ts says where).
 * A run into an existing --out continues the chain. Nothing inside a file can protect its own
 * last line: that is what an anchor kept elsewhere is for, such as the head (line count and hash
 * of the last line) that the erase attestation signs.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, truncate } from 'node:fs/promises';
import path from 'node:path';
import type { Written } from './atomic.js';
import { LineFile } from './line-file.js';

export const GENESIS = '0'.repeat(64);

export interface AuditEvent {
  event: 'run-start' | 'run-end' | 'read' | 'write' | 'skip' | 'repair';
  path?: string;
  sha256?: string;
  bytes?: number;
  [key: string]: unknown;
}

/** Where the chain stands: lines so far and the SHA-256 of the last one. */
export interface AuditHead {
  lines: number;
  sha256: string;
}

export function lineHash(line: string | Buffer): string {
  return createHash('sha256').update(line).digest('hex');
}

/** The audit line for a file the output layer wrote: its path under --out and its digest as stored. */
export function writeEvent(out: string, written: Written): AuditEvent {
  const rel = path.relative(out, written.path).split(path.sep).join('/');
  return { event: 'write', path: rel, sha256: written.stored.sha256, bytes: written.stored.bytes };
}

export class AuditLog {
  private queue: Promise<void> = Promise.resolve();
  private head: AuditHead = { lines: 0, sha256: GENESIS };
  private lines?: LineFile;

  constructor(readonly file: string) {}

  /** Find where an existing log's chain ends, so that this run continues it; close() when done. */
  async open(): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const tail = await readTail(this.file);
    if (tail && tail.tornBytes > 0) await truncate(this.file, tail.end);
    if (tail?.lastLine !== undefined) {
      const seq = seqOf(tail.lastLine);
      this.head = { lines: seq ?? (await countLines(this.file)), sha256: lineHash(tail.lastLine) };
    }
    this.lines = await LineFile.open(this.file);
    // A run killed in the middle of an append leaves a partial line that never was a record.
    if (tail && tail.tornBytes > 0) await this.record({ event: 'repair', discardedBytes: tail.tornBytes, reason: 'partial last line of an interrupted run' });
  }

  /**
   * Appends in call order, each line whole. The chain moves on at once: the lines of records made
   * while a write is under way are written together.
   */
  record(event: AuditEvent): Promise<void> {
    if (!this.lines) throw new Error('the audit log is not open');
    const { seq: _seq, prev: _prev, time: _time, ...rest } = event;
    const line = JSON.stringify({ seq: this.head.lines + 1, prev: this.head.sha256, time: new Date().toISOString(), ...rest });
    this.head = { lines: this.head.lines + 1, sha256: lineHash(line) };
    this.queue = this.lines.append(line);
    return this.queue;
  }

  /** Writes what is recorded and closes the file. */
  async close(): Promise<void> {
    await this.queue.finally(() => this.lines?.close());
  }

  /** The chain's head once every recorded line is written. */
  async current(): Promise<AuditHead> {
    const head = { ...this.head };
    await this.queue;
    return head;
  }
}

function seqOf(line: Buffer): number | undefined {
  try {
    const seq = (JSON.parse(line.toString('utf8')) as { seq?: unknown }).seq;
    return Number.isInteger(seq) ? (seq as number) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The last complete line of a file, read from the end (the log may be large), and how many bytes
 * follow it without a newline. `end` is the length of the file up to and with that newline.
 */
export async function readTail(file: string): Promise<{ lastLine?: Buffer; end: number; tornBytes: number } | undefined> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = (await fh.stat()).size;
    if (size === 0) return undefined;
    let tail = Buffer.alloc(0);
    let pos = size;
    // Grow `tail` (bytes [pos, size)) until it holds the last two newlines or the whole file.
    while (pos > 0) {
      const n = Math.min(1 << 16, pos);
      pos -= n;
      const chunk = Buffer.alloc(n);
      await fh.read(chunk, 0, n, pos);
      tail = Buffer.concat([chunk, tail]);
      const last = tail.lastIndexOf(0x0a);
      if (last > 0 && tail.lastIndexOf(0x0a, last - 1) !== -1) break;
    }
    const lastNl = tail.lastIndexOf(0x0a);
    if (lastNl === -1) return { end: 0, tornBytes: size };
    const before = lastNl > 0 ? tail.lastIndexOf(0x0a, lastNl - 1) : -1;
    return { lastLine: tail.subarray(before + 1, lastNl), end: pos + lastNl + 1, tornBytes: tail.length - lastNl - 1 };
  } finally {
    await fh.close();
  }
}

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) n++;
  }
  return n;
}
