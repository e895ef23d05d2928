/**
 * The header block of a message, split byte by byte, and whether content starts with one. No
 * libraries here: the format registry recognises messages with this before it loads the MIME
 * readers (mime.ts, message.ts), which only runs that meet e-mail need.
 */

export interface HeaderField {
  /** The field name as written, without the colon. */
  name: string;
  /** The whole field as written: folded lines and the final line break included. */
  raw: Buffer;
}

const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;

export function lineEnd(buf: Buffer, from: number): number {
  const lf = buf.indexOf(0x0a, from);
  return lf === -1 ? buf.length : lf + 1;
}

function isBlankLine(buf: Buffer, start: number, end: number): boolean {
  const len = end - start;
  return (len === 1 && buf[start] === 0x0a) || (len === 2 && buf[start] === 0x0d && buf[start + 1] === 0x0a);
}

/** Split a header block off the front of `buf`. */
export function splitHeader(buf: Buffer): { fields: HeaderField[]; separator: Buffer; bodyStart: number; problems: string[] } {
  const fields: HeaderField[] = [];
  const problems: string[] = [];
  let fieldStart = -1;
  let pos = 0;
  const closeField = (end: number) => {
    if (fieldStart < 0) return;
    const raw = buf.subarray(fieldStart, end);
    const text = raw.toString('latin1');
    fields.push({ name: text.slice(0, text.indexOf(':')).trim(), raw });
    fieldStart = -1;
  };
  while (pos < buf.length) {
    const next = lineEnd(buf, pos);
    if (isBlankLine(buf, pos, next)) {
      closeField(pos);
      return { fields, separator: buf.subarray(pos, next), bodyStart: next, problems };
    }
    const first = buf[pos];
    if ((first === 0x20 || first === 0x09) && fieldStart >= 0) {
      pos = next; // continuation of a folded field
      continue;
    }
    if (FIELD_NAME.test(buf.toString('latin1', pos, Math.min(next, pos + 200)))) {
      closeField(pos);
      fieldStart = pos;
      pos = next;
      continue;
    }
    // Not a header line: the header ended without a blank line (or there was none).
    closeField(pos);
    if (fields.length > 0) problems.push('header not ended by a blank line');
    return { fields, separator: buf.subarray(pos, pos), bodyStart: pos, problems };
  }
  closeField(buf.length);
  return { fields, separator: buf.subarray(buf.length), bodyStart: buf.length, problems };
}

/** Core fields of a message header; one of them must be present for content to count as a message. */
const MESSAGE_FIELDS = new Set([
  'from', 'to', 'cc', 'bcc', 'subject', 'date', 'message-id', 'received', 'return-path', 'mime-version',
  'delivered-to', 'sender', 'reply-to', 'content-type', 'in-reply-to', 'references', 'x-mailer',
]);

/**
 * Whether `head` starts with an RFC 5322 header: well-formed field lines up to a blank line (or to
 * the end of a short file), including at least one field that messages carry.
 */
export function looksLikeMessage(head: Buffer, whole: boolean): boolean {
  if (head.length === 0 || !FIELD_NAME.test(head.toString('latin1', 0, Math.min(head.length, 200)))) return false;
  const { fields, separator, bodyStart, problems } = splitHeader(head);
  if (problems.length > 0) return false;
  const ended = separator.length > 0 || (whole && bodyStart === head.length);
  return ended && fields.some((f) => MESSAGE_FIELDS.has(f.name.toLowerCase()));
}
