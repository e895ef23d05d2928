/** Worker thread: scans one byte range of a text file with the anchored scanner (see parallel-scan.ts). */
import { closeSync, openSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { Matcher } from '../scan/matcher.js';
import { FastTextScanner, textView } from './fast-scanner.js';
import type { RangeJob, RangeResult } from './parallel-scan.js';

const matchers = new Map<string, Matcher>();
/** Bytes per read. */
const READ_BYTES = 1 << 20;

async function scanRange(job: RangeJob): Promise<RangeResult> {
  const key = JSON.stringify([job.identifiers, job.buildOptions]);
  let matcher = matchers.get(key);
  if (!matcher) matchers.set(key, (matcher = new Matcher(job.identifiers, job.buildOptions)));
  const matches: RangeResult['matches'] = [];
  const scanner = new FastTextScanner(matcher, textView(job.encoding), job.bomLength, {
    onMatch: (m) => matches.push({ id: m.id, variant: m.variant, line: m.line, offset: m.offset, length: m.length }),
    range: { readStart: job.readStart, start: job.start, end: job.end, endsFile: job.endsFile },
  });
  const fd = openSync(job.file, 'r');
  try {
    for (let at = job.readStart; at < job.readEnd; ) {
      const n = scanner.readFrom(fd, at, Math.min(READ_BYTES, job.readEnd - at));
      if (n === 0) throw new Error(`the file ended at ${at} bytes, before ${job.readEnd}`);
      at += n;
    }
  } finally {
    closeSync(fd);
  }
  scanner.end();
  return { matches, newlines: scanner.newlines, validity: scanner.validity() };
}

parentPort!.on('message', (job: RangeJob) => {
  scanRange(job).then(
    (result) => parentPort!.postMessage({ result }),
    (err: Error) => parentPort!.postMessage({ error: err.message }),
  );
});
