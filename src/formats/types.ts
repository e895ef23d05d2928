/**
 * The contract between the engine and a format layer. A handler reads one artifact's bytes,
 * reports matches with locators, and when asked writes a redacted copy of the same format.
 * Members of containers (zip entries, attachments) go back to the engine as child artifacts.
 */
import type { Writable } from 'node:stream';
import type { SpanFinder } from '../scan/matcher.js';
import type { ArtifactRecord, Finding, Locator } from '../types.js';

export interface ArtifactSource {
  engagement: string;
  /** Store-relative path; members of containers are joined with `!`. */
  path: string;
  /** Size in bytes. */
  size: number;
  /** The first bytes (up to HEAD_BYTES), for recognising the format by content. */
  head: Buffer;
  /** A fresh stream of the artifact's bytes from the start; may be called more than once. */
  open(): NodeJS.ReadableStream;
  /** How many containers this artifact sits in (0 for a file of the store). */
  depth: number;
  /** The file holding exactly these bytes, when there is one: readers may then read it in ranges. */
  file?: string;
  /**
   * Set when the first read through open() is what hashes the artifact (and counts progress): a
   * reader that reads `file` itself (in ranges, in place) calls this instead, once, beside its own
   * reads; it reads the file through and hashes it.
   */
  readThrough?: () => Promise<void>;
  /**
   * Set by a container for a member it cannot open (an encrypted zip entry, an unsupported
   * compression method): the member gets its own record with this status and reason.
   */
  unreadable?: ArtifactProblem;
}

export const HEAD_BYTES = 64 * 1024;

export interface Limits {
  /** Containers nested deeper than this are reported, not opened. */
  maxDepth: number;
  /** Decompressed bytes per compressed byte above which an archive is treated as a bomb. */
  maxRatio: number;
  /** Decompressed bytes of one artifact above which it is treated as a bomb. */
  maxExpandedBytes: number;
  /** Archive members in one artifact (all nesting levels together) above which it is treated as a bomb. */
  maxEntries: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxDepth: 8,
  maxRatio: 1000,
  maxExpandedBytes: 64 * 1024 ** 3,
  maxEntries: 100_000,
};

export interface HandlerMatch {
  /** Position of the identifier in matcher.identifiers. */
  id: number;
  locator: Locator;
  variant: string;
}

export interface HandlerOutcome {
  format: string;
  encoding?: string;
  /** Number of placeholders written into the redacted copy (0 when not redacting). */
  spans: number;
  notes?: string[];
  /**
   * Suffix added to the artifact's path when the redacted copy is in another format than the
   * original (`.eml` for an Outlook .msg, which cannot be rewritten faithfully).
   */
  writtenAs?: string;
}

/** What processing a container member yields to its container. */
export interface MemberOutcome {
  record: ArtifactRecord;
  /** Redacted bytes of the member, when redacting and something was replaced. */
  redacted?: Buffer;
  /** Placeholders in `redacted` (0 when it is absent). */
  spans?: number;
  /** The member's HandlerOutcome.writtenAs: the container names the redacted member with it. */
  writtenAs?: string;
}

export interface HandlerContext {
  /** Finds the spans to report and redact (written forms); match ids are opaque to handlers. */
  matcher: SpanFinder;
  /**
   * The same with identifiers read out in words too, for call and chat transcripts (text that
   * looksLikeTranscript); absent when the request has no spoken forms.
   */
  transcriptMatcher?: SpanFinder;
  limits: Limits;
  /**
   * Text written in place of match `id` in a redacted copy, or null when that match stays
   * (an access copy keeps the subject's own data). Handlers call found() for every match and
   * replace exactly those with a placeholder.
   */
  placeholder(id: number): string | null;
  /** Record a match in `source` (streamed out at once: an artifact may hold millions). */
  found(source: ArtifactSource, match: HandlerMatch): void;
  /** The handler for content with this head, for layers such as gzip that wrap any format. */
  handlerFor(head: Buffer, path: string): FormatHandler | undefined;
  /** Search (and when redacting, redact) a member of a container as an artifact of its own. */
  member(source: ArtifactSource, redact: boolean): Promise<MemberOutcome>;
}

export interface FormatHandler {
  /** Format name in report.json. */
  name: string;
  /** Whether this handler reads the artifact, judged by content (the path is a hint only). */
  recognizes(head: Buffer, path: string): boolean;
  /**
   * Search the artifact. With `out`, also write the redacted copy to it (without ending it).
   * Throw ArtifactProblem for an artifact that cannot be read.
   */
  process(source: ArtifactSource, ctx: HandlerContext, out?: Writable): Promise<HandlerOutcome>;
}

/** An artifact that cannot be searched: a clear reason, never a crash of the run. */
export class ArtifactProblem extends Error {
  constructor(
    readonly status: 'skipped' | 'failed',
    readonly reason: string,
  ) {
    super(reason);
  }
}

export type { Finding };
