/** Progress on stderr: artifacts, MB, MB/s and ETA on a terminal; nothing when not a terminal. */
import { describe, expect, test } from 'vitest';
import { formatProgress, terminalProgress } from '../src/progress.js';

const MB = 1024 * 1024;

describe('progress line', () => {
  test('says artifacts, megabytes, rate and time left', () => {
    const line = formatProgress({ artifactsDone: 3, artifactsTotal: 10, bytesDone: 50 * MB, bytesTotal: 150 * MB }, 10);
    expect(line).toBe('artifacts 3/10  50.0/150.0 MB  5.0 MB/s  ETA 0:20');
  });

  test('has no ETA before anything was read', () => {
    expect(formatProgress({ artifactsDone: 0, artifactsTotal: 2, bytesDone: 0, bytesTotal: MB }, 0)).toContain('ETA --:--');
  });

  test('writes nothing when the stream is not a terminal', () => {
    const written: string[] = [];
    const fake = { isTTY: false, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const progress = terminalProgress(fake);
    progress.update({ artifactsDone: 1, artifactsTotal: 1, bytesDone: MB, bytesTotal: MB });
    progress.done();
    expect(written).toEqual([]);
  });

  test('rewrites one line on a terminal', () => {
    const written: string[] = [];
    const fake = { isTTY: true, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const progress = terminalProgress(fake);
    progress.update({ artifactsDone: 1, artifactsTotal: 1, bytesDone: MB, bytesTotal: MB });
    progress.done();
    expect(written[0]).toMatch(/^\r\x1b\[Kartifacts 1\/1 {2}1\.0\/1\.0 MB/);
    expect(written.at(-1)).toBe('\r\x1b[K');
  });
});
