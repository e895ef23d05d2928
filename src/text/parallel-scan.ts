/**
 * One large text file searched by several worker threads, a byte range each, so that discover
 * uses every core on a multi-GB log. Ranges overlap by the context the anchored scanner needs;
 * each worker evaluates only the positions of its own range and reports raw matches, and the
 * results are joined in file order here, where the MatchState rule and line numbers are applied
 * exactly as one sequential scan would apply them.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BuildOptions } from '../../detectors/identifiers.js';
import type { Matcher } from '../scan/matcher.js';
import type { Identifier } from '../types.js';
import type { TextMatch } from './stream-scanner.js';
import { describeEncoding, type Validity } from './fast-scanner.js';

export interface RangeJob {
  file: string;
  identifiers: readonly Identifier[];
  buildOptions: BuildOptions;
  encoding: 'utf-8' | 'windows-1252';
  bomLength: number;
  readStart: number;
  start: number;
  end: number;
  readEnd: number;
  endsFile: boolean;
}

export interface RangeResult {
  matches: TextMatch[];
  newlines: number;
  validity: Validity;
}

/** Files at least this large are split (override with DSR_PARALLEL_MIN_BYTES, for tests). */
const PARALLEL_MIN_BYTES = Number(process.env.DSR_PARALLEL_MIN_BYTES ?? 64 * 1024 * 1024);
/** Bytes per range (override with DSR_RANGE_BYTES, for tests). */
const RANGE_BYTES = Number(process.env.DSR_RANGE_BYTES ?? 32 * 1024 * 1024);

export function worthSplitting(size: number): boolean {
  return size >= PARALLEL_MIN_BYTES && availableParallelism() > 1;
}

class WorkerPool {
  private idle: Worker[] = [];
  private waiting: ((w: Worker) => void)[] = [];
  private readonly all: Worker[] = [];

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      // A small young generation: each step's short-lived strings are collected early, not piled up.
      const worker = new Worker(new URL('./range-worker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
      worker.unref();
      this.all.push(worker);
      this.idle.push(worker);
    }
  }

  async run(job: RangeJob): Promise<RangeResult> {
    const worker = this.idle.pop() ?? (await new Promise<Worker>((resolve) => this.waiting.push(resolve)));
    try {
      return await new Promise<RangeResult>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        worker.once('error', onError);
        worker.once('message', (reply: { result?: RangeResult; error?: string }) => {
          worker.off('error', onError);
          if (reply.result) resolve(reply.result);
          else reject(new Error(reply.error ?? 'range worker failed'));
        });
        worker.postMessage(job);
      });
    } finally {
      const next = this.waiting.shift();
      if (next) next(worker);
      else this.idle.push(worker);
    }
  }
}

let pool: WorkerPool | undefined;

/**
 * Search `file` (`size` bytes) in ranges on worker threads; matches are handed to `onMatch` in
 * file order with MatchState applied. After the matches of each range, `settled(end)` is awaited:
 * no match delivered later starts before `end`. Returns the encoding as report.json states it.
 */
export async function scanFileInRanges(
  file: string,
  size: number,
  matcher: Matcher,
  encoding: 'utf-8' | 'windows-1252',
  bomLength: number,
  onMatch: (m: TextMatch) => void,
  settled?: (end: number) => Promise<void>,
): Promise<string> {
  pool ??= new WorkerPool(Math.max(2, availableParallelism()));
  // Context either side: the lookbehind and the farthest an anchor may be from its match, and
  // the reach after the last position, all in bytes (3 per UTF-16 unit in UTF-8), generously.
  const context = 16 * (matcher.reach + matcher.lookbehind) + 4096;
  const jobs: RangeJob[] = [];
  for (let start = 0; start < size; start += RANGE_BYTES) {
    const end = Math.min(size, start + RANGE_BYTES);
    const readEnd = Math.min(size, end + context);
    jobs.push({
      file,
      identifiers: matcher.identifiers,
      buildOptions: matcher.buildOptions,
      encoding,
      bomLength,
      readStart: Math.max(0, start - context),
      start,
      end,
      readEnd,
      endsFile: readEnd === size,
    });
  }
  const results = jobs.map((job) => pool!.run(job));
  const state = matcher.newState();
  let lineBase = 1;
  const validity: Validity = { fallback: false, multibyte: false };
  for (const [k, pending] of results.entries()) {
    const result = await pending;
    for (const m of result.matches) {
      if (state.accept(m.id, m.offset, m.offset + m.length)) onMatch({ ...m, line: lineBase + m.line });
    }
    lineBase += result.newlines;
    validity.fallback ||= result.validity.fallback;
    validity.multibyte ||= result.validity.multibyte;
    await settled?.(jobs[k]!.end);
  }
  return describeEncoding(encoding, validity);
}
