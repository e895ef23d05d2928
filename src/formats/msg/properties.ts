/**
 * Search every MAPI property of a message, its recipients and its attachments' metadata: text
 * properties as text, the transport headers with RFC 2047 words decoded, the HTML and RTF bodies
 * decoded, and binary properties as a dump is read (entry ids embed display names and addresses).
 * Attachment contents and embedded messages are members, searched by the engine.
 */
import type { FieldsData, RawProp } from '@kenjiuno/msgreader';
import type msgConst from '@kenjiuno/msgreader/lib/const.js';
import iconv from 'iconv-lite';
import type { SpanFinder } from '../../scan/matcher.js';
import { DumpScanner } from '../binary/dump-scanner.js';
import { decodeValue } from '../email/header-words.js';
import type { Locator } from '../../types.js';
import { codepageEncoding, requireCjs } from './read.js';
import { decompressRtf, rtfBody, type RtfBody } from './rtf.js';

const FIELD = (requireCjs('@kenjiuno/msgreader/lib/const.js') as typeof msgConst).default.MSG.FIELD;
/** msgreader's names, and those of the binary properties that carry people ([MS-OXPROPS]). */
const NAMES: Record<string, string> = {
  ...FIELD.NAME_MAPPING,
  ...FIELD.FULL_NAME_MAPPING,
  '0041': 'sentRepresentingEntryId',
  '003b': 'sentRepresentingSearchKey',
  '0c19': 'senderEntryId',
  '0c1d': 'senderSearchKey',
  '0ff9': 'recordKey',
  '0fff': 'entryId',
  '300b': 'searchKey',
  '5ff7': 'recipientEntryId',
};
const NAMED: Record<string, Record<number, { id: string }>> = FIELD.PIDLID_MAPPING;

/** Property ids whose binary value is searched in decoded form, or not here at all. */
const COMPRESSED_RTF = '1009';
const HTML_BINARY = '10130102';
const TRANSPORT_HEADERS = '007d';
const ATTACHMENT_DATA = '3701';

export interface Bodies {
  text?: string;
  html?: string;
  /** The RTF body, decoded; absent when there is none or it cannot be decompressed. */
  rtf?: RtfBody;
}

/** The message's bodies as text: plain, HTML (text or bytes in the Internet code page) and RTF. */
export function bodiesOf(fields: FieldsData): Bodies {
  const html = fields.bodyHtml ?? (fields.html ? iconv.decode(Buffer.from(fields.html), codepageEncoding(fields.internetCodepage) ?? 'utf8') : undefined);
  let rtf: RtfBody | undefined;
  try {
    if (fields.compressedRtf) rtf = rtfBody(decompressRtf(fields.compressedRtf));
  } catch {
    rtf = undefined; // An unreadable RTF body: the other bodies still stand.
  }
  return { ...(fields.body !== undefined ? { text: fields.body } : {}), ...(html !== undefined ? { html } : {}), ...(rtf ? { rtf } : {}) };
}

export type PropertyMatch = (match: { id: number; variant: string }, locator: Locator) => void;

/** Report every match in the properties of the message, its recipients and attachments. */
export function searchProperties(fields: FieldsData, bodies: Bodies, matcher: SpanFinder, report: PropertyMatch): void {
  const text = (value: string, locator: Locator) => {
    for (const m of matcher.findAll(value)) report(m, locator);
  };
  const parts: [string, FieldsData][] = [
    ['message', fields],
    ...(fields.recipients ?? []).map((r, i): [string, FieldsData] => [`recipient ${i + 1}`, r]),
    ...(fields.attachments ?? []).map((a, i): [string, FieldsData] => [`attachment ${i + 1}`, a]),
  ];
  for (const [part, props] of parts) {
    for (const prop of props.rawProps ?? []) {
      const tag = prop.propertyTag ?? '';
      const locator = { part, property: propertyName(prop) };
      if (typeof prop.value === 'string') {
        text(tag.startsWith(TRANSPORT_HEADERS) ? decodeHeaders(prop.value) : prop.value, locator);
      } else if (prop.value instanceof Uint8Array) {
        if (tag.startsWith(COMPRESSED_RTF)) {
          if (part === 'message' && bodies.rtf) text(bodies.rtf.content, { ...locator, decoded: true });
        } else if (tag === HTML_BINARY) {
          if (part === 'message' && bodies.html !== undefined) text(bodies.html, locator);
        } else if (!tag.startsWith(ATTACHMENT_DATA)) {
          // Binary values such as entry ids embed display names and addresses: read them as a dump.
          const scanner = new DumpScanner(matcher, { onMatch: (m) => report(m, { ...locator, offset: m.offset, encoding: m.encoding }) });
          scanner.push(Buffer.from(prop.value));
          scanner.end();
        }
      }
    }
  }
}

function propertyName(prop: RawProp): string {
  const tag = prop.propertyTag ?? '';
  const named = prop.propertySet && prop.propertyLid ? NAMED[prop.propertySet.toLowerCase()]?.[parseInt(prop.propertyLid, 16)]?.id : undefined;
  return prop.propertyName ?? named ?? NAMES[tag] ?? NAMES[tag.slice(0, 4)] ?? `0x${tag}`;
}

/** Header text as a reader sees it: one line per field, unfolded, RFC 2047 encoded-words decoded. */
export function decodeHeaders(headers: string): string {
  return headers
    .split(/\r?\n(?![ \t])/)
    .map((field) => decodeValue(field).text)
    .join('\n');
}
