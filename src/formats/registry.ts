/**
 * Format handlers in the order they are tried. Content decides; the first handler that
 * recognises the head reads the artifact. Text comes last because it accepts anything without NULs.
 */
import { gzipHandler } from './gzip.js';
import { textHandler } from './text.js';
import type { FormatHandler } from './types.js';

export const HANDLERS: FormatHandler[] = [gzipHandler, textHandler];

export function handlerFor(head: Buffer, path: string): FormatHandler | undefined {
  return HANDLERS.find((h) => h.recognizes(head, path));
}
