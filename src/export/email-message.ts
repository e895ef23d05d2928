/**
 * E-mail messages (.eml): one record per message that mentions the subject, with its date, from,
 * to and subject (encoded-words decoded) and the body text parts that mention the subject.
 * Attachments are not exported as records (they are listed in report.json as members).
 */
import { decodeText } from '../formats/email/charset.js';
import { decodeValue } from '../formats/email/header-words.js';
import { fieldValue, parseEntity, type Entity } from '../formats/email/mime.js';
import { decodeTransfer, transferKind } from '../formats/email/transfer.js';
import { RecordRedactor } from './redact.js';
import type { ExportRecord, Held } from './records.js';

function header(entity: Entity, name: string): string | null {
  const field = entity.fields.find((f) => f.name.toLowerCase() === name);
  return field ? decodeValue(fieldValue(field)).text.trim() : null;
}

/** Text parts of the message body, attachments and nested messages left out. */
function textParts(entity: Entity): string[] {
  if (entity.multipart) return entity.multipart.parts.flatMap((p) => textParts(p.entity));
  if (entity.disposition === 'attachment' || !entity.type.startsWith('text/')) return [];
  const bytes = decodeTransfer(entity.body, transferKind(entity.transfer).kind);
  const text = decodeText(bytes, entity.params.charset).text;
  // An HTML part is exported as its text: tags dropped, common entities read.
  return [entity.type === 'text/html' ? htmlText(text) : text];
}

function htmlText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/[ \t]+/g, ' ')
    .trim();
}

export function emailRecords(raw: Buffer, r: RecordRedactor): ExportRecord[] {
  const entity = parseEntity(raw);
  const held: Held[][] = [];
  const redact = (text: string | null): string | null => {
    if (text === null) return null;
    const out = r.redact(text);
    held.push(out.identifiers);
    return out.text;
  };
  const [date, from, to, subject] = ['date', 'from', 'to', 'subject'].map((n) => header(entity, n));
  const parts = textParts(entity).filter((t) => r.mentions(t));
  const mentioned = parts.length > 0 || [from, to, subject, header(entity, 'cc')].some((h) => h != null && r.mentions(h));
  if (!mentioned) return [];
  const record: ExportRecord = {
    kind: 'email',
    locator: { message: 1 },
    identifiers: [],
    date: date ?? null,
    from: redact(from ?? null),
    to: redact(to ?? null),
    subject: redact(subject ?? null),
    text: parts.length ? redact(parts.join('\n\n')) : null,
  };
  record.identifiers = RecordRedactor.union(...held);
  return [record];
}
