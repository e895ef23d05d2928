/**
 * One run of a command over a store: walk, search each artifact, write the redacted copies,
 * findings, report and audit trail. Every artifact in scope ends in exactly one state.
 */
import { once } from 'node:events';
import { createHash, randomBytes, scrypt as scryptCb, type KeyObject } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { PassThrough, type Writable } from 'node:stream';
import { promisify } from 'node:util';
import path from 'node:path';
import pLimit from 'p-limit';
import { Matcher, type SpanFinder } from './scan/matcher.js';
import { hideIdentifiersInPaths, hideInName, listStore, type StoreEntry } from './store.js';
import { handlerFor } from './formats/registry.js';
import { readFileHead, readHead, streamOf } from './formats/stream-util.js';
import {
  ArtifactProblem,
  DEFAULT_LIMITS,
  HEAD_BYTES,
  type ArtifactSource,
  type FormatHandler,
  type HandlerContext,
  type HandlerMatch,
  type Limits,
  type MemberOutcome,
} from './formats/types.js';
import { AtomicWriter, type PendingFile, type Written } from './output/atomic.js';
import { AuditLog, writeEvent } from './output/audit.js';
import { encryptionFor } from './crypto/age.js';
import { writeAttestation } from './crypto/attestation.js';
import { FindingsFile, type ReadPacing } from './output/findings-file.js';
import { Journal, type JournalEntry } from './output/journal.js';
import { totalsOf, type Report, type Totals } from './output/report.js';
import { Hashing, sha256File } from './output/hash.js';
import type { LoadedRequest } from './request.js';
import { IDENTIFIER_KINDS, zeroCounts, type ArtifactRecord, type Finding, type IdentifierKind } from './types.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';
import { UsageError } from './errors.js';
import type { Detection } from './detect/detection.js';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;

export type Command = 'discover' | 'erase' | 'access' | 'export';

/** What the export bundle is written from, after report.json. */
export interface BundleContext {
  out: string;
  atomic: AtomicWriter;
  report: Report;
  matcher: Matcher;
  /** The file an artifact of the report was read from (its report name may be hidden). */
  fileOf(artifact: string): string | undefined;
}

export interface JobOptions {
  command: Command;
  store: string;
  request: LoadedRequest;
  out: string;
  concurrency?: number;
  limits?: Partial<Limits>;
  /** age recipients (`age1…`): every file written under --out is encrypted to them (`.age`). */
  encryptTo?: string[];
  /** erase: Ed25519 private key; also writes attestation.json and its signature attestation.sig. */
  signKey?: KeyObject;
  /** discover: also count other people's personal data and secrets per type (access always does). */
  detect?: boolean;
  /** Called as bytes of top-level artifacts are read. */
  onProgress?: (p: { artifactsDone: number; artifactsTotal: number; bytesDone: number; bytesTotal: number }) => void;
  /** export: writes the command's own files after report.json (through `atomic`), returns what it wrote. */
  bundle?: (ctx: BundleContext) => Promise<Written[]>;
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


const STATE_DIR = '.dsr';
/** Times erase redacts its own copy again when replacing identifiers uncovered others. */
const MAX_REDACTION_ROUNDS = 3;

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
  if (options.signKey && options.command !== 'erase') throw new UsageError('a signed attestation is written by erase only');
  const encryption = await encryptionFor(options.encryptTo);

  await mkdir(path.join(stateDir, 'findings'), { recursive: true });
  await checkSameRun(stateDir, options);

  const atomic = new AtomicWriter(path.join(stateDir, 'tmp'), encryption);
  const audit = new AuditLog(path.join(out, 'audit.jsonl'));
  await audit.open();
  // The audit log and the journal stay open for the run, and are closed however it ends.
  let journal: Journal | undefined;
  try {
    await audit.record({ event: 'run-start', command: options.command, requestId: request.id ?? null, tool: `${TOOL_NAME} ${TOOL_VERSION}` });

    const listing = await listStore(storeReal, request.scope?.engagements);
    const matcher = new Matcher(identifiers, { phoneRegion: request.subject.phoneRegion });
    const scrub = (text: string) => matcher.scrub(text);
    hideIdentifiersInPaths(listing, scrub);
    // access and discover --detect also look for other people's personal data (src/detect); the
    // detectors load only then.
    const detection = options.command === 'access' || options.detect ? await (await import('./detect/detection.js')).Detection.start(matcher) : undefined;
    // A restarted run reuses the journal's lines, except when it cannot: with encrypted outputs (the
    // journal says which artifacts mention the subject, and the run cannot read back what it
    // encrypted to the operator), and with detection (distinct counts need every value of the run
    // in memory). Those runs process every artifact again and end with the same outputs.
    journal = encryption || detection ? undefined : await Journal.open(path.join(stateDir, 'journal.jsonl'));
    // Detector hits become `[TYPE]`; an access copy keeps the subject's own matches.
    const placeholder = (id: number): string | null => {
      if (detection && !detection.isSubject(id)) return detection.placeholder(id);
      return options.command === 'access' ? null : `[REDACTED:${identifiers[id]!.kind}]`;
    };

    const bytesTotal = listing.entries.reduce((sum, e) => sum + e.size, 0);
    const progress = { artifactsDone: 0, artifactsTotal: listing.entries.length, bytesDone: 0, bytesTotal };
    const tick = () => options.onProgress?.(progress);

    // Findings parts of an earlier run into this --out: those of artifacts processed again go.
    const staleParts = new Set(await readdir(path.join(stateDir, 'findings')));
    const worker = new ArtifactWorker(options.command, matcher, limits, placeholder, stateDir, staleParts, out, atomic, audit, (n) => {
      progress.bytesDone += n;
      tick();
    }, detection);

    const limit = pLimit(Math.max(1, options.concurrency ?? 2));
    const entries: JournalEntry[] = await Promise.all(
      listing.entries.map((entry) =>
        limit(async () => {
          const reused = journal && (await reusable(journal.entries.get(entry.artifact), entry, options.command, out));
          const result = reused || (await worker.process(entry));
          if (!reused) await journal?.append(result);
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
    const findingsOut = await atomic.create();
    const sink = findingsOut.stream;
    for (const entry of entries) {
      const file = path.join(stateDir, 'findings', entry.findings);
      if (existsSync(file)) for await (const chunk of atomic.readState(file)) if (!sink.write(chunk)) await once(sink, 'drain');
    }
    await audit.record(writeEvent(out, await atomic.commit(findingsOut, path.join(out, 'findings.jsonl'))));

    const report: Report = {
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      command: options.command,
      request: {
        id: request.id ?? null,
        identifiers: Object.fromEntries(IDENTIFIER_KINDS.map((k) => [k, identifiers.filter((i) => i.kind === k).length])) as Record<IdentifierKind, number>,
      },
      scope: { engagements: request.scope?.engagements.map((e) => hideInName(e, scrub)) ?? 'all', missing: listing.missing },
      totals: totalsOf([...records, ...outside]),
      engagements: listing.engagements.map((engagement) => {
        const artifacts = records.filter((r) => r.engagement === engagement);
        return { engagement, totals: totalsOf(artifacts), artifacts };
      }),
      outsideEngagements: outside,
    };
    detection?.annotate(report);
    await audit.record(writeEvent(out, await atomic.writeFile(path.join(out, 'report.json'), JSON.stringify(report, null, 2) + '\n')));
    if (options.bundle) {
      // Report names may be hidden ([REDACTED] for an identifier in a name): files are found by the listing.
      const files = new Map(listing.entries.map((e) => [e.artifact, e.absolute]));
      const context = { out, atomic, report, matcher, fileOf: (artifact: string) => files.get(artifact) };
      for (const written of await options.bundle(context)) await audit.record(writeEvent(out, written));
    }
    if (options.signKey) {
      for (const written of await writeAttestation({ out, report, audit, atomic, key: options.signKey })) await audit.record(writeEvent(out, written));
    }

    const exitCode = report.totals.failed > 0 ? 1 : 0;
    await audit.record({ event: 'run-end', exitCode, artifacts: report.totals.artifacts, failed: report.totals.failed });
    await journal?.close();
    await audit.close();
    return {
      command: options.command,
      requestId: request.id ?? null,
      out,
      totals: report.totals,
      exitCode,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    await Promise.allSettled([journal?.close(), audit.close()]);
  }
}

/**
 * A second run into the same --out must be the same job. The request is compared by a salted,
 * deliberately slow hash so that the state folder does not let anyone confirm a guessed value.
 */
async function checkSameRun(stateDir: string, options: JobOptions): Promise<void> {
  const file = path.join(stateDir, 'run.json');
  const canonical = JSON.stringify(options.request.request);
  let previous: { command: string; store: string; salt: string; fingerprint: string; encryptTo?: string[] } | undefined;
  try {
    previous = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    /* first run into this folder */
  }
  const store = path.resolve(options.store);
  // Clear and encrypted outputs (or outputs for other recipients) must not mix in one folder.
  const encryptTo = [...(options.encryptTo ?? [])].map((r) => r.trim()).sort();
  if (previous) {
    const fingerprint = (await scrypt(canonical, Buffer.from(previous.salt, 'hex'), 32)).toString('hex');
    if (previous.command !== runLabel(options) || previous.store !== store || previous.fingerprint !== fingerprint) {
      throw new UsageError('--out holds a run of another command, store or request; choose a new --out');
    }
    if (JSON.stringify(previous.encryptTo ?? []) !== JSON.stringify(encryptTo)) throw new UsageError('--out holds a run with other --encrypt-to recipients; choose a new --out');
    return;
  }
  const salt = randomBytes(16);
  const fingerprint = (await scrypt(canonical, salt, 32)).toString('hex');
  await writeFile(file, JSON.stringify({ command: runLabel(options), store, salt: salt.toString('hex'), fingerprint, encryptTo }) + '\n');
}

/** The command as run.json records it: a discover with --detect writes other outputs than one without. */
function runLabel(options: JobOptions): string {
  return options.command === 'discover' && options.detect ? 'discover --detect' : options.command;
}

async function reusable(prior: JournalEntry | undefined, entry: StoreEntry, command: Command, out: string): Promise<JournalEntry | undefined> {
  if (!prior || prior.size !== entry.size || prior.mtimeMs !== entry.mtimeMs) return undefined;
  if (command !== 'discover') {
    for (const r of prior.records) {
      if (r.redacted && !existsSync(path.join(out, copyFolder(command), r.redacted.path))) return undefined;
    }
  }
  return prior;
}

/** Where a command writes its copies of the store. */
function copyFolder(command: Command): string {
  return command === 'access' ? 'access' : 'redacted';
}

function skippedRecord(entry: StoreEntry, reason: string): ArtifactRecord {
  return { engagement: entry.engagement, artifact: entry.artifact, status: 'skipped', reason, bytes: entry.size, matches: zeroCounts() };
}

function newRecord(source: ArtifactSource): ArtifactRecord {
  return { engagement: source.engagement, artifact: source.path, status: 'scanned', bytes: source.size, matches: zeroCounts() };
}

/** A file of the store that was read whole (it is no larger than its head). */
function memorySource(entry: StoreEntry, content: Buffer): ArtifactSource {
  return { engagement: entry.engagement, path: entry.artifact, size: entry.size, head: content, depth: 0, file: entry.absolute, open: () => streamOf(content) };
}

/** Reads one file of the store, hashing and counting what passes through. */
function fileSource(entry: StoreEntry, head: Buffer, onRead: (n: number) => void, hashed: (sha: string) => void, pacing?: ReadPacing): ArtifactSource {
  let first = true;
  return {
    engagement: entry.engagement,
    path: entry.artifact,
    size: entry.size,
    head,
    depth: 0,
    file: entry.absolute,
    async readThrough() {
      if (!first) return;
      first = false;
      try {
        const digest = await sha256File(entry.absolute, onRead);
        if (digest.bytes === entry.size) hashed(digest.sha256);
      } catch {
        // The reader's own reads report the failure; the digest is taken again at the end.
      }
    },
    open() {
      const stream = createReadStream(entry.absolute, { highWaterMark: 1 << 20, fs: pacing });
      if (!first) return stream;
      // The first full read also yields the SHA-256 and the progress count. A transform, not a
      // 'data' listener: that would set the stream flowing, and a reader that pulls at its own
      // pace (the range-parallel erase) would miss chunks.
      first = false;
      const tap = new Hashing((chunk) => onRead(chunk.length));
      tap.on('end', () => {
        if (tap.bytes === entry.size) hashed(tap.digest().sha256);
      });
      stream.on('error', (err) => tap.destroy(err));
      tap.on('close', () => stream.destroy());
      return stream.pipe(tap);
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
    /** Names of findings parts an earlier run left in the state folder. */
    private readonly staleParts: Set<string>,
    private readonly out: string,
    private readonly atomic: AtomicWriter,
    private readonly audit: AuditLog,
    private readonly onRead: (n: number) => void,
    private readonly detection?: Detection,
  ) {}

  async process(entry: StoreEntry): Promise<JournalEntry> {
    const findingsName = createHash('sha1').update(entry.artifact).digest('hex') + '.jsonl';
    const base = { artifact: entry.artifact, size: entry.size, mtimeMs: entry.mtimeMs, findings: findingsName };
    const findingsFile = path.join(this.stateDir, 'findings', findingsName);
    // A findings part left by an earlier run must not reach findings.jsonl (this run writes one
    // only for an artifact with findings).
    if (this.staleParts.delete(findingsName)) await rm(findingsFile, { force: true });
    if (entry.skip) {
      await this.audit.record({ event: 'skip', path: entry.artifact, reason: entry.skip });
      return { ...base, records: [skippedRecord(entry, entry.skip)] };
    }
    const findings = FindingsFile.open(findingsFile, this.atomic);
    const records = new Map<string, ArtifactRecord>();
    const ctx = this.context(findings, records);
    let sha256: string | undefined;
    let record: ArtifactRecord;
    let written: Written | undefined;
    try {
      const head = await readFileHead(entry.absolute, HEAD_BYTES);
      let source: ArtifactSource;
      const whole = head.length < HEAD_BYTES && head.length === entry.size;
      if (whole) {
        // The head is the whole file (most files of many stores): it is read once, and searched
        // and hashed from memory.
        sha256 = createHash('sha256').update(head).digest('hex');
        this.onRead(head.length);
        source = memorySource(entry, head);
      } else {
        source = fileSource(entry, head, this.onRead, (sha) => (sha256 = sha), findings.readPacing());
      }
      record = newRecord(source);
      records.set(source.path, record);
      written = await this.run(source, ctx, record, entry, whole ? head : undefined);
    } catch (err) {
      record = records.get(entry.artifact) ?? skippedRecord(entry, '');
      this.fail(record, err);
    } finally {
      await findings.close();
    }
    sha256 ??= (await sha256File(entry.absolute)).sha256;
    record.sha256 = sha256;
    if (entry.renamed) (record.notes ??= []).push('its name in the store holds an identifier: reported (and copied) under this name');
    await this.audit.record({ event: 'read', path: entry.artifact, sha256, bytes: entry.size });
    if (written) await this.audit.record(writeEvent(this.out, written));
    // The artifact's own record first, then its members in the order they were met.
    const all = [record, ...[...records.values()].filter((r) => r !== record)];
    for (const r of all) {
      const detected = this.detection?.recordCounts(r.artifact);
      if (detected) r.detected = detected;
    }
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
  /** `content` is the artifact's bytes when it was read whole. */
  private async run(source: ArtifactSource, ctx: HandlerContext, record: ArtifactRecord, entry: StoreEntry, content?: Buffer): Promise<Written | undefined> {
    const handler = handlerFor(source.head, source.path);
    if (!handler) throw new ArtifactProblem('skipped', 'unrecognised format (binary content without a reader)');
    // export searches like discover; its bundle is written after the run (options.bundle).
    if (this.command === 'discover' || this.command === 'export') {
      const outcome = await handler.process(source, ctx);
      Object.assign(record, { format: outcome.format, ...(outcome.encoding ? { encoding: outcome.encoding } : {}), ...(outcome.notes ? { notes: outcome.notes } : {}) });
      return undefined;
    }
    const tmp = await this.atomic.create({ reread: true });
    let current = tmp;
    try {
      const outcome = await handler.process(source, ctx, tmp.stream);
      await tmp.close();
      let spans = outcome.spans;
      Object.assign(record, { format: outcome.format, ...(outcome.encoding ? { encoding: outcome.encoding } : {}), ...(outcome.notes ? { notes: outcome.notes } : {}) });
      let target = path.join(this.out, copyFolder(this.command), ...entry.artifact.split('/'));
      let rel = entry.artifact;
      const subjectMatches = this.detection?.subjectMatches(entry.artifact) ?? 0;
      if (this.command === 'access' && subjectMatches === 0) {
        // An access response holds only the artifacts that mention the subject.
        await this.atomic.discard(tmp);
        return undefined;
      }
      if (outcome.spans === 0 && totalMatches(record) === 0) {
        // Nothing to erase: the copy is the original, byte for byte. Read whole, it is written from
        // memory (exactly the bytes searched and hashed, hashed again as written, no second read).
        await this.atomic.discard(tmp);
        const written = content ? await this.atomic.writeFile(target, content) : await this.atomic.copy(entry.absolute, target);
        record.redacted = { path: rel, sha256: written.sha256, bytes: written.bytes, spans: 0, verified: true };
        return written;
      }
      let { residual, kept } = await this.verify(current, source);
      // Replacing one identifier can uncover another: in `9f3a2c71be04d5e6.4155550115` the phone
      // number is part of a longer digit run until the id before it is gone. Erase redacts the
      // copy again (a few times at most) rather than refuse it.
      for (let round = 0; residual > 0 && this.command === 'erase' && round < MAX_REDACTION_ROUNDS; round++) {
        const again = await this.redactAgain(handler, source, current);
        await this.atomic.discard(current);
        current = again.file;
        spans += again.spans;
        ({ residual, kept } = await this.verify(current, source));
      }
      if (residual > 0) throw new ArtifactProblem('failed', `redacted copy still holds ${residual} match(es); not written`);
      if (this.command === 'access' && kept !== subjectMatches) {
        throw new ArtifactProblem('failed', `access copy holds ${kept} of the subject's ${subjectMatches} match(es); not written`);
      }
      if (outcome.writtenAs) {
        // The copy is in another format (an Outlook .msg becomes .eml): it goes beside the original path.
        target += outcome.writtenAs;
        rel += outcome.writtenAs;
        record.notes = [...(record.notes ?? []), `redacted copy written as ${outcome.writtenAs} (this format cannot be rewritten faithfully)`];
      }
      const written = await this.atomic.commit(current, target);
      record.redacted = { path: rel, sha256: written.sha256, bytes: written.bytes, spans, verified: true };
      return written;
    } catch (err) {
      await this.atomic.discard(current);
      throw err;
    }
  }

  /** Redact a redacted copy once more, without reporting what it finds as findings. */
  private async redactAgain(handler: FormatHandler, original: ArtifactSource, file: PendingFile): Promise<{ file: PendingFile; spans: number }> {
    const next = await this.atomic.create({ reread: true });
    const { source } = await this.reread(file, original);
    const outcome = await handler.process(source, this.rereadContext(() => {}), next.stream);
    await next.close();
    return { file: next, spans: outcome.spans };
  }

  /** Re-read a redacted copy through the same readers, independently of how it was written. */
  private async verify(file: PendingFile, original: ArtifactSource): Promise<{ residual: number; kept: number }> {
    const { source, handler } = await this.reread(file, original);
    if (!handler) throw new ArtifactProblem('failed', 'redacted copy is not readable as its own format');
    let residual = 0;
    let kept = 0;
    // An access copy keeps the subject's matches; only other detected data counts as residual.
    const keeps = (id: number) => this.command === 'access' && !!this.detection?.isSubject(id);
    await handler.process(source, this.rereadContext((_source, m) => (keeps(m.id) ? kept++ : residual++)));
    return { residual, kept };
  }

  /** A copy being written, as a source in the original's place, and the reader its content calls for. */
  private async reread(file: PendingFile, original: ArtifactSource): Promise<{ source: ArtifactSource; handler: FormatHandler | undefined }> {
    const head = await readHead(file.open(), HEAD_BYTES);
    const source = { ...original, head, size: file.bytes, open: () => file.open(), file: file.clearFile, readThrough: undefined };
    return { source, handler: handlerFor(head, original.path) };
  }

  /** The context for re-reading a copy: matches go to `found` only, members' included. */
  private rereadContext(found: HandlerContext['found']): HandlerContext {
    const ctx: HandlerContext = { ...this.context(undefined, new Map()), found };
    ctx.member = (member, redact) => this.member(member, redact, ctx, new Map());
    return ctx;
  }

  private context(findings: FindingsFile | undefined, records: Map<string, ArtifactRecord>): HandlerContext {
    const finder: SpanFinder = this.detection?.finder ?? this.matcher;
    const identifiers = this.matcher.identifiers;
    const ctx: HandlerContext = {
      // Written forms everywhere; the text reader takes the spoken ones for transcripts.
      matcher: finder.written(),
      ...(finder.written() !== finder ? { transcriptMatcher: finder } : {}),
      limits: this.limits,
      placeholder: this.placeholder,
      handlerFor,
      found: (source: ArtifactSource, m: HandlerMatch) => {
        if (this.detection?.found(source, m)) return;
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
      if (source.unreadable) throw source.unreadable;
      if (source.depth > this.limits.maxDepth) throw new ArtifactProblem('skipped', `nested deeper than ${this.limits.maxDepth} containers`);
      const handler = handlerFor(source.head, source.path);
      if (!handler) throw new ArtifactProblem('skipped', 'unrecognised format (binary content without a reader)');
      const chunks: Buffer[] = [];
      const sink: Writable | undefined = redact ? new PassThrough() : undefined;
      sink?.on('data', (c: Buffer) => chunks.push(c));
      const outcome = await handler.process(source, ctx, sink);
      sink?.end();
      Object.assign(record, { format: outcome.format, ...(outcome.encoding ? { encoding: outcome.encoding } : {}), ...(outcome.notes ? { notes: outcome.notes } : {}) });
      if (!redact || outcome.spans === 0) return { record };
      return { record, redacted: Buffer.concat(chunks), spans: outcome.spans, ...(outcome.writtenAs ? { writtenAs: outcome.writtenAs } : {}) };
    } catch (err) {
      this.fail(record, err);
      return { record };
    }
  }
}

export function totalMatches(record: ArtifactRecord): number {
  return IDENTIFIER_KINDS.reduce((sum, k) => sum + record.matches[k], 0);
}
