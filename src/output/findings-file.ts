/** Findings of one artifact, streamed to a file as they are found (bounded memory). */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Finding } from '../types.js';

export class FindingsFile {
  private fd: number;
  private buffered = '';

  constructor(readonly file: string) {
    this.fd = openSync(file, 'w');
  }

  add(finding: Finding): void {
    this.buffered += JSON.stringify(finding) + '\n';
    if (this.buffered.length > 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.buffered) writeSync(this.fd, this.buffered);
    this.buffered = '';
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
