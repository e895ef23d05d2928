/**
 * One run of a command over a store: walk, search each artifact, write the redacted copies,
 * findings, report and audit trail. Every artifact in scope ends in exactly one state.
 */
import { once } from 'node:events';
import { createHash, randomBytes, scrypt as scryptCb } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { PassThrough, type Writable } from 'node:stream';
import { promisify } from 'node:util';
import path from 'node:path';
import pLimit from 'p-limit';
import { Matcher } from './scan/matcher.js';
import { listStore, type StoreEntry } from './store.js';
import { handlerFor } from './formats/registry.js';
import { readHead } from './formats/stream-util.js';
import {
  ArtifactProblem,
  DEFAULT_LIMITS,
  HEAD_BYTES,
  type ArtifactSource,
  type HandlerContext,
  type HandlerMatch,
  type Limits,
  type MemberOutcome,
} from './formats/types.js';
import { AtomicWriter } from './output/atomic.js';
import { AuditLog } from './output/audit.js';
import { FindingsFile } from './output/findings-file.js';
import { Journal, type JournalEntry } from './output/journal.js';
import { totalsOf, type Report, type Totals } from './output/report.js';
import { sha256File } from './output/hash.js';
import type { LoadedRequest } from './request.js';
import { IDENTIFIER_KINDS, zeroCounts, type ArtifactRecord, type Finding, type IdentifierKind } from './types.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;

export type Command = 'discover' | 'erase';

export interface JobOptions {
  command: Command;
  store: string;
  request: LoadedRequest;
  out: string;
  concurrency?: number;
  limits?: Partial<Limits>;
  /** Called as bytes of top-level artifacts are read. */
  onProgress?: (p: { artifactsDone: number; artifactsTotal: number; bytesDone: number; bytesTotal: number }) => void;
}

export interface RunSummary {
  command: Command;
  requestId: string | null;
  out: string;
  totals: Totals;
  exitCode: 0 | 1;
  seconds: number;
  peakRssBytes: number;
}

/** A problem with how the job was asked for (exit status 2). */
export class UsageError extends Error {}

const STATE_DIR = '.dsr';

export async function runJob(options: JobOptions): Promise<RunSummary> {
  const started = process.hrtime.bigint();
  const out = path.resolve(options.out);
  const stateDir = path.join(out, STATE_DIR);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { request, identifiers } = options.request;

  let storeReal: string;
  try {
    storeReal = path.resolve(options.store);
    if (!(await stat(storeReal)).isDirectory()) throw new Error();
  } catch {
    throw new UsageError('--store is not a readable folder');
  }
  if (out === storeReal || out.startsWith(storeReal + path.sep)) throw new UsageError('--out must not be inside the store: the store is never modified');

  await mkdir(path.join(stateDir, 'findings'), { recursive: true });
  await checkSameRun(stateDir, options);

  const atomic = new AtomicWriter(path.join(stateDir, 'tmp'));
  const audit = new AuditLog(path.join(out, 'audit.jsonl'));
  await audit.open();
  await audit.record({ event: 'run-start', command: options.command, requestId: request.id ?? null, tool: `${TOOL_NAME} ${TOOL_VERSION}` });

  const listing = await listStore(storeReal, request.scope?.engagements);
  const journal = await Journal.open(path.join(stateDir, 'journal.jsonl'));
  const matcher = new Matcher(identifiers, { phoneRegion: request.subject.phoneRegion });
  const placeholder = (id: number): string | null => `[REDACTED:${identifiers[id]!.kind}]`;

  const bytesTotal = listing.entries.reduce((sum, e) => sum + e.size, 0);
  const progress = { artifactsDone: 0, artifactsTotal: listing.entries.length, bytesDone: 0, bytesTotal };
  const tick = () => options.onProgress?.(progress);

  const worker = new ArtifactWorker(options.command, matcher, limits, placeholder, stateDir, out, atomic, audit, (n) => {
    progress.bytesDone += n;
    tick();
  });

  const limit = pLimit(Math.max(1, options.concurrency ?? 2));
  const entries: JournalEntry[] = await Promise.all(
    listing.entries.map((entry) =>
      limit(async () => {
        const reused = await reusable(journal.entries.get(entry.artifact), entry, options.command, out);
        const result = reused ?? (await worker.process(entry));
        if (!reused) await journal.append(result);
        else progress.bytesDone += entry.size;
        progress.artifactsDone++;
        tick();
        return result;
      }),
    ),
  );

  const records = entries.flatMap((e) => e.records);
  const outside = listing.outside.map((e) => skippedRecord(e, e.skip ?? 'not inside an engagement folder'));
  for (const r of outside) await audit.record({ event: 'skip', path: r.artifact, reason: r.reason });

  // findings.jsonl: artifacts in store order, matches in the order they occur.
  const findingsTmp = await atomic.tempPath();
  const sink = createWriteStream(findingsTmp);
  for (const entry of entries) {
    const file = path.join(stateDir, 'findings', entry.findings);
    if (existsSync(file)) for await (const chunk of createReadStream(file)) if (!sink.write(chunk)) await once(sink, 'drain');
  }
  sink.end();
  await finished(sink);
  await atomic.commit(findingsTmp, path.join(out, 'findings.jsonl'));
  await auditWrite(audit, out, 'findings.jsonl');

  const report: Report = {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    command: options.command,
    request: {
      id: request.id ?? null,
      identifiers: Object.fromEntries(IDENTIFIER_KINDS.map((k) => [k, identifiers.filter((i) => i.kind === k).length])) as Record<IdentifierKind, number>,
    },
    scope: { engagements: request.scope?.engagements ?? 'all', missing: listing.missing },
    totals: totalsOf([...records, ...outside]),
    engagements: listing.engagements.map((engagement) => {
      const artifacts = records.filter((r) => r.engagement === engagement);
      return { engagement, totals: totalsOf(artifacts), artifacts };
    }),
    outsideEngagements: outside,
  };
  await atomic.writeFile(path.join(out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  await auditWrite(audit, out, 'report.json');

  const exitCode = report.totals.failed > 0 ? 1 : 0;
  await audit.record({ event: 'run-end', exitCode, artifacts: report.totals.artifacts, failed: report.totals.failed });
  await audit.flush();
  return {
    command: options.command,
    requestId: request.id ?? null,
    out,
    totals: report.totals,
    exitCode,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

/**
 * A second run into the same --out must be the same job. The request is compared by a salted,
 * deliberately slow hash so that the state folder does not let anyone confirm a guessed value.
 */
async function checkSameRun(stateDir: string, options: JobOptions): Promise<void> {
  const file = path.join(stateDir, 'run.json');
  const canonical = JSON.stringify(options.request.request);
  let previous: { command: string; store: string; salt: string; fingerprint: string } | undefined;
  try {
    previous = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    /* first run into this folder */
  }
  const store = path.resolve(options.store);
  if (previous) {
    const fingerprint = (await scrypt(canonical, Buffer.from(previous.salt, 'hex'), 32)).toString('hex');
    if (previous.command !== options.command || previous.store !== store || previous.fingerprint !== fingerprint) {
      throw new UsageError('--out holds a run of another command, store or request; choose a new --out');
    }
    return;
  }
  const salt = randomBytes(16);
  const fingerprint = (await scrypt(canonical, salt, 32)).toString('hex');
  await writeFile(file, JSON.stringify({ command: options.command, store, salt: salt.toString('hex'), fingerprint }) + '\n');
}

async function reusable(prior: JournalEntry | undefined, entry: StoreEntry, command: Command, out: string): Promise<JournalEntry | undefined> {
  if (!prior || prior.size !== entry.size || prior.mtimeMs !== entry.mtimeMs) return undefined;
  if (command === 'erase') {
    for (const r of prior.records) {
      if (r.redacted && !existsSync(path.join(out, 'redacted', r.redacted.path))) return undefined;
    }
  }
  return prior;
}

async function auditWrite(audit: AuditLog, out: string, rel: string): Promise<void> {
  const { sha256, bytes } = await sha256File(path.join(out, rel));
  await audit.record({ event: 'write', path: rel, sha256, bytes });
}

function skippedRecord(entry: StoreEntry, reason: string): ArtifactRecord {
  return { engagement: entry.engagement, artifact: entry.artifact, status: 'skipped', reason, bytes: entry.size, matches: zeroCounts() };
}

function newRecord(source: ArtifactSource): ArtifactRecord {
  return { engagement: source.engagement, artifact: source.path, status: 'scanned', bytes: source.size, matches: zeroCounts() };
}

/** Reads one file of the store, hashing and counting what passes through. */
function fileSource(entry: StoreEntry, head: Buffer, onRead: (n: number) => void, hashed: (sha: string) => void): ArtifactSource {
  let first = true;
  return {
    engagement: entry.engagement,
    path: entry.artifact,
    size: entry.size,
    head,
    depth: 0,
    open() {
      const stream = createReadStream(entry.absolute, { highWaterMark: 1 << 20 });
      if (!first) return stream;
      // The first full read also yields the SHA-256 and the progress count.
      first = false;
      const hash = createHash('sha256');
      let bytes = 0;
      stream.on('data', (data: string | Buffer) => {
        const chunk = data as Buffer;
        hash.update(chunk);
        bytes += chunk.length;
        onRead(chunk.length);
      });
      stream.on('end', () => {
        if (bytes === entry.size) hashed(hash.digest('hex'));
      });
      return stream;
    },
  };
}

class ArtifactWorker {
  constructor(
    private readonly command: Command,
    private readonly matcher: Matcher,
    private readonly limits: Limits,
    private readonly placeholder: (id: number) => string | null,
    private readonly stateDir: string,
    private readonly out: string,
    private readonly atomic: AtomicWriter,
    private readonly audit: AuditLog,
    private readonly onRead: (n: number) => void,
  ) {}

  async process(entry: StoreEntry): Promise<JournalEntry> {
    const findingsName = createHash('sha1').update(entry.artifact).digest('hex') + '.jsonl';
    const base = { artifact: entry.artifact, size: entry.size, mtimeMs: entry.mtimeMs, findings: findingsName };
    if (entry.skip) {
      await this.audit.record({ event: 'skip', path: entry.artifact, reason: entry.skip });
      return { ...base, records: [skippedRecord(entry, entry.skip)] };
    }
    const findings = new FindingsFile(path.join(this.stateDir, 'findings', findingsName));
    const records = new Map<string, ArtifactRecord>();
    const ctx = this.context(findings, records);
    let sha256: string | undefined;
    let record: ArtifactRecord;
    try {
      const head = await readHead(createReadStream(entry.absolute, { end: HEAD_BYTES - 1 }), HEAD_BYTES);
      const source = fileSource(entry, head, this.onRead, (sha) => (sha256 = sha));
      record = newRecord(source);
      records.set(source.path, record);
      await this.run(source, ctx, record, entry);
    } catch (err) {
      record = records.get(entry.artifact) ?? skippedRecord(entry, '');
      this.fail(record, err);
    } finally {
      findings.close();
    }
    sha256 ??= (await sha256File(entry.absolute)).sha256;
    record.sha256 = sha256;
    await this.audit.record({ event: 'read', path: entry.artifact, sha256, bytes: entry.size });
    if (record.redacted) await this.audit.record({ event: 'write', path: `redacted/${record.redacted.path}`, sha256: record.redacted.sha256, bytes: record.redacted.bytes });
    // The artifact's own record first, then its members in the order they were met.
    const all = [record, ...[...records.values()].filter((r) => r !== record)];
    return { ...base, records: all };
  }

  private fail(record: ArtifactRecord, err: unknown): void {
    if (err instanceof ArtifactProblem) {
      record.status = err.status;
      record.reason = this.matcher.scrub(err.reason);
    } else {
      record.status = 'failed';
      const e = err as NodeJS.ErrnoException;
      // Library messages may quote content: scrub identifiers out before they reach the report.
      record.reason = this.matcher.scrub(e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? err));
    }
    delete record.redacted;
  }

  /** Search one artifact; when erasing, write and verify its redacted copy. */
  private async run(source: ArtifactSource, ctx: HandlerContext, record: ArtifactRecord, entry: StoreEntry): Promise<void> {
    const handler = handlerFor(source.head, source.path);
    if (!handler) throw new ArtifactProblem('skipped', 'unrecognised format (binary content without a reader)');
    if (this.command === 'discover') {
      const outcome = await handler.process(source, ctx);
      Object.assign(record, { format: outcome.format, ...(outcome.encoding ? { encoding: outcome.encoding } : {}), ...(outcome.notes ? { notes: outcome.notes } : {}) });
      return;
    }
    const tmp = await this.atomic.tempPath();
    const sink = createWriteStream(tmp);
    try {
      const outcome = await handler.process(source, ctx, sink);
      sink.end();
      await finished(sink);
      Object.assign(record, { format: outcome.format, ...(outcome.encoding ? { encoding: outcome.encoding } : {}), ...(outcome.notes ? { notes: outcome.notes } : {}) });
      const target = path.join(this.out, 'redacted', ...entry.artifact.split('/'));
      const rel = entry.artifact;
      if (outcome.spans === 0 && totalMatches(record) === 0) {
        // Nothing to erase: the copy is the original, byte for byte.
        await this.atomic.discard(tmp);
        await this.atomic.copy(entry.absolute, target);
        const { sha256, bytes } = await sha256File(target);
        record.redacted = { path: rel, sha256, bytes, spans: 0, verified: true };
        return;
      }
      const residual = await this.verify(tmp, source);
      if (residual > 0) throw new ArtifactProblem('failed', `redacted copy still holds ${residual} match(es); not written`);
      await this.atomic.commit(tmp, target);
      const { sha256, bytes } = await sha256File(target);
      record.redacted = { path: rel, sha256, bytes, spans: outcome.spans, verified: true };
    } catch (err) {
      sink.destroy();
      await this.atomic.discard(tmp);
      throw err;
    }
  }

  /** Re-read a redacted copy through the same readers, independently of how it was written. */
  private async verify(file: string, original: ArtifactSource): Promise<number> {
    const head = await readHead(createReadStream(file, { end: HEAD_BYTES - 1 }), HEAD_BYTES);
    const handler = handlerFor(head, original.path);
    if (!handler) throw new ArtifactProblem('failed', 'redacted copy is not readable as its own format');
    const size = (await stat(file)).size;
    let residual = 0;
    const ctx: HandlerContext = {
      ...this.context(undefined, new Map()),
      found: () => residual++,
    };
    await handler.process({ ...original, head, size, open: () => createReadStream(file, { highWaterMark: 1 << 20 }) }, ctx);
    return residual;
  }

  private context(findings: FindingsFile | undefined, records: Map<string, ArtifactRecord>): HandlerContext {
    const identifiers = this.matcher.identifiers;
    const ctx: HandlerContext = {
      matcher: this.matcher,
      limits: this.limits,
      placeholder: this.placeholder,
      handlerFor,
      found: (source: ArtifactSource, m: HandlerMatch) => {
        const identifier = identifiers[m.id]!;
        const finding: Finding = {
          engagement: source.engagement,
          artifact: source.path,
          identifier: { kind: identifier.kind, index: identifier.index },
          locator: m.locator,
          variant: m.variant,
        };
        findings?.add(finding);
        const record = records.get(source.path);
        if (record) record.matches[identifier.kind]++;
      },
      member: (source, redact) => this.member(source, redact, ctx, records),
    };
    return ctx;
  }

  /** A member of a container: its own record, searched (and redacted into memory) like a file. */
  private async member(source: ArtifactSource, redact: boolean, ctx: HandlerContext, records: Map<string, ArtifactRecord>): Promise<MemberOutcome> {
    const record = newRecord(source);
    records.set(source.path, record);
    try {
      if (source.depth > this.limits.maxDepth) throw new ArtifactProblem('skipped', `nested deeper than ${this.limits.maxDepth} containers`);
      const handler = handlerFor(source.head, source.path);
      if (!handler) throw new ArtifactProblem('skipped', 'unrecognised format (binary content without a reader)');
      const chunks: Buffer[] = [];
      const sink: Writable | undefined = redact ? new PassThrough() : undefined;
      sink?.on('data', (c: Buffer) => chunks.push(c));
      const outcome = await handler.process(source, ctx, sink);
      sink?.end();
      Object.assign(record, { format: outcome.format, ...(outcome.encoding ? { encoding: outcome.encoding } : {}) });
      return { record, ...(redact && outcome.spans > 0 ? { redacted: Buffer.concat(chunks) } : {}) };
    } catch (err) {
      this.fail(record, err);
      return { record };
    }
  }
}

function totalMatches(record: ArtifactRecord): number {
  return IDENTIFIER_KINDS.reduce((sum, k) => sum + record.matches[k], 0);
}
