/** One e-mail message (RFC 5322, .eml), recognised by its header. */
import type { Writable } from 'node:stream';
import { readWhole, writeAll } from '../stream-util.js';
import type { ArtifactSource, FormatHandler, HandlerContext, HandlerOutcome } from '../types.js';
import { MAX_MESSAGE_BYTES, processMessage, tooLarge } from './message.js';
import { looksLikeEml } from './recognize.js';

export const emlHandler: FormatHandler = {
  name: 'eml',
  recognizes: looksLikeEml,
  async process(source: ArtifactSource, ctx: HandlerContext, out?: Writable): Promise<HandlerOutcome> {
    const raw = await readWhole(source, MAX_MESSAGE_BYTES, () => tooLarge('the e-mail'));
    const outcome = await processMessage(raw, { source, ctx, redact: out !== undefined, where: {}, memberPrefix: '' });
    if (out && outcome.bytes) await writeAll(out, [outcome.bytes]);
    return { format: 'eml', spans: outcome.spans, ...(outcome.notes.length ? { notes: outcome.notes } : {}) };
  },
};
