/** Worker thread: scans one byte range of a text file with the anchored scanner (see parallel-scan.ts). */
import { createReadStream } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { Matcher } from '../scan/matcher.js';
import { FastTextScanner } from './fast-scanner.js';
import type { RangeJob, RangeResult } from './parallel-scan.js';

const matchers = new Map<string, Matcher>();

async function scanRange(job: RangeJob): Promise<RangeResult> {
  const key = JSON.stringify([job.identifiers, job.buildOptions]);
  let matcher = matchers.get(key);
  if (!matcher) matchers.set(key, (matcher = new Matcher(job.identifiers, job.buildOptions)));
  const matches: RangeResult['matches'] = [];
  const scanner = new FastTextScanner(matcher, job.encoding, job.bomLength, {
    onMatch: (m) => matches.push({ id: m.id, variant: m.variant, line: m.line, offset: m.offset, length: m.length }),
    range: { readStart: job.readStart, start: job.start, end: job.end, endsFile: job.endsFile },
  });
  for await (const chunk of createReadStream(job.file, { start: job.readStart, end: job.readEnd - 1, highWaterMark: 1 << 20 })) {
    scanner.push(chunk as Buffer);
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
