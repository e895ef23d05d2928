/**
 * The fallback when text cannot be removed in place: a page is drawn again as plain text (Helvetica,
 * line by line, shrunk to fit), from its extracted text with placeholders in place of the matches.
 * Its old content and resources (fonts, images, forms) are dropped, so nothing of it survives.
 */
import { PDFDocument, PDFName, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';

const MARGIN = 36;
const MAX_SIZE = 10;
const MIN_SIZE = 3;

export class PlainTextWriter {
  private font: PDFFont | undefined;
  private charset: Set<number> | undefined;

  constructor(private readonly doc: PDFDocument) {}

  /** Replace what `page` draws with `text`. */
  async redraw(page: PDFPage, text: string): Promise<void> {
    const node = page.node;
    node.delete(PDFName.of('Contents'));
    node.set(PDFName.of('Resources'), this.doc.context.obj({}));
    await this.draw(page, text);
  }

  /** A new page of `width` × `height` showing `text`. */
  async addPage(text: string, width = 612, height = 792): Promise<void> {
    await this.draw(this.doc.addPage([width, height]), text);
  }

  private async draw(page: PDFPage, text: string): Promise<void> {
    const font = (this.font ??= await this.doc.embedFont(StandardFonts.Helvetica));
    this.charset ??= new Set(font.getCharacterSet());
    const charset = this.charset;
    // Helvetica's WinAnsi encoding has no other characters: they show as `?`.
    const encodable = (line: string) => [...line.replace(/\t/g, ' ')].map((ch) => (charset.has(ch.codePointAt(0)!) ? ch : '?')).join('');
    const { x, y, width, height } = page.getMediaBox();
    const lines = text.split(/\r?\n/).map(encodable);
    const usable = { width: Math.max(1, width - 2 * MARGIN), height: Math.max(1, height - 2 * MARGIN) };
    let size = MAX_SIZE;
    let wrapped = wrap(lines, font, size, usable.width);
    while (size > MIN_SIZE && wrapped.length * size * 1.2 > usable.height) {
      size = Math.max(MIN_SIZE, size * 0.9);
      wrapped = wrap(lines, font, size, usable.width);
    }
    wrapped.forEach((line, i) => {
      if (line !== '') page.drawText(line, { x: x + MARGIN, y: y + height - MARGIN - (i + 1) * size * 1.2, size, font });
    });
  }
}

/** Break lines wider than `width` at spaces where possible, else anywhere. */
function wrap(lines: string[], font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  for (const line of lines) {
    let rest = line;
    while (rest.length > 0 && font.widthOfTextAtSize(rest, size) > width) {
      // The longest prefix that fits (at least one character), by bisection.
      let lo = 1;
      let hi = rest.length;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (font.widthOfTextAtSize(rest.slice(0, mid), size) <= width) lo = mid;
        else hi = mid - 1;
      }
      let cut = lo;
      const space = rest.lastIndexOf(' ', cut);
      if (space > 0) cut = space + 1;
      out.push(rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut);
    }
    out.push(rest);
  }
  return out;
}
