/** Whether content is a PDF, without loading the PDF reader (pdf.js is large: it loads on first use). */

/** `%PDF-1.x` at the start of a line within the first KiB, where readers look for it. */
const HEADER = /(?:^|[\r\n])%PDF-[12]\.\d/;

export function looksLikePdf(head: Buffer): boolean {
  return HEADER.test(head.toString('latin1', 0, Math.min(head.length, 1024)));
}
