/** Whether content is an e-mail message or an mbox, without loading the MIME readers (they load on first use). */
import { HEAD_BYTES } from '../types.js';
import { looksLikeMessage } from './header.js';

/** The start of an mbox separator line. */
export const MBOX_FROM = Buffer.from('From ', 'latin1');
/** A `From ` line as mbox writers make it: sender, then an asctime-style date (`Thu Feb 22 11:20:31 2007`). */
export const MBOX_SEPARATOR = /^From \S*\s.*\d{1,2}:\d{2}/;

/** One message (.eml): a header from the first byte. */
export function looksLikeEml(head: Buffer): boolean {
  return looksLikeMessage(head, head.length < HEAD_BYTES);
}

export function looksLikeMbox(head: Buffer): boolean {
  if (!head.subarray(0, 5).equals(MBOX_FROM)) return false;
  const lf = head.indexOf(0x0a);
  if (lf === -1 || !MBOX_SEPARATOR.test(head.toString('latin1', 0, lf))) return false;
  const rest = head.subarray(lf + 1);
  return looksLikeMessage(rest, head.length < HEAD_BYTES);
}
