/**
 * Write a redacted PDF: matched text taken out of the content streams in place (layout kept),
 * pages whose text cannot be traced re-rendered as plain text, annotation appearances that show a
 * match dropped, matching strings and XMP metadata replaced, unused objects dropped, and the whole document written fresh (no incremental update
 * that would keep the old revision). The result is read back; a page that still shows a match is
 * re-rendered, and a copy that still shows one after that is refused.
 */
import { PDFBool, PDFDict, PDFDocument, PDFName, PDFRef, PDFStream, type PDFContext } from 'pdf-lib';
import type { Match, SpanFinder } from '../../scan/matcher.js';
import { redactSegment } from '../segment.js';
import { ArtifactProblem, type HandlerContext } from '../types.js';
import { scrubDocument } from './document-strings.js';
import { PlainTextWriter } from './plain-text.js';
import { isPageText, PdfReader, type PdfContent, type PdfSegment } from './reader.js';
import { traceText, type ContentStream } from './text-layer.js';
import { findRemovals, rewriteStreams, type Removals } from './text-removal.js';

type Ctx = Pick<HandlerContext, 'matcher' | 'placeholder'>;

export interface PdfRedaction {
  bytes: Uint8Array;
  spans: number;
  notes: string[];
}

/**
 * The matches of a segment. A page is read as laid out and as its glyph joins; each identifier
 * counts as often as the reading that shows it most often (one occurrence seen by two readings is
 * one occurrence, an occurrence only one reading sees still counts).
 */
export function segmentMatches(segment: PdfSegment, matcher: SpanFinder): Match[] {
  const found = matcher.findAll(segment.text);
  for (const join of segment.glyphJoins ?? []) {
    const other = matcher.findAll(join);
    const ids = new Set(other.map((m) => m.id));
    for (const id of ids) {
      const have = found.filter((m) => m.id === id).length;
      found.push(...other.filter((m) => m.id === id).slice(have));
    }
  }
  return found;
}

/** Whether a segment holds a match that the copy must not show. */
export function revealing(segment: PdfSegment, ctx: Ctx): boolean {
  return segmentMatches(segment, ctx.matcher).some((m) => ctx.placeholder(m.id) !== null);
}

/** Whether a copy rewrites this segment's page: page text that holds a match the copy must not show. */
export function rewritesPage(segment: PdfSegment, ctx: Ctx): boolean {
  return isPageText(segment) && revealing(segment, ctx);
}

/** "1, 3–5, 9" */
export function pageList(pages: number[]): string {
  const sorted = [...new Set(pages)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    ranges.push(j > i ? `${sorted[i]}–${sorted[j]}` : `${sorted[i]}`);
    i = j;
  }
  return `${sorted.length > 1 ? 'pages' : 'page'} ${ranges.join(', ')}`;
}

/** `content` was read with rewritesPage() as keepRuns: the pages to rewrite carry their glyph runs. */
export async function redactPdf(original: Uint8Array, content: PdfContent, ctx: Ctx): Promise<PdfRedaction> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(original, { updateMetadata: false });
  } catch (err) {
    return plainDocument(content, ctx, (err as Error).name === 'EncryptedPDFError' ? 'an encrypted PDF cannot be rewritten' : 'its objects cannot be parsed');
  }
  const pages = doc.getPages();
  const withMatches = content.segments.filter((s) => rewritesPage(s, ctx));

  // 1. Take matched glyphs out of the content streams where pdf.js's glyphs can be traced to their codes.
  const forms = new Map<string, ContentStream>();
  const removals: Removals[] = [];
  const inPlace: number[] = [];
  const rerender = new Set<number>();
  let spans = 0;
  for (const { locator, runs } of withMatches) {
    const num = locator.page as number;
    if (!runs) throw new Error(`the glyph runs of page ${num} were not kept for its redaction`);
    const page = pages[num - 1]!;
    try {
      const { shown } = traceText(page.node, page.node.Resources(), runs, doc.context, forms);
      const found = findRemovals(shown, runs, ctx);
      removals.push(found.removals);
      spans += found.spans;
      inPlace.push(num);
    } catch {
      // Content that cannot be parsed, decoded or traced to glyphs: the page is drawn again instead.
      rerender.add(num);
    }
  }
  for (const [stream, data] of rewriteStreams(removals)) replaceContent(doc.context, stream, data);

  // 2. Annotation appearances that show a match are dropped: viewers draw a form field again from
  // its value (redacted below), and a signature's appearance is only a picture of it.
  const appearances = content.segments.filter((s) => s.annotationId && s.locator.revision === undefined && revealing(s, ctx));
  for (const s of appearances) {
    dropAppearance(doc.context, s.annotationId!);
    spans += segmentMatches(s, ctx.matcher).filter((m) => ctx.placeholder(m.id) !== null).length;
  }
  if (appearances.length) doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict)?.set(PDFName.of('NeedAppearances'), PDFBool.True);

  // 3. Pages that could not be traced, then strings and metadata everywhere.
  const writer = new PlainTextWriter(doc);
  for (const num of rerender) spans += await redraw(writer, pages[num - 1]!, content, num, ctx);
  spans += scrubDocument(doc.context, ctx);
  let bytes = await save(doc);

  // 4. Read the copy back; pages that still show a match are re-rendered (once).
  let residual = await revealingPages(bytes, ctx);
  const again = residual.pages.filter((num) => !rerender.has(num));
  if (again.length > 0) {
    for (const num of again) {
      rerender.add(num);
      spans += await redraw(writer, pages[num - 1]!, content, num, ctx);
    }
    spans += scrubDocument(doc.context, ctx);
    bytes = await save(doc);
    residual = await revealingPages(bytes, ctx);
  }
  if (residual.pages.length > 0 || residual.elsewhere > 0) {
    throw new ArtifactProblem('failed', `redacted PDF still shows a match (${residual.pages.length ? pageList(residual.pages) : 'outside page text'}); not written`);
  }

  const notes: string[] = [];
  // Earlier revisions are not written at all: what they showed counts as removed.
  const history = content.segments.filter((s) => s.locator.revision !== undefined);
  const dropped = history.flatMap((s) => segmentMatches(s, ctx.matcher)).filter((m) => ctx.placeholder(m.id) !== null).length;
  if (dropped) {
    spans += dropped;
    notes.push(`earlier revisions not kept: ${dropped} match(es) they showed are gone from the copy (one fresh revision)`);
  }
  const kept = inPlace.filter((n) => !rerender.has(n));
  if (kept.length) notes.push(`${pageList(kept)}: text removed in place, layout kept`);
  if (rerender.size) notes.push(`${pageList([...rerender])} re-rendered as plain text (text could not be removed in place; images and layout dropped)`);
  if (appearances.length) {
    notes.push(`${pageList(appearances.map((s) => s.locator.page as number))}: appearance of ${appearances.length} annotation(s) that showed a match dropped`);
  }
  if (content.signed) notes.push('the redacted copy is no longer covered by the original digital signature');
  return { bytes, spans, notes };
}

async function redraw(writer: PlainTextWriter, page: ReturnType<PDFDocument['getPages']>[number], content: PdfContent, num: number, ctx: Ctx): Promise<number> {
  const redacted = redactSegment(plainTextOf(content, num, ctx), ctx);
  await writer.redraw(page, redacted.text);
  return redacted.spans;
}

/**
 * The text a re-rendered page shows: as laid out (lines kept), unless the layout hides a match
 * that the glyph sequence shows (letter-spaced text comes out as `9 f 3 a …`, which would survive
 * as such); then the glyph sequence, where placeholders can replace it.
 */
function plainTextOf(content: PdfContent, num: number, ctx: Ctx): string {
  const segment = content.segments.find((s) => isPageText(s) && s.locator.page === num);
  if (!segment) return '';
  const spaced = segment.glyphJoins?.[1];
  const hidden = spaced !== undefined && segmentMatches(segment, ctx.matcher).length > ctx.matcher.findAll(segment.text).length;
  return hidden ? spaced : segment.text;
}

/** Remove what a viewer draws for an annotation (pdf.js names it by its object number: `12R`, `12R3`). */
function dropAppearance(context: PDFContext, id: string): void {
  const m = /^(\d+)R(\d*)$/.exec(id);
  const annotation = m ? context.lookupMaybe(PDFRef.of(Number(m[1]), Number(m[2] || 0)), PDFDict) : undefined;
  annotation?.delete(PDFName.of('AP'));
}

/** Put rewritten content in place: a page gets one new content stream, a form XObject new contents under its own reference. */
function replaceContent(context: PDFContext, stream: ContentStream, data: Buffer): void {
  if ('page' in stream.owner) {
    stream.owner.page.set(PDFName.of('Contents'), context.register(context.flateStream(data)));
    return;
  }
  const ref: PDFRef = stream.owner.form;
  const old = context.lookup(ref, PDFStream);
  const replacement = context.flateStream(data);
  for (const [key, value] of old.dict.entries()) {
    if (!['/Length', '/Filter', '/DecodeParms'].includes(key.asString())) replacement.dict.set(key, value);
  }
  context.assign(ref, replacement);
}

function save(doc: PDFDocument): Promise<Uint8Array> {
  return doc.save({ addDefaultPage: false, updateFieldAppearances: false });
}

/** Pages of `bytes` whose text still holds a match, and the number of other segments that do. */
async function revealingPages(bytes: Uint8Array, ctx: Ctx): Promise<{ pages: number[]; elsewhere: number }> {
  const reader = await PdfReader.open(bytes);
  try {
    const { segments } = await reader.content();
    const revealed = segments.filter((s) => revealing(s, ctx));
    return {
      pages: revealed.filter(isPageText).map((s) => s.locator.page as number),
      elsewhere: revealed.filter((s) => !isPageText(s)).length,
    };
  } finally {
    await reader.destroy();
  }
}

/** Every page drawn as plain text in a new document: for PDFs whose objects cannot be rewritten. */
async function plainDocument(content: PdfContent, ctx: Ctx, why: string): Promise<PdfRedaction> {
  const doc = await PDFDocument.create();
  const writer = new PlainTextWriter(doc);
  let spans = 0;
  for (let num = 1; num <= content.pageCount; num++) {
    const redacted = redactSegment(plainTextOf(content, num, ctx), ctx);
    await writer.addPage(redacted.text);
    spans += redacted.spans;
  }
  const bytes = await save(doc);
  const residual = await revealingPages(bytes, ctx);
  if (residual.pages.length || residual.elsewhere) throw new ArtifactProblem('failed', 'redacted PDF still shows a match; not written');
  return { bytes, spans, notes: [`every page re-rendered as plain text (${why}); metadata, annotations, images and layout dropped`] };
}
