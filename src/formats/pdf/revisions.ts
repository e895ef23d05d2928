/**
 * Earlier revisions of an incrementally updated PDF. An update appends objects and leaves the old
 * ones in the file, where any tool that cuts the file at an earlier `%%EOF` still reads them: a
 * page text or a field an update replaced is not gone. Each earlier revision is read like the
 * document; what it shows that the current revision does not show is a segment of its own.
 */
import { PdfReader, type PdfSegment } from './reader.js';

/** Revisions read at most; an older history is reported, not read. */
export const MAX_EARLIER_REVISIONS = 8;

/** Where each revision but the last ends: just past each `%%EOF` that more of the file follows. */
export function revisionEnds(bytes: Uint8Array): number[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const ends: number[] = [];
  for (const m of text.matchAll(/%%EOF[ \t]*(?:\r\n|\r|\n)?/g)) ends.push(m.index + m[0].length);
  // A linearized file ends its first-page section with an %%EOF of its own: not a revision.
  if (/\/Linearized\b/.test(text.slice(0, 1024))) ends.shift();
  const last = ends.length ? ends[ends.length - 1]! : 0;
  // Whitespace after the final %%EOF is not another revision.
  const current = /\S/.test(text.slice(last)) ? bytes.length : last;
  return ends.filter((end) => end < current);
}

export interface EarlierRevisions {
  segments: PdfSegment[];
  /** Revisions that could not be read (a linearized file's first part is not a document) or were beyond the limit. */
  unread: number;
}

const key = (s: PdfSegment) => JSON.stringify(s.locator);

export async function earlierRevisions(bytes: Uint8Array, current: PdfSegment[]): Promise<EarlierRevisions> {
  const ends = revisionEnds(bytes);
  const shown = new Map(current.map((s) => [key(s), s.text]));
  const segments: PdfSegment[] = [];
  let unread = Math.max(0, ends.length - MAX_EARLIER_REVISIONS);
  for (const [index, end] of ends.slice(0, MAX_EARLIER_REVISIONS).entries()) {
    let reader: PdfReader | undefined;
    try {
      reader = await PdfReader.open(bytes.subarray(0, end));
      for (const segment of (await reader.content()).segments) {
        if (shown.get(key(segment)) === segment.text) continue;
        segments.push({ ...segment, locator: { revision: index + 1, ...segment.locator } });
      }
    } catch {
      unread++;
    } finally {
      await reader?.destroy();
    }
  }
  return { segments, unread };
}
