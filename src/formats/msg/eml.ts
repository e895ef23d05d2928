/**
 * The redacted copy of an Outlook message, written as an RFC 5322 .eml (a faithful .msg cannot
 * be rewritten): sender, recipients, subject, date and message id, plain and HTML bodies (the
 * HTML recovered from the RTF body when that is the only rich body), attachments (redacted
 * members; embedded messages as their own .eml), and for items that are not mails (contacts,
 * appointments) their other text properties in an `item-properties.txt` attachment.
 * Every carried text is redacted here; the matches themselves were reported by properties.ts.
 */
import { createHash } from 'node:crypto';
import type { FieldsData } from '@kenjiuno/msgreader';
import MailComposer, { type Attachment } from 'nodemailer/lib/mail-composer/index.js';
import { redactSegment } from '../segment.js';
import type { HandlerContext } from '../types.js';
import type { Bodies } from './properties.js';

export interface EmlAttachment {
  /** File name as stored in the message. */
  name: string;
  content: Buffer;
  contentType?: string;
  contentId?: string;
  /** Suffix of a member rewritten in another format (an embedded .msg as .eml). */
  writtenAs?: string;
}

/** Fields carried as headers or bodies; for other items the rest go to item-properties.txt. */
const CARRIED = new Set([
  'subject', 'senderName', 'senderEmail', 'senderSmtpAddress', 'sentRepresentingSmtpAddress', 'senderAddressType', 'body', 'bodyHtml',
  'headers', 'messageId', 'clientSubmitTime', 'messageDeliveryTime', 'creationTime', 'lastModificationTime', 'normalizedSubject',
  'conversationTopic', 'preview', 'dataType', 'error',
]);

export async function composeEml(
  fields: FieldsData,
  bodies: Bodies,
  attachments: EmlAttachment[],
  ctx: Pick<HandlerContext, 'matcher' | 'placeholder'>,
  original: Buffer,
): Promise<{ eml: Buffer; spans: number }> {
  let spans = 0;
  const redact = (text: string): string => {
    const segment = redactSegment(text, ctx);
    spans += segment.spans;
    return segment.text;
  };
  const mailbox = (name: string | undefined, address: string | undefined) => {
    const display = redact(name ?? '');
    // A mailbox without an Internet address (a draft, an Exchange-only sender) is written as an
    // empty group (RFC 6854), which keeps the display name.
    return address ? { name: display, address: redact(address) } : display ? `"${display.replace(/["\\]/g, '\\$&')}":;` : undefined;
  };
  const recipients = (type: 'to' | 'cc' | 'bcc') =>
    (fields.recipients ?? [])
      .filter((r) => (r.recipType ?? 'to') === type)
      .map((r) => mailbox(r.name, smtpAddress(r.smtpAddress, r.email)))
      .filter((a) => a !== undefined);

  const from = mailbox(fields.senderName, fields.senderSmtpAddress ?? fields.sentRepresentingSmtpAddress ?? smtpAddress(undefined, fields.senderEmail));
  const html = bodies.html ?? (bodies.rtf?.kind === 'html' ? bodies.rtf.content : undefined);
  const text = bodies.text ?? (bodies.rtf?.kind === 'text' ? bodies.rtf.content : undefined);
  const parts = attachments.map((a): Attachment => ({
    filename: redact(a.name) + (a.writtenAs ?? ''),
    content: a.content,
    contentType: a.writtenAs === '.eml' ? 'message/rfc822' : (a.contentType ?? 'application/octet-stream'),
    // Inline images keep their Content-ID; everything else (embedded messages too) is an attachment.
    ...(a.contentId ? { cid: redact(a.contentId), contentDisposition: 'inline' as const } : { contentDisposition: 'attachment' as const }),
  }));
  const properties = itemProperties(fields, redact);
  if (properties) parts.push({ filename: 'item-properties.txt', content: Buffer.from(properties), contentType: 'text/plain; charset=utf-8' });

  const composer = new MailComposer({
    ...(from ? { from } : {}),
    to: recipients('to'),
    cc: recipients('cc'),
    bcc: recipients('bcc'),
    subject: redact(fields.subject ?? ''),
    date: dateOf(fields),
    // A message without an id gets one derived from its content, not a random one per run.
    messageId: fields.messageId ? redact(fields.messageId) : `<${createHash('sha256').update(original).digest('hex').slice(0, 32)}@dsr.invalid>`,
    ...(text !== undefined ? { text: redact(text) } : {}),
    ...(html !== undefined ? { html: redact(html) } : {}),
    attachments: parts,
    // Same message, same bytes: MIME boundaries from the original's hash instead of random ones.
    baseBoundary: createHash('sha256').update(original).digest('hex').slice(0, 24),
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const node = composer.compile();
  node.keepBcc = true;
  const eml = await new Promise<Buffer>((resolve, reject) => node.build((err, message) => (err ? reject(err) : resolve(message))));
  return { eml, spans };
}

/** An Internet address: the SMTP one when given, else the address when it is one (not an Exchange DN). */
function smtpAddress(smtp: string | undefined, address: string | undefined): string | undefined {
  return smtp || (address && /^[^\s@/]+@[^\s@]+$/.test(address) ? address : undefined);
}

function dateOf(fields: FieldsData): Date {
  for (const value of [fields.clientSubmitTime, fields.messageDeliveryTime, fields.creationTime, fields.lastModificationTime]) {
    const date = value ? new Date(value) : undefined;
    if (date && !Number.isNaN(date.getTime())) return date;
  }
  return new Date(0); // A fixed date rather than the time of the run: the copy must not change between runs.
}

/** For contacts, appointments and other non-mail items: their remaining text properties. */
function itemProperties(fields: FieldsData, redact: (text: string) => string): string | undefined {
  if (!fields.messageClass || /^IPM\.Note(\.|$)/i.test(fields.messageClass)) return undefined;
  const lines = Object.entries(fields)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== '' && !CARRIED.has(e[0]))
    .map(([key, value]) => `${key}: ${redact(value)}`);
  return lines.length ? lines.join('\r\n') + '\r\n' : undefined;
}
