#!/usr/bin/env node
// Benchmark: dsr discover/erase against ripgrep on the generated corpus.
// A benchmark, not a test: it measures and reports, it asserts nothing.
//
//   npm run bench
//   BENCH_SCALE=0.05 BENCH_RUNS=3 npm run bench
//
// Environment: BENCH_SCALE (corpus size, default 1.0), BENCH_RUNS (timed runs
// per row, default 5), BENCH_SEED, BENCH_DATASETS (e.g. "log,mail"),
// BENCH_TOOLS ("rg" or "dsr", default both), BENCH_CONCURRENCY (passed to
// dsr discover --concurrency), BENCH_TIMEOUT (seconds per run, default 3600).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { ensureCorpus, BENCH_DIR, CORPUS_DIR } from './generate.mjs';

const ROOT = path.dirname(BENCH_DIR);
const RUNS = Math.max(1, parseInt(process.env.BENCH_RUNS ?? '5', 10) || 5);
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT ?? 3600);
const DSR = path.join(ROOT, 'dist', 'cli', 'dsr.js');
const OUT = path.join(CORPUS_DIR, 'out');
const RESULTS = path.join(BENCH_DIR, 'RESULTS.md');
const MiB = 1 << 20;
// -a: search binary files in full (by default rg stops at the first NUL byte);
// --no-ignore/--hidden: the corpus lies under a git-ignored folder.
const RG_FLAGS = ['--no-config', '--no-ignore', '--hidden', '-a', '-c', '-i', '-F'];

const notes = [];
const note = (msg) => { notes.push(msg); console.log(`note: ${msg}`); };

// ---------------------------------------------------------------- tools

function probe(cmd, args = ['--version']) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.error ? null : `${r.stdout}${r.stderr}`.split('\n')[0].trim();
}

function ensureDsr() {
  if (!fs.existsSync(DSR)) {
    console.log('dist/cli/dsr.js is missing: running npm run build');
    const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0 || !fs.existsSync(DSR)) {
      return r.status === 0
        ? 'dsr skipped: npm run build succeeded but did not produce dist/cli/dsr.js'
        : `dsr skipped: npm run build failed (${r.error ? r.error.message : `exit ${r.status}`})`;
    }
  }
  return null;
}

const rgVersion = probe('rg');
const hasUnzip = probe('unzip', ['-v']) !== null;
const shell = probe('bash') !== null ? 'bash' : 'sh';
const timeOk = fs.existsSync('/usr/bin/time') &&
  spawnSync('/usr/bin/time', ['-f', '%M', '-o', '/dev/null', 'true']).status === 0;

// ---------------------------------------------------------------- running

let current = null;
const killGroup = (child) => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ } };
process.on('SIGINT', () => { if (current) killGroup(current); process.exit(130); });

// Runs a command once; wall time is spawn to exit of the whole process.
function runOnce(c) {
  if (c.outDir) fs.rmSync(c.outDir, { recursive: true, force: true }); // a reused --out would resume
  const rssFile = path.join(OUT, 'rss.txt');
  const argv = timeOk ? ['/usr/bin/time', '-f', '%M', '-o', rssFile, c.cmd, ...c.args] : [c.cmd, ...c.args];
  return new Promise((resolve) => {
    let stdout = '', stderr = '', settled = false;
    const t0 = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    current = child;
    const timer = setTimeout(() => { stderr += `\ntimed out after ${TIMEOUT_S} s`; killGroup(child); }, TIMEOUT_S * 1000);
    const done = (code, error) => {
      if (settled) return;
      settled = true;
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      clearTimeout(timer);
      current = null;
      let rssBytes = null;
      if (timeOk && !error) {
        try { rssBytes = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) * 1024 || null; } catch { /* none */ }
      }
      resolve({ secs, code, error, stdout, stderr, rssBytes });
    };
    child.stdout.on('data', (d) => { if (stdout.length < MiB) stdout += d; });
    child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
    child.on('error', (err) => done(null, err));
    child.on('close', (code) => done(code, null));
  });
}

function parseSummary(stdout) {
  const s = stdout.trim();
  try { return JSON.parse(s); } catch { /* maybe a log line first */ }
  for (const line of s.split('\n').reverse()) {
    try { const j = JSON.parse(line); if (j && typeof j === 'object') return j; } catch { /* not JSON */ }
  }
  return null;
}

function failure(r) {
  if (r.error) return r.error.message;
  const last = r.stderr.trim().split('\n').pop();
  return `exit ${r.code}${last ? `: ${last.slice(0, 200)}` : ''}`;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function bench(c) {
  process.stdout.write(`  ${c.tool.padEnd(30)} warm-up`);
  const warm = await runOnce(c);
  if (!c.ok(warm)) {
    console.log(` failed (${failure(warm)})`);
    return { ...c, error: failure(warm) };
  }
  process.stdout.write(` ${warm.secs.toFixed(2)}s | runs:`);
  const times = [], rss = [];
  let summary = null;
  for (let i = 0; i < RUNS; i++) {
    const r = await runOnce(c);
    if (!c.ok(r)) {
      console.log(` failed (${failure(r)})`);
      return { ...c, error: failure(r) };
    }
    times.push(r.secs);
    summary = c.kind === 'dsr' ? parseSummary(r.stdout) : null;
    rss.push(Number(summary?.peakRssBytes) || r.rssBytes || 0);
    process.stdout.write(` ${r.secs.toFixed(2)}`);
  }
  if (c.outDir) fs.rmSync(c.outDir, { recursive: true, force: true });
  const m = median(times);
  console.log(` | median ${m.toFixed(2)}s`);
  return { ...c, median: m, rssBytes: Math.max(...rss) || null, summary };
}

// ---------------------------------------------------------------- commands

function dsrCommand(mode, ds, req) {
  const outDir = path.join(OUT, `${ds.name}-${mode}-${req.identifiers}`);
  const args = [DSR, mode, '--store', path.join(CORPUS_DIR, ds.store), '--request', path.join(CORPUS_DIR, req.request),
    '--out', outDir, '--json'];
  if (mode === 'discover' && process.env.BENCH_CONCURRENCY) args.push('--concurrency', process.env.BENCH_CONCURRENCY);
  return {
    tool: `dsr ${mode} (${req.identifiers} ids)`, kind: 'dsr', ids: req.identifiers, cmd: process.execPath, args, outDir,
    ok: (r) => r.code === 0 || (r.code !== null && parseSummary(r.stdout)?.totals !== undefined),
  };
}

function listFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name));
}

// rg exits 1 when nothing matched: not an error. rg does not look inside zip
// archives, so their members are piped to it with `unzip -p`.
function rgCommand(ds, req) {
  const dir = path.join(CORPUS_DIR, ds.store);
  const lit = path.join(CORPUS_DIR, req.literals);
  const base = { tool: `rg -F (${req.identifiers} literals)`, kind: 'rg', ids: req.identifiers, ok: (r) => r.code === 0 || r.code === 1 };
  const files = listFiles(dir);
  const zips = files.filter((f) => f.endsWith('.zip'));
  if (!zips.length) return { ...base, cmd: 'rg', args: [...RG_FLAGS, '-f', lit, '--', dir] };
  if (!hasUnzip) return { ...base, skip: 'rg skipped: `unzip` is not installed (apt-get install unzip)' };
  const rg = `rg ${RG_FLAGS.join(' ')} -f "$1"`;
  const lines = ['s=0', 'ok() { c=$?; [ "$c" -le 1 ] || s=$c; }'];
  if (shell === 'bash') lines.unshift('set -o pipefail');
  if (files.length > zips.length) lines.push(`${rg} -g '!*.zip' -- "$2"; ok`);
  zips.forEach((_, i) => lines.push(`unzip -p "\${${i + 3}}" | ${rg} -; ok`));
  lines.push('exit $s');
  const tool = files.length > zips.length ? `${base.tool} + unzip -p` : `unzip -p | ${base.tool}`;
  return { ...base, tool, cmd: shell, args: ['-c', lines.join('\n'), 'rg-zip', lit, dir, ...zips] };
}

// ---------------------------------------------------------------- report

const fmt = (x, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '' : x.toFixed(d));

function rowsFor(results) {
  return results.filter((r) => r.median).map((r) => {
    const mb = r.ds.bytes / MiB;
    const mbps = mb / r.median;
    const rg = results.find((x) => x.kind === 'rg' && x.ds === r.ds && x.median && x.ids === r.ids) ??
      results.find((x) => x.kind === 'rg' && x.ds === r.ds && x.median);
    return [
      // PDFs are read at well under 1 MB/s: two decimals there.
      r.ds.label, fmt(mb, 1), r.tool, fmt(r.median, 3), fmt(mbps, mbps < 10 ? 2 : 1),
      r.kind === 'dsr' && rg ? fmt(rg.median / r.median, 3) : '',
      fmt(r.ds.artifacts / r.median, 1), r.rssBytes ? fmt(r.rssBytes / MiB, 0) : '',
    ];
  });
}

const HEAD = ['Dataset', 'MB', 'Tool', 'Median s', 'MB/s', 'dsr/rg', 'Files/s', 'Peak RSS MB'];

function textTable(rows) {
  const w = HEAD.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 || i === 2 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(HEAD), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

function markdownTable(rows) {
  const line = (cells) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(HEAD), line(HEAD.map((_, i) => (i === 0 || i === 2 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------- main

const loadAtStart = os.loadavg().map((x) => x.toFixed(2)).join(' ');
const manifest = await ensureCorpus();
fs.mkdirSync(OUT, { recursive: true });

const tools = (process.env.BENCH_TOOLS ?? 'dsr,rg').split(',').map((s) => s.trim());
const dsrProblem = tools.includes('dsr') ? ensureDsr() : 'dsr not selected (BENCH_TOOLS)';
if (dsrProblem) note(dsrProblem);
if (!tools.includes('rg')) note('rg not selected (BENCH_TOOLS)');
else if (!rgVersion) note('rg comparison skipped: ripgrep is not installed (it comes from `apt-get install ripgrep`)');
if (!timeOk) note('/usr/bin/time -f %M is not available: rg peak RSS is left blank (apt-get install time)');

const wanted = process.env.BENCH_DATASETS?.split(',').map((s) => s.trim()).filter(Boolean);
const datasets = manifest.datasets.filter((d) => !wanted || wanted.includes(d.name));
const { small, large } = manifest.requests;
if (!datasets.some((d) => d.name === 'zip')) note('no zip dataset (the `zip` command was missing when the corpus was generated, or it was not selected)');

console.log(`\n${RUNS} timed runs per command, median reported. The OS page cache cannot be dropped here, so every` +
  ' command gets one untimed warm-up run first: all timings are warm-cache. Wall time is whole-process (spawn to exit).\n');

const results = [];
for (const ds of datasets) {
  console.log(`${ds.label}: ${(ds.bytes / MiB).toFixed(1)} MB, ${ds.artifacts} files (${ds.store})`);
  const commands = [];
  if (rgVersion && tools.includes('rg')) {
    commands.push(rgCommand(ds, small));
    if (ds.name === 'log') commands.push(rgCommand(ds, large));
  }
  if (!dsrProblem) {
    commands.push(dsrCommand('discover', ds, small));
    if (ds.name === 'log') commands.push(dsrCommand('discover', ds, large), dsrCommand('erase', ds, small));
  }
  for (const c of commands) {
    if (c.skip) { note(`${ds.label}: ${c.skip}`); continue; }
    const r = await bench(c);
    if (r.error) note(`${ds.label}: ${r.tool} failed: ${r.error}`);
    results.push({ ...r, ds });
  }
}
fs.rmSync(OUT, { recursive: true, force: true });

const rows = rowsFor(results);
console.log(`\n${textTable(rows)}\n`);

const zipDs = manifest.datasets.find((d) => d.name === 'zip');
const cpus = os.cpus();
const md = `# Benchmark results

Produced by \`npm run bench\` (bench/run.mjs); see bench/README.md for what the corpus holds and what the columns mean.

- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}
- Node: ${process.version}; ripgrep: ${rgVersion ?? 'not installed'}; ${os.platform()} ${os.release()}
- CPUs: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'}; memory ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; load average at start ${loadAtStart}
- BENCH_SCALE=${manifest.scale}, BENCH_SEED=${manifest.seed}, BENCH_RUNS=${RUNS}: median of ${RUNS} timed runs per row
- Warm cache: the OS page cache cannot be dropped, so each command had one untimed warm-up run before its timed runs
- Wall time is whole-process, spawn to exit; MB = 2^20 bytes of searched content${zipDs ? ` (zip members counted uncompressed; the bundle is ${(zipDs.diskBytes / MiB).toFixed(1)} MB on disk)` : ''}

${rows.length ? markdownTable(rows) : '_No command completed._'}
${notes.length ? `\nNotes:\n\n${notes.map((n) => `- ${n}`).join('\n')}\n` : ''}`;
fs.writeFileSync(RESULTS, md);
console.log(`wrote ${path.relative(process.cwd(), RESULTS)}`);
