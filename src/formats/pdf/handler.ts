/**
 * PDF: the text of every page, the document information and XMP metadata, annotation texts and
 * outline titles, in the current revision and in earlier ones an incremental update left in the
 * file, are searched; a redacted copy is a valid PDF in which none of them shows a match.
 * A PDF is read whole into memory (its structure is not a stream), up to MAX_PDF_BYTES.
 */
import type { Writable } from 'node:stream';
import { searchingOnce } from '../../scan/search-once.js';
import { readWhole, writeAll } from '../stream-util.js';
import { ArtifactProblem, type ArtifactSource, type FormatHandler, type HandlerContext, type HandlerOutcome } from '../types.js';
import { PdfReader, type PdfContent } from './reader.js';
import { looksLikePdf } from './recognize.js';
import { pageList, redactPdf, revealing, rewritesPage, segmentMatches } from './redact.js';
import { earlierRevisions } from './revisions.js';

export const MAX_PDF_BYTES = 512 * 1024 * 1024;

function readingNotes(content: PdfContent): string[] {
  const notes: string[] = [];
  if (content.imageOnlyPages.length) {
    const many = content.imageOnlyPages.length > 1;
    notes.push(`${pageList(content.imageOnlyPages)} ${many ? 'have' : 'has'} no text layer (image only?): not searchable`);
  }
  if (content.attachments) notes.push(`${content.attachments} embedded file(s) not searched`);
  return notes;
}

export const pdfHandler: FormatHandler = {
  name: 'pdf',
  recognizes: looksLikePdf,
  async process(source: ArtifactSource, ctx: HandlerContext, out?: Writable): Promise<HandlerOutcome> {
    const bytes = await readWhole(source, MAX_PDF_BYTES, () => new ArtifactProblem('skipped', `PDF larger than ${MAX_PDF_BYTES} bytes is not loaded into memory`));
    const reader = await PdfReader.open(bytes);
    // Texts are asked about more than once (found, revealing, which pages and glyphs to rewrite).
    const search = { ...ctx, matcher: searchingOnce(ctx.matcher) };
    try {
      // A copy rewrites the pages that show a match: their glyph runs are kept as they are read.
      const content = await reader.content(out ? (page) => rewritesPage(page, search) : undefined);
      const history = await earlierRevisions(bytes, content.segments);
      content.segments.push(...history.segments);
      for (const segment of content.segments) {
        for (const m of segmentMatches(segment, search.matcher)) ctx.found(source, { id: m.id, variant: m.variant, locator: segment.locator });
      }
      const notes = readingNotes(content);
      if (history.unread) notes.push(`${history.unread} earlier revision(s) of this incrementally updated PDF could not be read`);
      const outcome = (spans: number, more: string[] = []): HandlerOutcome => ({
        format: 'pdf',
        spans,
        ...(notes.length + more.length ? { notes: [...notes, ...more] } : {}),
      });
      if (!out) return outcome(0);
      if (!content.segments.some((s) => revealing(s, search))) {
        await writeAll(out, [bytes]);
        return outcome(0);
      }
      const redaction = await redactPdf(bytes, content, search);
      await writeAll(out, [Buffer.from(redaction.bytes)]);
      return outcome(redaction.spans, redaction.notes);
    } finally {
      await reader.destroy();
    }
  },
};
