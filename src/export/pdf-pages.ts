/** PDF documents: the text of each page that mentions the subject. */
import { isPageText, PdfReader } from '../formats/pdf/reader.js';
import type { RecordRedactor } from './redact.js';
import type { ExportRecord } from './records.js';

export async function pdfPageRecords(bytes: Buffer, r: RecordRedactor): Promise<ExportRecord[]> {
  const reader = await PdfReader.open(bytes);
  try {
    const pages = new Map<number, string[]>();
    for (const s of (await reader.content()).segments) {
      if (!isPageText(s)) continue;
      const page = s.locator.page as number;
      pages.set(page, [...(pages.get(page) ?? []), s.text]);
    }
    const records: ExportRecord[] = [];
    for (const [page, texts] of [...pages].sort((a, b) => a[0] - b[0])) {
      const text = texts.join('\n');
      if (!r.mentions(text)) continue;
      const { text: clean, identifiers } = r.redact(text);
      records.push({ kind: 'page', locator: { page }, identifiers, text: clean });
    }
    return records;
  } finally {
    await reader.destroy();
  }
}
