/**
 * What a PDF shows to a reader, through pdf-parse (pdf.js): the text of every page (as laid out,
 * and as the sequence of glyphs drawn), what annotations show (their texts and the text of their
 * appearances), the document information fields, the XMP metadata and outline titles. Each is a
 * segment the matcher searches whole, with a locator naming where it is.
 */
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Locator } from '../../types.js';
import { glyphJoins } from './glyph-text.js';
import { AnnotationMode, OPS, PDFJS_DIR, PDFParse } from './pdfjs.js';
import { ArtifactProblem } from '../types.js';

export interface PdfSegment {
  locator: Locator;
  text: string;
  /** For page text: the page's glyphs joined tight and spaced (see glyph-text.ts), read as well. */
  glyphJoins?: string[];
  /** For the pages content()'s keepRuns picks: the glyphs of each text operation, for taking matches out. */
  runs?: GlyphRun[];
  /** For an annotation's appearance (what a viewer draws for it): pdf.js's id of the annotation, `12R`. */
  annotationId?: string;
}

export interface PdfContent {
  pageCount: number;
  segments: PdfSegment[];
  /** Page numbers without any text that draw an image: scanned pages nobody can search. */
  imageOnlyPages: number[];
  signed: boolean;
  encrypted: boolean;
  attachments: number;
}

/** Information dictionary fields that carry text (dates and flags do not). */
const INFO_TEXT_FIELDS = ['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'Producer'];

/** The text of a page of the current revision (not an annotation, not an earlier revision). */
export function isPageText(s: PdfSegment): boolean {
  return s.locator.page !== undefined && s.locator.annotation === undefined && s.locator.revision === undefined;
}

/** An open document; destroy() releases pdf.js's memory. */
export class PdfReader {
  private constructor(
    private readonly parser: InstanceType<typeof PDFParse>,
    readonly doc: PDFDocumentProxy,
  ) {}

  static async open(bytes: Uint8Array): Promise<PdfReader> {
    const parser = new PDFParse({
      // pdf.js may take ownership of the buffer it is given: hand it a copy.
      data: new Uint8Array(bytes),
      verbosity: 0,
      isEvalSupported: false,
      cMapUrl: `${PDFJS_DIR}/cmaps/`,
      cMapPacked: true,
      standardFontDataUrl: `${PDFJS_DIR}/standard_fonts/`,
    });
    try {
      // PDFParse keeps its pdf.js document private; load() is what every public method calls first.
      const doc = await (parser as unknown as { load(): Promise<PDFDocumentProxy> }).load();
      return new PdfReader(parser, doc);
    } catch (err) {
      await parser.destroy().catch(() => undefined);
      throw problemOf(err);
    }
  }

  async destroy(): Promise<void> {
    await this.parser.destroy();
  }

  /**
   * Everything the document shows, as segments. `keepRuns` picks the pages whose glyph runs stay
   * on their segment (the pages a redaction rewrites), so that their content is not read twice.
   */
  async content(keepRuns?: (page: PdfSegment) => boolean): Promise<PdfContent> {
    try {
      const segments: PdfSegment[] = [];
      const imageOnlyPages: number[] = [];
      const { pages } = await this.parser.getText();
      for (const { num, text } of pages) {
        const list = await this.operatorList(num);
        const { content, annotations } = textRuns(list);
        const page: PdfSegment = { locator: { page: num }, text, glyphJoins: glyphJoins(content) };
        if (keepRuns?.(page)) page.runs = content;
        segments.push(page);
        for (const [annotationId, runs] of annotations) {
          const [tight, spaced] = glyphJoins(runs);
          segments.push({ locator: { page: num, annotation: 'appearance' }, text: spaced, glyphJoins: [tight], annotationId });
        }
        if (text.trim() === '' && list.fnArray.some((fn) => IMAGE_OPS.has(fn))) imageOnlyPages.push(num);
      }
      for (let num = 1; num <= this.doc.numPages; num++) segments.push(...(await this.annotationTexts(num)));
      const { info, metadata } = await this.doc.getMetadata();
      const fields = (info ?? {}) as Record<string, unknown>;
      const custom = (fields.Custom ?? {}) as Record<string, unknown>;
      for (const [name, value] of [...INFO_TEXT_FIELDS.map((f) => [f, fields[f]] as const), ...Object.entries(custom)]) {
        if (typeof value === 'string' && value !== '') segments.push({ locator: { metadata: name }, text: value });
      }
      const xmp = metadata?.getRaw();
      if (typeof xmp === 'string' && xmp !== '') segments.push({ locator: { metadata: 'XMP' }, text: xmp });
      for (const title of await this.outlineTitles()) segments.push({ locator: { outline: true }, text: title });
      const attachments = Object.keys((await this.doc.getAttachments()) ?? {}).length;
      return {
        pageCount: this.doc.numPages,
        segments,
        imageOnlyPages,
        signed: Boolean(fields.IsSignaturesPresent),
        encrypted: Boolean(fields.EncryptFilterName),
        attachments,
      };
    } catch (err) {
      throw problemOf(err);
    }
  }

  /** What a viewer draws for the page: its content, then the appearance of each visible annotation. */
  private async operatorList(num: number): Promise<OperatorList> {
    const page = await this.doc.getPage(num);
    const list = await page.getOperatorList({ annotationMode: AnnotationMode.ENABLE });
    page.cleanup();
    return list;
  }

  private async annotationTexts(num: number): Promise<PdfSegment[]> {
    const page = await this.doc.getPage(num);
    const annotations = (await page.getAnnotations()) as Record<string, unknown>[];
    page.cleanup();
    const out: PdfSegment[] = [];
    for (const a of annotations) {
      const texts: [string, unknown][] = [
        ['contents', (a.contentsObj as { str?: string } | undefined)?.str],
        ['author', (a.titleObj as { str?: string } | undefined)?.str],
        ['field value', a.fieldValue],
        ['field name', a.alternativeText],
      ];
      for (const [what, value] of texts) {
        const values = Array.isArray(value) ? value : [value];
        for (const v of values) if (typeof v === 'string' && v !== '') out.push({ locator: { page: num, annotation: what }, text: v });
      }
    }
    return out;
  }

  private async outlineTitles(): Promise<string[]> {
    const titles: string[] = [];
    const visit = (items: { title: string; items: unknown[] }[] | null) => {
      for (const item of items ?? []) {
        titles.push(item.title);
        visit(item.items as { title: string; items: unknown[] }[]);
      }
    };
    visit((await this.doc.getOutline()) as { title: string; items: unknown[] }[] | null);
    return titles;
  }
}

interface OperatorList {
  fnArray: number[];
  argsArray: unknown[];
}

const IMAGE_OPS = new Set<number>([OPS.paintImageXObject, OPS.paintInlineImageXObject, OPS.paintImageMaskXObject, OPS.paintImageXObjectRepeat]);

/** Glyph runs of the page content, and of each annotation appearance by annotation id. */
function textRuns(list: OperatorList): { content: GlyphRun[]; annotations: Map<string, GlyphRun[]> } {
  const content: GlyphRun[] = [];
  const annotations = new Map<string, GlyphRun[]>();
  let current: GlyphRun[] = content;
  list.fnArray.forEach((fn, i) => {
    if (fn === OPS.beginAnnotation) {
      const id = String((list.argsArray[i] as [string])[0]);
      current = annotations.get(id) ?? [];
      annotations.set(id, current);
    } else if (fn === OPS.endAnnotation) current = content;
    else if (fn === OPS.showText) current.push((list.argsArray[i] as [GlyphRun])[0]);
  });
  for (const [id, runs] of annotations) if (runs.length === 0) annotations.delete(id);
  return { content, annotations };
}

/** One pdf.js glyph: its character code, the text it stands for, and its advance width (1/1000 em). */
export interface Glyph {
  originalCharCode: number;
  unicode: string;
  width: number;
}

/** What one text-showing operation shows: glyphs, and the numbers of a TJ array in between. */
export type GlyphRun = (Glyph | number | null)[];

/** A reason fit for the report: pdf.js messages name the problem, never the content. */
function problemOf(err: unknown): ArtifactProblem {
  if (err instanceof ArtifactProblem) return err;
  const name = (err as Error)?.name ?? '';
  const message = String((err as Error)?.message ?? err);
  if (name === 'PasswordException') return new ArtifactProblem('skipped', 'encrypted PDF (a password is needed to read it)');
  if (name === 'InvalidPDFException') return new ArtifactProblem('failed', `corrupt or truncated PDF: ${message}`);
  return new ArtifactProblem('failed', `PDF cannot be read: ${message}`);
}
