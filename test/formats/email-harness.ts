/**
 * Runs the e-mail handlers on in-memory bytes the way the engine does: members (attachments,
 * attached messages) are dispatched by content through the real registry, get their own record,
 * and come back redacted when something in them was replaced.
 */
import { PassThrough } from 'node:stream';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { SpanFinder } from '../../src/scan/matcher.js';
import { handlerFor } from '../../src/formats/registry.js';
import {
  ArtifactProblem,
  DEFAULT_LIMITS,
  type ArtifactSource,
  type FormatHandler,
  type HandlerContext,
  type HandlerMatch,
} from '../../src/formats/types.js';
import { IDENTIFIER_KINDS, zeroCounts, type ArtifactRecord } from '../../src/types.js';
import { identifiers, matcher, memorySource, placeholderFor } from './pdf-binary-harness.js';

export { identifiers, matcher };
const placeholder = placeholderFor();

export interface Run {
  /** Every record, the artifact's own first, by path. */
  records: Map<string, ArtifactRecord>;
  /** Findings by artifact path. */
  found: Map<string, HandlerMatch[]>;
  format: string;
  notes: string[];
  spans: number;
  copy?: Buffer;
}

async function processInto(handler: FormatHandler, source: ArtifactSource, ctx: HandlerContext, redact: boolean) {
  if (!redact) return { outcome: await handler.process(source, ctx), copy: undefined };
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  const outcome = await handler.process(source, ctx, sink);
  sink.end();
  return { outcome, copy: Buffer.concat(chunks) };
}

export async function run(bytes: Buffer, path: string, options: { redact?: boolean; chunk?: number; finder?: SpanFinder } = {}): Promise<Run> {
  const records = new Map<string, ArtifactRecord>();
  const found = new Map<string, HandlerMatch[]>();
  const record = (source: ArtifactSource): ArtifactRecord => {
    const r: ArtifactRecord = { engagement: source.engagement, artifact: source.path, status: 'scanned', bytes: source.size, matches: zeroCounts() };
    records.set(source.path, r);
    return r;
  };
  const ctx: HandlerContext = {
    matcher: options.finder ?? matcher,
    limits: DEFAULT_LIMITS,
    placeholder,
    handlerFor,
    found(source, m) {
      found.set(source.path, [...(found.get(source.path) ?? []), m]);
      const r = records.get(source.path);
      if (r) r.matches[identifiers[m.id]!.kind]++;
    },
    async member(source, redact) {
      const r = record(source);
      try {
        const handler = handlerFor(source.head, source.path);
        if (!handler) throw new ArtifactProblem('skipped', 'unrecognised format');
        const { outcome, copy } = await processInto(handler, source, ctx, redact);
        r.format = outcome.format;
        return { record: r, ...(copy && outcome.spans > 0 ? { redacted: copy, spans: outcome.spans } : {}) };
      } catch (err) {
        r.status = err instanceof ArtifactProblem ? err.status : 'failed';
        r.reason = (err as Error).message;
        return { record: r };
      }
    },
  };
  const source = memorySource(bytes, options.chunk, path);
  record(source);
  const handler = handlerFor(source.head, path);
  if (!handler) throw new Error('no handler');
  const { outcome, copy } = await processInto(handler, source, ctx, options.redact ?? false);
  return { records, found, format: outcome.format, notes: outcome.notes ?? [], spans: outcome.spans, ...(copy ? { copy } : {}) };
}

/** Matches per kind of every record, by path: `{ "ENG-1/a.eml": { email: 1, ... } }` without zero kinds. */
export function counts(r: Run): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [path, rec] of r.records) {
    out[path] = Object.fromEntries(IDENTIFIER_KINDS.filter((k) => rec.matches[k] > 0).map((k) => [k, rec.matches[k]]));
  }
  return out;
}

/**
 * Every text a mail reader would show or keep, decoded by mailparser (not by the code under
 * test): header values, bodies, attachment names and contents, attached messages recursively.
 */
export async function readerTexts(bytes: Buffer): Promise<string[]> {
  const mail: ParsedMail = await simpleParser(bytes, { skipImageLinks: true, skipHtmlToText: false });
  const texts: string[] = [];
  for (const [name, value] of mail.headers) texts.push(`${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  for (const line of mail.headerLines) texts.push(line.line);
  texts.push(mail.text ?? '', typeof mail.html === 'string' ? mail.html : '', mail.subject ?? '');
  for (const a of mail.attachments) {
    texts.push(a.filename ?? '', a.contentType);
    if (a.contentType === 'message/rfc822') texts.push(...(await readerTexts(a.content)));
    else texts.push(a.content.toString('utf8'), a.content.toString('latin1'));
  }
  return texts;
}

/** The identifiers the matcher finds in texts decoded by mailparser: none may remain in a redacted copy. */
export async function residue(bytes: Buffer): Promise<string[]> {
  const hits: string[] = [];
  for (const text of await readerTexts(bytes)) {
    for (const m of matcher.findAll(text)) hits.push(`${identifiers[m.id]!.kind}#${identifiers[m.id]!.index}`);
  }
  return hits;
}
