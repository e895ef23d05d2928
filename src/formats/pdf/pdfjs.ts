/**
 * pdf-parse and the pdf.js it pins (its legacy build, the one that runs on Node 20), loaded once;
 * pdf.js directly for what pdf-parse does not reach (the operator list).
 *
 * While it loads, the legacy build installs core-js polyfills on built-ins. One of them replaces
 * Array.prototype.push with a JavaScript version about four times slower, and every push of the
 * process goes through it from then on: pdf.js's own, ours, and those of every format read after
 * the first PDF. core-js replaces it over edge cases (array-likes 2^32 long, arrays whose length is
 * read-only) that nothing here meets, so Node's own push is put back once both halves of pdf.js are
 * loaded.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const nativePush = Array.prototype.push;

export const PDFJS_DIR = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
export const { PDFParse } = await import('pdf-parse');
export const { AnnotationMode, OPS } = await import('pdfjs-dist/legacy/build/pdf.mjs');
// The worker half carries its own core-js, which would install the polyfill again when the first
// document opens. Loaded now, it registers itself (globalThis.pdfjsWorker) and pdf.js runs it as is.
await import(pathToFileURL(path.join(PDFJS_DIR, 'legacy/build/pdf.worker.mjs')).href);
Array.prototype.push = nativePush;
