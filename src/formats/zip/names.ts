/**
 * Entry names and comments as stored in a zip, and the safe relative path an entry is reported
 * and repacked under. A name such as `../../etc/passwd` or `/etc/x` never leaves the archive.
 */
import yauzl from 'yauzl';

/**
 * Text of a name or comment field: UTF-8 when general purpose bit 11 says so, CP437 otherwise
 * (yauzl's own rules, including the Info-ZIP Unicode path extra field for names). yauzl's
 * decoding is called directly because its automatic decoding refuses unsafe names outright.
 */
export function decodeZipText(raw: Buffer, generalPurposeBitFlag: number, extraFields: yauzl.ExtraField[] = []): string {
  return yauzl.getFileNameLowLevel(generalPurposeBitFlag, raw, extraFields, true);
}

export interface SafeName {
  /** Relative path inside the archive: no drive, no leading `/`, no `.` or `..` segments. */
  path: string;
  /** Why the stored name was not used as is. */
  problem?: string;
}

export function safeEntryName(stored: string): SafeName {
  const unified = stored.replace(/\\/g, '/');
  const directory = unified.endsWith('/');
  const absolute = /^([a-zA-Z]:)?\//.test(unified) || /^[a-zA-Z]:/.test(unified);
  const segments: string[] = [];
  let escapes = false;
  for (const segment of unified.replace(/^[a-zA-Z]:/, '').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      escapes = true;
      segments.pop();
    } else segments.push(segment);
  }
  const path = segments.join('/') + (directory && segments.length ? '/' : '');
  const problem = absolute ? 'absolute path' : escapes ? 'path with parent-directory (..) segments' : undefined;
  return { path, ...(problem ? { problem } : {}) };
}
