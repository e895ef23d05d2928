/**
 * Checking audit.jsonl (see output/audit.ts for the format). Each line must hold the next entry
 * number (`seq`) and the SHA-256 of the line before it (`prev`). From where the chain breaks the
 * check tells what happened: an entry number skipped (lines removed), out of order (lines
 * reordered), or a line whose digest no longer matches the link after it (a line edited).
 * The file is read as a stream; only entry numbers and the last write per path are kept.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { GENESIS, lineHash, type AuditHead } from '../output/audit.js';
import { emptyReport, type Problem, type VerifyReport } from './result.js';

export interface AuditCheck extends VerifyReport {
  head: AuditHead;
  /** The last `write` entry per output path (relative to the log's folder). */
  writes: Map<string, { sha256: string; bytes: number; line: number }>;
}

interface Entry {
  seq?: unknown;
  prev?: unknown;
  event?: unknown;
  path?: unknown;
  sha256?: unknown;
  bytes?: unknown;
}

/** Raw lines of a file without their `\n`, and whether the last one had it. */
async function* rawLines(file: string): AsyncGenerator<{ line: Buffer; terminated: boolean }> {
  let rest = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a)) {
      yield { line: buf.subarray(0, nl), terminated: true };
      buf = buf.subarray(nl + 1);
    }
    rest = Buffer.from(buf);
  }
  if (rest.length) yield { line: rest, terminated: false };
}

/**
 * @param anchor a head signed elsewhere (the attestation's): line `anchor.lines` must hash to
 * `anchor.sha256`, which also protects the lines up to it against removal from the end.
 */
export async function checkAuditLog(file: string, label: string, anchor?: { head: AuditHead; by: string }): Promise<AuditCheck> {
  const report: AuditCheck = { ...emptyReport(), head: { lines: 0, sha256: GENESIS }, writes: new Map() };
  const problem = (line: number, message: string) => report.problems.push({ file: label, line, message });
  const seen = new Set<number>();
  /** Entry numbers skipped at some line, judged once every entry number is known. */
  const gaps: { line: number; from: number; to: number }[] = [];
  let lastSeq = 0;
  let prevHash = GENESIS;
  let n = 0;
  let openRun: number | undefined;
  let anchorHash: string | undefined;

  for await (const { line, terminated } of rawLines(file)) {
    n++;
    const hash = lineHash(line);
    if (!terminated) problem(n, 'is incomplete (no newline at the end): a torn write, or the file was cut');
    let entry: Entry | undefined;
    try {
      const parsed: unknown = JSON.parse(line.toString('utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) entry = parsed as Entry;
    } catch {
      /* reported below */
    }
    if (!entry) {
      problem(n, 'is not a JSON object: edited or damaged');
      // It still takes an entry's place: the lines after it are judged as if it held the next number.
      lastSeq++;
    } else {
      let linkReported = false;
      const seq = entry.seq;
      if (typeof seq !== 'number' || !Number.isInteger(seq)) {
        problem(n, 'has no entry number (seq): not a line of a hash-chained audit log, or edited');
        linkReported = true;
        lastSeq++;
      } else {
        if (seq > lastSeq + 1) {
          gaps.push({ line: n, from: lastSeq + 1, to: seq - 1 });
          linkReported = true;
        } else if (seq <= lastSeq) {
          problem(n, `holds entry ${seq} where entry ${lastSeq + 1} belongs: lines were reordered or repeated`);
          linkReported = true;
        }
        seen.add(seq);
        lastSeq = seq;
      }
      if (entry.prev !== prevHash && !linkReported) {
        if (n === 1) problem(1, `does not start the chain: prev is ${String(entry.prev)}, the first line must have ${GENESIS}`);
        else problem(n - 1, `was changed after it was written (or the link to it in line ${n} was): its SHA-256 is ${prevHash}, line ${n} records ${String(entry.prev)}`);
      }
      if (entry.event === 'run-start') openRun = n;
      else if (entry.event === 'run-end') openRun = undefined;
      else if (entry.event === 'write' && typeof entry.path === 'string' && typeof entry.sha256 === 'string') {
        report.writes.set(entry.path, { sha256: entry.sha256, bytes: Number(entry.bytes), line: n });
      }
    }
    if (anchor && n === anchor.head.lines) anchorHash = hash;
    prevHash = hash;
  }

  for (const gap of gaps) {
    const missing = gap.to === gap.from ? `entry ${gap.from} is` : `entries ${gap.from}–${gap.to} are`;
    const moved = [...range(gap.from, gap.to)].some((s) => seen.has(s));
    problem(gap.line, moved ? `${missing} not in their place before this line: lines were reordered` : `${missing} missing before this line: lines were removed`);
  }
  if (n === 0) report.problems.push({ file: label, message: 'is empty' });
  else if (openRun !== undefined) {
    report.problems.push({
      file: label,
      message: `ends inside a run: no run-end after the run-start at line ${openRun} (the run was interrupted or is still going, or lines were removed from the end)`,
    });
  }
  if (anchor) {
    if (n < anchor.head.lines) report.problems.push({ file: label, message: `has ${n} lines, ${anchor.by} signed ${anchor.head.lines}: lines were removed from the end` });
    else if (anchorHash !== anchor.head.sha256) problem(anchor.head.lines, `SHA-256 is ${anchorHash}, ${anchor.by} signed ${anchor.head.sha256}: the log was changed up to this line`);
    else report.ok.push(`${label}: line ${anchor.head.lines} is the head ${anchor.by} signed`);
  }
  report.head = { lines: n, sha256: prevHash };
  report.problems.sort(byLine);
  if (report.problems.length === 0) report.ok.unshift(`${label}: ${n} lines, hash chain intact (head ${prevHash})`);
  return report;
}

function* range(from: number, to: number): Generator<number> {
  for (let s = from; s <= to; s++) yield s;
}

function byLine(a: Problem, b: Problem): number {
  return (a.line ?? Infinity) - (b.line ?? Infinity);
}

/** Paths the audit log names are relative to its folder and must stay inside it. */
export function insideFolder(dir: string, rel: string): string | undefined {
  const full = path.resolve(dir, ...rel.split('/'));
  return full.startsWith(path.resolve(dir) + path.sep) ? full : undefined;
}
