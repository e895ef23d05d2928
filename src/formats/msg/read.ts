/**
 * Reading an Outlook .msg (an OLE compound file of MAPI properties) with @kenjiuno/msgreader,
 * with every property kept (`rawProps`) so that nothing the message stores goes unsearched.
 */
import { createRequire } from 'node:module';
import type msgreaderModule from '@kenjiuno/msgreader';
import type { FieldsData } from '@kenjiuno/msgreader';
import iconv from 'iconv-lite';
import { ArtifactProblem } from '../types.js';

// msgreader is CommonJS with `exports.default`: required, so that Node and the test runner
// (which disagree on what a default import of such a module is) get the same class.
export const requireCjs = createRequire(import.meta.url);
const MsgReader = (requireCjs('@kenjiuno/msgreader') as typeof msgreaderModule).default;
export type MsgReaderInstance = InstanceType<typeof MsgReader>;

export interface ParsedMsg {
  reader: MsgReaderInstance;
  fields: FieldsData;
}

export function parseMsg(bytes: Buffer): ParsedMsg {
  let parsed = parse(bytes, undefined);
  if (parsed.fields.dataType !== 'msg' || (!parsed.fields.messageClass && !parsed.fields.rawProps?.length)) {
    throw new ArtifactProblem('skipped', 'OLE document that is not an Outlook message');
  }
  // 8-bit strings (PT_STRING8) are in the message's code page, or else the one of its locale;
  // msgreader reads them as Latin-1 unless told, so read again in that code page.
  const { messageCodepage, messageLocaleId } = parsed.fields;
  const encoding = codepageEncoding(messageCodepage ?? localeCodepage(messageLocaleId));
  if (encoding && hasString8(parsed.fields)) parsed = parse(bytes, encoding);
  return parsed;
}

function parse(bytes: Buffer, ansiEncoding: string | undefined): ParsedMsg {
  try {
    // A view of the bytes (a Buffer may sit inside a larger pool): no copy of the whole message.
    const reader = new MsgReader(new DataView(bytes.buffer, bytes.byteOffset, bytes.length));
    reader.parserConfig = { includeRawProps: true, ...(ansiEncoding ? { ansiEncoding } : {}) };
    return { reader, fields: reader.getFileData() };
  } catch (err) {
    throw new ArtifactProblem('failed', `corrupt or truncated OLE document: ${(err as Error).message}`);
  }
}

/** iconv-lite's name for a Windows code page, or undefined for Unicode and unknown pages. */
export function codepageEncoding(codepage: number | undefined): string | undefined {
  if (!codepage || codepage === 1200 || codepage === 1201) return undefined;
  if (codepage === 65001) return 'utf8';
  if (codepage === 20127) return 'ascii';
  return iconv.encodingExists(`cp${codepage}`) ? `cp${codepage}` : undefined;
}

/** Windows ANSI code pages by primary language of a locale id (LCID), where not 1252. */
const LANGUAGE_CODEPAGES: Record<number, number> = {
  0x11: 932, 0x12: 949, 0x04: 936, 0x19: 1251, 0x22: 1251, 0x02: 1251, 0x23: 1251, 0x05: 1250, 0x15: 1250, 0x0e: 1250, 0x1a: 1250,
  0x1b: 1250, 0x24: 1250, 0x18: 1250, 0x08: 1253, 0x1f: 1254, 0x0d: 1255, 0x01: 1256, 0x29: 1256, 0x20: 1256, 0x25: 1257, 0x26: 1257,
  0x27: 1257, 0x2a: 1258, 0x1e: 874,
};
const TRADITIONAL_CHINESE = new Set([0x0404, 0x0c04, 0x1404]);

function localeCodepage(lcid: number | undefined): number | undefined {
  if (!lcid) return undefined;
  if (TRADITIONAL_CHINESE.has(lcid)) return 950;
  return LANGUAGE_CODEPAGES[lcid & 0x3ff];
}

function hasString8(fields: FieldsData): boolean {
  const all = [fields, ...(fields.recipients ?? []), ...(fields.attachments ?? [])];
  return all.some((f) => f.rawProps?.some((p) => p.propertyTag?.endsWith('001e')));
}
