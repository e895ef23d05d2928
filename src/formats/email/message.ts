/**
 * Search one RFC 5322 message, and when redacting rewrite it: every header field (encoded-words
 * decoded), every text body in its transfer encoding and charset, preamble and epilogue text.
 * Attachments and attached messages go to the engine as members (`<path>!<filename or part-N>`)
 * and come back redacted when something in them was replaced. Only what changed is re-encoded;
 * every other byte of the message is written as it was.
 */
import libmime from 'libmime';
import type { Match } from '../../scan/matcher.js';
import type { Locator } from '../../types.js';
import { ArtifactProblem, HEAD_BYTES, type ArtifactSource, type HandlerContext } from '../types.js';
import { streamOf } from '../stream-util.js';
import { decodeText, printableLabel } from './charset.js';
import { replaceAll, replacementsFor, type Replacement } from '../segment.js';
import { decodeValue, rewriteValue } from './header-words.js';
import { fieldText, fieldValue, paramText, parseEntity, serialize, unfold, type Entity, type HeaderField } from './mime.js';
import { decodeTransfer, encodeTransfer, readBase64, transferKind, type TransferKind } from './transfer.js';

/** A message is read into memory to be searched and rewritten; larger ones are refused. */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

export function tooLarge(what: string): ArtifactProblem {
  return new ArtifactProblem('failed', `${what} is larger than ${MAX_MESSAGE_BYTES} bytes, the most an e-mail is read into memory`);
}

/** Fields that hold mailboxes: a placeholder in them must not break the address syntax. */
const ADDRESS_FIELDS = new Set([
  'from', 'sender', 'reply-to', 'to', 'cc', 'bcc', 'resent-from', 'resent-sender', 'resent-to', 'resent-cc',
  'resent-bcc', 'return-path', 'delivered-to', 'x-original-to', 'errors-to', 'disposition-notification-to',
  'return-receipt-to', 'mail-followup-to', 'mail-reply-to',
]);

/** Non-text media types whose body is text to search in place, like a text/* body. */
const TEXT_LIKE = new Set(['message/delivery-status', 'message/disposition-notification', 'message/feedback-report', 'text/rfc822-headers']);

export interface MessageScope {
  /** The artifact findings belong to (the .eml or the mbox file). */
  source: ArtifactSource;
  ctx: HandlerContext;
  redact: boolean;
  /** Locator fields every finding of this message carries (the message number in an mbox). */
  where: Locator;
  /** Member names are `<source path>!<memberPrefix><filename or part-N>`. */
  memberPrefix: string;
}

export interface MessageOutcome {
  /** The redacted message (when redacting). */
  bytes?: Buffer;
  /** Placeholders written, counting an attachment that changed as at least one. */
  spans: number;
  notes: string[];
}

export async function processMessage(raw: Buffer, scope: MessageScope): Promise<MessageOutcome> {
  const walk = new MessageWalk(scope);
  const root = parseEntity(raw);
  if (root.fields.length === 0) walk.note('message: no header; searched as text');
  await walk.entity(root, '', false);
  return { ...(scope.redact ? { bytes: serialize(root) } : {}), spans: walk.spans, notes: [...walk.notes] };
}

/**
 * Text outside any part (a preamble, an epilogue, an mbox `From ` line), read as UTF-8 or
 * Windows-1252: matches reported, and when redacting, the bytes with the replacements made.
 */
export function searchLooseText(bytes: Buffer, scope: MessageScope, locate: (line: number) => Locator): { bytes: Buffer; spans: number } {
  if (bytes.length === 0) return { bytes, spans: 0 };
  const decoded = decodeText(bytes, undefined);
  const lineOf = lineFinder(decoded.text);
  const spans = searchText(decoded.text, scope, (m) => locate(lineOf(m.start)));
  return spans.length ? { bytes: decoded.replace(spans), spans: spans.length } : { bytes, spans: 0 };
}

/** Report the matches in `text`; the replacements to make when redacting. */
function searchText(text: string, scope: MessageScope, locate: (m: Match) => Locator): Replacement[] {
  const matches = scope.ctx.matcher.findAll(text);
  for (const m of matches) {
    scope.ctx.found(scope.source, { id: m.id, variant: m.variant, locator: { ...scope.where, ...locate(m) } });
  }
  return scope.redact ? replacementsFor(matches, (id) => scope.ctx.placeholder(id)) : [];
}

/** 1-based line number of a code-unit offset. */
function lineFinder(text: string): (offset: number) => number {
  const breaks: number[] = [];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) breaks.push(i);
  return (offset) => {
    let lo = 0;
    let hi = breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (breaks[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

class MessageWalk {
  spans = 0;
  readonly notes = new Set<string>();
  private readonly names = new Set<string>();
  private readonly ctx: HandlerContext;

  constructor(private readonly scope: MessageScope) {
    this.ctx = scope.ctx;
  }

  note(text: string): void {
    this.notes.add(this.ctx.matcher.scrub(text));
  }

  private search(text: string, locate: (m: Match) => Locator): Replacement[] {
    return searchText(text, this.scope, locate);
  }

  /** An entity: its header, then its body or its parts. `id` is the part path, '' for the message itself. */
  async entity(e: Entity, id: string, signed: boolean): Promise<void> {
    const where = id === '' ? 'message' : `part ${id}`;
    for (const problem of e.problems) this.note(`${where}: ${problem}`);
    const before = this.spans;
    for (const field of e.fields) this.field(field, id === '' ? 'header' : id, e.eol);
    const mp = e.multipart;
    if (mp) {
      const inSigned = signed || e.type === 'multipart/signed';
      mp.preamble = this.looseText(mp.preamble, id, 'preamble');
      for (let i = 0; i < mp.parts.length; i++) await this.entity(mp.parts[i]!.entity, id ? `${id}.${i + 1}` : `${i + 1}`, inSigned);
      mp.epilogue = this.looseText(mp.epilogue, id, 'epilogue');
    } else {
      const leaf = id || '1';
      if (isBody(e)) this.textBody(e, leaf);
      else await this.attachment(e, leaf);
    }
    if (signed && this.spans > before) this.note('a signed part was redacted: its signature no longer verifies');
  }

  private field(field: HeaderField, part: string, eol: string): void {
    const lower = field.name.toLowerCase();
    const locator = { part, header: this.ctx.matcher.scrub(field.name) };
    if (lower === 'content-type' || lower === 'content-disposition') return this.parameterField(field, locator, eol);
    const { text, encoding } = fieldText(field.raw);
    const colon = text.indexOf(':');
    const value = decodeValue(text.slice(colon + 1));
    for (const n of value.notes) this.note(`${part === 'header' ? 'header' : `part ${part}`} ${locator.header}: ${n}`);
    const spans = this.search(value.text, () => locator);
    if (spans.length === 0) return;
    const rewritten = rewriteValue(value, spans, { addresses: ADDRESS_FIELDS.has(lower), eol });
    field.raw = Buffer.from(text.slice(0, colon + 1) + rewritten, encoding);
    this.spans += spans.length;
  }

  /**
   * Content-Type and Content-Disposition: parameters are searched decoded (RFC 2231 and
   * encoded-words), and a field with a replacement is written again from its parts.
   */
  private parameterField(field: HeaderField, locator: Locator, eol: string): void {
    rewriteParameters(field, eol, (_key, value) => {
      const text = paramText(value);
      const spans = this.search(text, () => locator);
      this.spans += spans.length;
      return spans.length > 0 ? replaceAll(text, spans) : undefined;
    });
  }

  /** Preamble and epilogue: text no reader shows, searched all the same. */
  private looseText(bytes: Buffer, id: string, section: string): Buffer {
    const result = searchLooseText(bytes, this.scope, (line) => ({ part: id || 'body', section, line }));
    this.spans += result.spans;
    return result.bytes;
  }

  /**
   * The part's content with its transfer encoding undone. An encoding nobody knows is searched as
   * written; base64 holding characters outside its alphabet is also searched as written, because
   * what those characters say is lost in decoding.
   */
  private content(e: Entity, id: string): { kind: TransferKind; bytes: Buffer } {
    const { kind, unknown } = transferKind(e.transfer);
    if (unknown) this.note(`part ${id}: transfer encoding ${printableLabel(e.transfer)} not decoded; searched as written`);
    if (kind !== 'base64') return { kind, bytes: decodeTransfer(e.body, kind) };
    const { bytes, stray } = readBase64(e.body.toString('latin1'));
    if (!stray) return { kind, bytes };
    this.note(`part ${id}: base64 with characters outside its alphabet; also searched as written`);
    const written = e.body;
    e.body = this.looseText(e.body, id, 'raw');
    // A body redacted as written is decoded as redacted.
    return { kind, bytes: e.body === written ? bytes : decodeTransfer(e.body, kind) };
  }

  private textBody(e: Entity, id: string): void {
    const { kind, bytes } = this.content(e, id);
    const decoded = decodeText(bytes, e.params.charset);
    if (decoded.note) this.note(`part ${id}: ${decoded.note}`);
    const lineOf = lineFinder(decoded.text);
    const spans = this.search(decoded.text, (m) => ({ part: id, contentType: e.type, line: lineOf(m.start) }));
    if (spans.length === 0) return;
    e.body = encodeTransfer(decoded.replace(spans), kind, e.body, e.eol);
    this.spans += spans.length;
  }

  /** An attachment or attached message: a member artifact of its own, redacted by its own handler. */
  private async attachment(e: Entity, id: string): Promise<void> {
    const { kind, bytes } = this.content(e, id);
    const source = this.scope.source;
    const member: ArtifactSource = {
      engagement: source.engagement,
      path: `${source.path}!${this.scope.memberPrefix}${this.memberName(e, id)}`,
      size: bytes.length,
      head: bytes.subarray(0, HEAD_BYTES),
      open: () => streamOf(bytes),
      depth: source.depth + 1,
    };
    const { record, redacted, spans, writtenAs } = await this.ctx.member(member, this.scope.redact);
    if (bytes.length === 0 && record.status === 'scanned') {
      record.status = 'skipped';
      record.reason = 'empty attachment (0 bytes)';
    }
    if (redacted) {
      e.body = encodeTransfer(redacted, kind, e.body, e.eol);
      this.spans += Math.max(1, spans ?? 0);
      if (writtenAs) {
        // The member's handler wrote another format (an Outlook .msg becomes .eml): say so in its name.
        for (const field of e.fields) {
          if (/^content-(type|disposition)$/i.test(field.name)) {
            rewriteParameters(field, e.eol, (key, value) => (key === 'filename' || key === 'name' ? paramText(value) + writtenAs : undefined));
          }
        }
        this.note(`part ${id}: attachment rewritten as ${writtenAs}`);
      }
    } else if (this.scope.redact && bytes.length > 0 && record.status !== 'scanned') {
      this.note(`part ${id}: attachment ${record.status}, kept as it was in the redacted copy`);
    }
  }

  /** The attachment's file name when it is usable and reveals nothing, else `part-N`; unique in the message. */
  private memberName(e: Entity, id: string): string {
    const base = (e.filename ?? '').split(/[\\/]/).pop()!.replace(/[\x00-\x1f\x7f!]/g, '_').trim();
    const usable = base.length > 0 && base.length <= 200 && this.ctx.matcher.findAll(base).length === 0;
    let name = usable ? base : `part-${id}`;
    if (this.names.has(name)) name = `part-${id}-${name}`;
    this.names.add(name);
    return name;
  }
}

/**
 * Write a Content-Type or Content-Disposition field again with the parameters `edit` changes
 * (it returns the new decoded value, or undefined to keep one); untouched when none changes.
 */
function rewriteParameters(field: HeaderField, eol: string, edit: (key: string, value: string) => string | undefined): void {
  const parsed = libmime.parseHeaderValue(unfold(fieldValue(field)));
  const params: Record<string, string> = {};
  let changed = false;
  for (const [key, value] of Object.entries(parsed.params)) {
    const next = edit(key, value);
    changed ||= next !== undefined;
    params[key] = next ?? value;
  }
  if (!changed) return;
  const folded = libmime.foldLines(`${field.name}: ${libmime.buildHeaderValue({ value: parsed.value, params })}`, 76);
  field.raw = Buffer.from(folded.replace(/\r?\n/g, eol).replace(/\r?\n$/, '') + eol, 'utf8');
}

function isBody(e: Entity): boolean {
  if (e.type.startsWith('multipart/')) return true; // a multipart that could not be split
  if (e.disposition === 'attachment' || e.filename !== undefined) return false;
  return e.type.startsWith('text/') || TEXT_LIKE.has(e.type);
}
