/**
 * Format handlers in the order they are tried. Content decides; the first handler that
 * recognises the head reads the artifact. Text comes late because it accepts anything without NULs;
 * binary is last and takes the rest.
 */
import { binaryHandler } from './binary/handler.js';
import { looksLikeEml, looksLikeMbox } from './email/recognize.js';
import { gzipHandler } from './gzip.js';
import { looksLikeMsg } from './msg/recognize.js';
import { looksLikePdf } from './pdf/recognize.js';
import { textHandler } from './text.js';
import { looksLikeZip } from './zip/recognize.js';
import type { FormatHandler } from './types.js';

/** A handler whose code loads on first use, for readers whose libraries are large. */
function loadedOnUse(name: string, recognizes: FormatHandler['recognizes'], load: () => Promise<FormatHandler>): FormatHandler {
  let handler: Promise<FormatHandler> | undefined;
  return {
    name,
    recognizes,
    async process(source, ctx, out) {
      handler ??= load();
      return (await handler).process(source, ctx, out);
    },
  };
}

// pdf.js is about 55 MB of memory once loaded: a run without PDFs does not need it.
const pdfHandler = loadedOnUse('pdf', looksLikePdf, async () => (await import('./pdf/handler.js')).pdfHandler);
// The zip, .msg and e-mail readers bring libraries (yauzl/yazl, msgreader, nodemailer, libmime,
// charset tables) that take ~100 ms together to load: a run over plain text files starts without them.
const zipHandler = loadedOnUse('zip', looksLikeZip, async () => (await import('./zip/index.js')).zipHandler);
const msgHandler = loadedOnUse('msg', looksLikeMsg, async () => (await import('./msg/index.js')).msgHandler);
const mboxHandler = loadedOnUse('mbox', looksLikeMbox, async () => (await import('./email/mbox.js')).mboxHandler);
const emlHandler = loadedOnUse('eml', looksLikeEml, async () => (await import('./email/eml.js')).emlHandler);

export const HANDLERS: FormatHandler[] = [gzipHandler, zipHandler, msgHandler, mboxHandler, emlHandler, pdfHandler, textHandler, binaryHandler];

export function handlerFor(head: Buffer, path: string): FormatHandler | undefined {
  return HANDLERS.find((h) => h.recognizes(head, path));
}
