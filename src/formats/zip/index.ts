/**
 * zip: every member is searched as an artifact of its own (`archive.zip!dir/file.log`), nested
 * archives recurse through the engine to limits.maxDepth, and a redacted copy is the same archive
 * with the same entries in the same order, changed members replaced by their redacted bytes.
 *
 * Hostile archives: entry names that are absolute or climb out with `..` are reported under a
 * safe relative name (and repacked under it); bombs are stopped by the compression ratio of each
 * member, by the total expanded size and by the number of members of one artifact; members that
 * cannot be decoded (encrypted, unknown compression) get a record with the reason.
 */
import type { Writable } from 'node:stream';
import type yauzl from 'yauzl';
import { readHead } from '../stream-util.js';
import { redactSegment } from '../segment.js';
import { ArtifactProblem, HEAD_BYTES, type ArtifactSource, type FormatHandler, type HandlerContext, type HandlerOutcome, type Limits } from '../types.js';
import { openEntry, undecodable, type EntryReads } from './entry-stream.js';
import { decodeZipText, safeEntryName } from './names.js';
import { entries, openZip } from './open.js';
import { ZipRewriter, type EntryOptions } from './writer.js';
import { looksLikeZip } from './recognize.js';

/** Expanded bytes and members used so far by one top-level artifact, across all nesting levels. */
interface Budget {
  expanded: number;
  entries: number;
}
const budgets = new WeakMap<HandlerContext, Budget>();

function budgetOf(ctx: HandlerContext): Budget {
  let budget = budgets.get(ctx);
  if (!budget) budgets.set(ctx, (budget = { expanded: 0, entries: 0 }));
  return budget;
}

export const zipHandler: FormatHandler = {
  name: 'zip',
  recognizes: looksLikeZip,
  async process(source: ArtifactSource, ctx: HandlerContext, out?: Writable): Promise<HandlerOutcome> {
    const { zip, close } = await openZip(source);
    try {
      return await readArchive(zip, source, ctx, out);
    } finally {
      await close();
    }
  },
};

async function readArchive(zip: yauzl.ZipFile, source: ArtifactSource, ctx: HandlerContext, out?: Writable): Promise<HandlerOutcome> {
  const budget = budgetOf(ctx);
  const writer = out ? new ZipRewriter(out) : undefined;
  const notes: string[] = [];
  /** Notes on entries a rewritten copy cannot carry; moot when the original is kept (no spans). */
  const leftOut: string[] = [];
  let spans = 0;
  let index = 0;

  /** Search a name or comment of the archive itself, reporting matches on the archive. */
  const field = (text: string, locator: Record<string, string | number>) => {
    const segment = redactSegment(text, ctx, (m) => ctx.found(source, { id: m.id, variant: m.variant, locator }));
    spans += segment.spans;
    return segment.text;
  };

  for await (const entry of entries(zip)) {
    index++;
    if (++budget.entries > ctx.limits.maxEntries) throw new ArtifactProblem('failed', `more than ${ctx.limits.maxEntries} archive members (zip bomb?)`);
    const stored = decodeZipText(entry.fileNameRaw, entry.generalPurposeBitFlag, entry.extraFields);
    const safe = safeEntryName(stored);
    const shown = ctx.matcher.scrub(safe.path) || `(entry ${index} without a name)`;
    if (safe.problem) notes.push(`entry ${index} "${ctx.matcher.scrub(stored)}": ${safe.problem}; read as "${shown}"`);
    const name = field(safe.path, { entry: index, field: 'name' }) || `entry-${index}`;
    const comment = field(decodeZipText(entry.fileCommentRaw, entry.generalPurposeBitFlag), { entry: index, field: 'comment' });
    const options = entryOptions(entry, comment);

    if (stored.endsWith('/') || stored.endsWith('\\')) {
      // Directory entries are structure, not artifacts.
      if (safe.path) writer?.directory(name, options);
      continue;
    }
    const reads: EntryReads = { complete: false, failed: false };
    const problem = unreadable(entry, budget, ctx.limits);
    const member: ArtifactSource = {
      engagement: source.engagement,
      path: `${source.path}!${shown}`,
      size: entry.uncompressedSize,
      head: Buffer.alloc(0),
      open: () => openEntry(zip, entry, ctx.limits, reads),
      depth: source.depth + 1,
      ...(problem ? { unreadable: problem } : {}),
    };
    if (!problem) {
      try {
        member.head = await readHead(member.open(), HEAD_BYTES);
      } catch (err) {
        member.unreadable = err instanceof ArtifactProblem ? err : new ArtifactProblem('failed', String(err));
      }
    }
    const outcome = await ctx.member(member, writer !== undefined);
    if (!writer) continue;
    if (outcome.redacted) {
      spans += outcome.spans ?? 0;
      writer.file(name + (outcome.writtenAs ?? ''), options, outcome.redacted);
    } else if (!member.unreadable && (await trustworthy(member, reads))) {
      writer.file(name, options, () => openEntry(zip, entry, ctx.limits));
    } else {
      // yazl can only write bytes it can read: an entry that cannot be decoded is not carried over.
      leftOut.push(`entry ${index} "${shown}" left out of the redacted copy: ${outcome.record.reason ?? 'unreadable'}`);
    }
  }
  // With decodeStrings off, yauzl hands the archive comment over as raw bytes.
  const rawComment = zip.comment as unknown as Buffer;
  const comment = decodeZipText(rawComment, 0);
  const redactedComment = field(comment, { field: 'archive comment' });
  await writer?.end(redactedComment === comment ? rawComment : redactedComment);
  // With no placeholder written the engine keeps the original archive, unreadable entries included.
  if (spans > 0) notes.push(...leftOut);
  return { format: 'zip', spans, ...(notes.length ? { notes } : {}) };
}

/** Why an entry is not read at all: undecodable, or beyond what the artifact may expand to. */
function unreadable(entry: yauzl.Entry, budget: Budget, limits: Limits): ArtifactProblem | undefined {
  const reason = undecodable(entry);
  if (reason) return new ArtifactProblem('skipped', reason);
  // yauzl refuses to yield more than the declared size, so reserving it bounds the real total.
  if (budget.expanded + entry.uncompressedSize > limits.maxExpandedBytes) {
    return new ArtifactProblem('failed', `archive expands beyond ${limits.maxExpandedBytes} bytes (decompression bomb?)`);
  }
  budget.expanded += entry.uncompressedSize;
  return undefined;
}

/** Whether the member's bytes can be copied: read to the end once without error. */
async function trustworthy(member: ArtifactSource, reads: EntryReads): Promise<boolean> {
  if (!reads.complete && !reads.failed) {
    try {
      for await (const _ of member.open() as AsyncIterable<Buffer>);
    } catch {
      /* reads.failed is set */
    }
  }
  return reads.complete && !reads.failed;
}

function entryOptions(entry: yauzl.Entry, fileComment: string): EntryOptions {
  const unixMode = entry.versionMadeBy >> 8 === 3 ? entry.externalFileAttributes >>> 16 : 0;
  return {
    mtime: entry.getLastModDate(),
    ...(unixMode ? { mode: unixMode } : {}),
    compress: entry.compressionMethod !== 0,
    ...(fileComment ? { fileComment } : {}),
  };
}
