/**
 * audit.jsonl: one line per artifact read and per file written, with time and SHA-256.
 * Paths and digests only, never identifier values.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

export interface AuditEvent {
  event: 'run-start' | 'run-end' | 'read' | 'write' | 'skip';
  path?: string;
  sha256?: string;
  bytes?: number;
  [key: string]: unknown;
}

export class AuditLog {
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  async open(): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
  }

  /** Appends in call order; appendFile with one line keeps each line whole. */
  record(event: AuditEvent): Promise<void> {
    const line = JSON.stringify({ time: new Date().toISOString(), ...event }) + '\n';
    this.queue = this.queue.then(() => appendFile(this.file, line));
    return this.queue;
  }

  flush(): Promise<void> {
    return this.queue;
  }
}
