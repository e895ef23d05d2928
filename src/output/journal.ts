/**
 * The run's memory across restarts. Each finished artifact appends one line; a run killed half
 * way and started again into the same --out reuses the lines whose source file is unchanged
 * and ends with the same outputs. A torn last line (killed mid-write) is ignored. Runs that
 * cannot reuse lines keep none (see runJob).
 */
import { readFile, truncate } from 'node:fs/promises';
import type { ArtifactRecord } from '../types.js';
import { LineFile } from './line-file.js';

export interface JournalEntry {
  artifact: string;
  size: number;
  mtimeMs: number;
  /** The artifact's record first, then records of its container members. */
  records: ArtifactRecord[];
  /** Name of the findings file under the state folder. */
  findings: string;
}

export class Journal {
  private constructor(
    private readonly lines: LineFile,
    /** The lines of earlier runs, by artifact. */
    readonly entries: Map<string, JournalEntry>,
  ) {}

  static async open(file: string): Promise<Journal> {
    const entries = new Map<string, JournalEntry>();
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch {
      /* a new run */
    }
    // Drop a torn last line so that the next append starts on a line of its own.
    const whole = text.lastIndexOf('\n') + 1;
    if (whole < text.length) {
      await truncate(file, Buffer.byteLength(text.slice(0, whole)));
      text = text.slice(0, whole);
    }
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const entry = JSON.parse(line) as JournalEntry;
        entries.set(entry.artifact, entry);
      } catch {
        /* torn line from a killed run */
      }
    }
    return new Journal(await LineFile.open(file), entries);
  }

  append(entry: JournalEntry): Promise<void> {
    return this.lines.append(JSON.stringify(entry));
  }

  close(): Promise<void> {
    return this.lines.close();
  }
}
