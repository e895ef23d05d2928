/**
 * Format handlers in the order they are tried. Content decides; the first handler that
 * recognises the head reads the artifact. Text comes late because it accepts anything without NULs;
 * binary is last and takes the rest.
 */
import { binaryHandler } from './binary/handler.js';
import { emlHandler } from './email/eml.js';
import { mboxHandler } from './email/mbox.js';
import { gzipHandler } from './gzip.js';
import { msgHandler } from './msg/index.js';
import { pdfHandler } from './pdf/handler.js';
import { textHandler } from './text.js';
import { zipHandler } from './zip/index.js';
import type { FormatHandler } from './types.js';

export const HANDLERS: FormatHandler[] = [gzipHandler, zipHandler, msgHandler, mboxHandler, emlHandler, pdfHandler, textHandler, binaryHandler];

export function handlerFor(head: Buffer, path: string): FormatHandler | undefined {
  return HANDLERS.find((h) => h.recognizes(head, path));
}
