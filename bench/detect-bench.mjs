#!/usr/bin/env node
/**
 * Throughput of the personal-data detectors beside redact-pii (local regex mode) on the same
 * texts: the labeled fixtures (fixtures/labeled/*.jsonl), repeated until each input reaches about
 * DETECT_BENCH_MB megabytes. A benchmark, not a test: it prints a Markdown table.
 *
 *   npm run build && node bench/detect-bench.mjs
 *
 * Columns: in-process MB/s of Detector.detect and SyncRedactor.redact, one call per document
 * (as `dsr detect` does per line), median of DETECT_BENCH_RUNS runs; and the wall time of the
 * `dsr detect` command on the same documents as a JSON Lines file (process start included).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactPiiText } from '../scripts/redact-pii-spans.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { loadDetector } = await import(path.join(root, 'dist/src/detect/load.js'));
const MB = 1024 * 1024;
const targetMb = Number(process.env.DETECT_BENCH_MB ?? 4);
const runs = Number(process.env.DETECT_BENCH_RUNS ?? 3);

const labeled = path.join(root, 'fixtures', 'labeled');
const bySet = new Map();
for (const f of readdirSync(labeled).filter((n) => n.endsWith('.jsonl')).sort()) {
  bySet.set(f.replace(/\.jsonl$/, ''), readFileSync(path.join(labeled, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).text));
}
const inputs = [
  ['logs (logs, heldout-logs)', [...bySet.get('logs'), ...bySet.get('heldout-logs')]],
  ['messages (e-mails, chats, tickets, transcripts)', ['emails', 'chats', 'tickets', 'transcripts', 'heldout-messages'].flatMap((s) => bySet.get(s))],
  ['all labeled documents', [...bySet.values()].flat()],
];

function repeatTo(texts) {
  const out = [];
  let bytes = 0;
  while (bytes < targetMb * MB) {
    for (const t of texts) {
      out.push(t);
      bytes += Buffer.byteLength(t);
    }
  }
  return { texts: out, bytes };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function rate(texts, bytes, fn) {
  fn(texts[0]); // warm up the regexes and the tagger
  const seconds = [];
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    for (const text of texts) fn(text);
    seconds.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  return bytes / MB / median(seconds);
}

const detector = await loadDetector();
const work = mkdtempSync(path.join(tmpdir(), 'dsr-detect-bench-'));
console.log(`Node ${process.version}; ${runs} runs per cell, median; inputs repeated to about ${targetMb} MB\n`);
console.log('| input | MB | dsr detect MB/s (in process) | redact-pii MB/s (in process) | `dsr detect` command, s | `dsr detect` command MB/s |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
try {
  for (const [name, texts] of inputs) {
    const { texts: all, bytes } = repeatTo(texts);
    const ours = rate(all, bytes, (t) => detector.detect(t));
    const theirs = rate(all, bytes, (t) => redactPiiText(t));
    const file = path.join(work, 'input.jsonl');
    writeFileSync(file, all.map((text) => JSON.stringify({ text })).join('\n') + '\n');
    const t = process.hrtime.bigint();
    execFileSync(process.execPath, [path.join(root, 'dist/cli/dsr.js'), 'detect', '--input', file], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
    const cli = Number(process.hrtime.bigint() - t) / 1e9;
    console.log(`| ${name} | ${(bytes / MB).toFixed(1)} | ${ours.toFixed(2)} | ${theirs.toFixed(2)} | ${cli.toFixed(1)} | ${(bytes / MB / cli).toFixed(2)} |`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
