/**
 * A MIME entity tree that keeps every byte: header fields as written (folding included), the
 * blank line, preamble, boundary lines, epilogue and bodies are slices of the original message,
 * so serialising an unchanged tree gives the original bytes back and a changed tree differs only
 * where something was replaced. Parsing is lenient: a broken message still yields a tree, with
 * its problems listed for the report.
 */
import { isUtf8 } from 'node:buffer';
import libmime from 'libmime';
import { lineEnd, splitHeader, type HeaderField } from './header.js';

export type { HeaderField };

export interface Multipart {
  preamble: Buffer;
  parts: { delimiter: Buffer; entity: Entity }[];
  /** The close-delimiter line (empty when it is missing) and what follows it. */
  close: Buffer;
  epilogue: Buffer;
}

export interface Entity {
  fields: HeaderField[];
  /** The blank line that ends the header (empty when there is none). */
  separator: Buffer;
  /** The body as written (for a multipart, the whole of it; `multipart` holds its pieces). */
  body: Buffer;
  /** Lower-case media type, `text/plain` when missing or unreadable. */
  type: string;
  params: Record<string, string>;
  /** Lower-case Content-Transfer-Encoding label, '' when missing. */
  transfer: string;
  /** Lower-case disposition type, '' when missing. */
  disposition: string;
  filename?: string;
  /** The line break this entity uses: new lines written into it use the same. */
  eol: string;
  multipart?: Multipart;
  problems: string[];
}

/** Multiparts nested deeper than this are searched as text (a message can be built to exhaust the stack). */
const MAX_NESTING = 64;

/** The text of a header field: UTF-8 when it is valid UTF-8 (RFC 6532), else Latin-1 byte by byte. */
export function fieldText(raw: Buffer): { text: string; encoding: 'utf8' | 'latin1' } {
  return isUtf8(raw) ? { text: raw.toString('utf8'), encoding: 'utf8' } : { text: raw.toString('latin1'), encoding: 'latin1' };
}

export function fieldValue(field: HeaderField): string {
  const { text } = fieldText(field.raw);
  return text.slice(text.indexOf(':') + 1);
}

export function unfold(value: string): string {
  return value.replace(/\r?\n(?=[ \t])/g, '').replace(/\r?\n$/, '').trim();
}

export function lineBreakOf(buf: Buffer): string {
  const lf = buf.indexOf(0x0a);
  return lf > 0 && buf[lf - 1] === 0x0d ? '\r\n' : lf === -1 ? '\r\n' : '\n';
}

function structured(fields: HeaderField[], name: string): { value: string; params: Record<string, string> } | undefined {
  const field = fields.find((f) => f.name.toLowerCase() === name);
  if (!field) return undefined;
  const parsed = libmime.parseHeaderValue(unfold(fieldValue(field)));
  return { value: parsed.value.toLowerCase().trim(), params: parsed.params };
}

/** A decoded parameter value: RFC 2231 is decoded by the parser, encoded-words (common, if wrong) here. */
export function paramText(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

export function parseEntity(buf: Buffer, defaultType = 'text/plain', nesting = 0): Entity {
  const { fields, separator, bodyStart, problems } = splitHeader(buf);
  const contentType = structured(fields, 'content-type');
  const validType = contentType && /^[\w.+-]+\/[\w.+-]+$/.test(contentType.value);
  if (contentType && !validType) problems.push('unreadable Content-Type; read as text/plain');
  const disposition = structured(fields, 'content-disposition');
  const cte = fields.find((f) => f.name.toLowerCase() === 'content-transfer-encoding');
  const filename = disposition?.params.filename ?? contentType?.params.name;
  const entity: Entity = {
    fields,
    separator,
    body: buf.subarray(bodyStart),
    type: validType ? contentType.value : contentType ? 'text/plain' : defaultType,
    params: contentType?.params ?? {},
    transfer: cte ? unfold(fieldValue(cte)).toLowerCase() : '',
    disposition: disposition?.value ?? '',
    ...(filename !== undefined ? { filename: paramText(filename) } : {}),
    eol: lineBreakOf(buf),
    problems,
  };
  if (entity.type.startsWith('multipart/')) {
    const boundary = entity.params.boundary;
    if (!boundary) entity.problems.push('multipart without a boundary; body searched as text');
    else if (nesting >= MAX_NESTING) entity.problems.push(`multipart nested deeper than ${MAX_NESTING} levels; searched as text`);
    else {
      const childDefault = entity.type === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
      entity.multipart = splitMultipart(entity.body, boundary, childDefault, nesting, entity.problems);
    }
  }
  return entity;
}

/** Length of the line break just before `pos` (it belongs to the boundary line that follows it). */
function breakBefore(buf: Buffer, pos: number): number {
  if (pos >= 2 && buf[pos - 2] === 0x0d && buf[pos - 1] === 0x0a) return 2;
  return pos >= 1 && buf[pos - 1] === 0x0a ? 1 : 0;
}

function splitMultipart(body: Buffer, boundary: string, childDefault: string, nesting: number, problems: string[]): Multipart | undefined {
  const dash = Buffer.from(`--${boundary}`, 'utf8');
  const delimiters: { at: number; next: number }[] = [];
  let close: { at: number; next: number } | undefined;
  let from = 0;
  while (from <= body.length) {
    const at = body.indexOf(dash, from);
    if (at === -1) break;
    const next = lineEnd(body, at);
    from = at + 1;
    if (at > 0 && body[at - 1] !== 0x0a) continue;
    const rest = body.toString('latin1', at + dash.length, next).replace(/\r?\n$/, '');
    if (rest.startsWith('--')) {
      close = { at, next };
      break;
    }
    if (/^[ \t]*$/.test(rest)) delimiters.push({ at, next });
    from = next;
  }
  if (delimiters.length === 0) {
    problems.push('multipart boundary not found in the body; searched as text');
    return undefined;
  }
  if (!close) problems.push('multipart without its closing boundary (truncated?)');
  // Pieces tile the body: each boundary line starts with the line break before it.
  let prevEnd = 0;
  const startOf = (at: number) => Math.max(prevEnd, at - breakBefore(body, at));
  const preambleEnd = startOf(delimiters[0]!.at);
  const preamble = body.subarray(0, preambleEnd);
  prevEnd = preambleEnd;
  const parts: Multipart['parts'] = [];
  for (let i = 0; i < delimiters.length; i++) {
    const d = delimiters[i]!;
    const delimiter = body.subarray(prevEnd, d.next);
    const following = delimiters[i + 1]?.at ?? close?.at;
    prevEnd = d.next;
    const contentEnd = following === undefined ? body.length : startOf(following);
    parts.push({ delimiter, entity: parseEntity(body.subarray(d.next, contentEnd), childDefault, nesting + 1) });
    prevEnd = contentEnd;
  }
  const closeLine = close ? body.subarray(prevEnd, close.next) : body.subarray(body.length);
  return { preamble, parts, close: closeLine, epilogue: body.subarray(close ? close.next : body.length) };
}

/** The entity's bytes: the original ones where nothing was changed. */
export function serialize(entity: Entity): Buffer {
  const chunks: Buffer[] = entity.fields.map((f) => f.raw);
  chunks.push(entity.separator);
  const mp = entity.multipart;
  if (!mp) chunks.push(entity.body);
  else {
    chunks.push(mp.preamble);
    for (const part of mp.parts) chunks.push(part.delimiter, serialize(part.entity));
    chunks.push(mp.close, mp.epilogue);
  }
  return Buffer.concat(chunks);
}

