/** One e-mail message (RFC 5322, .eml), recognised by its header. */
import type { Writable } from 'node:stream';
import { writeAll } from '../stream-util.js';
import type { ArtifactSource, FormatHandler, HandlerContext, HandlerOutcome } from '../types.js';
import { MAX_MESSAGE_BYTES, processMessage, tooLarge } from './message.js';
import { looksLikeEml } from './recognize.js';

/** All of a stream, refused past `limit` bytes. */
export async function readAll(stream: NodeJS.ReadableStream, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw tooLarge(what);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export const emlHandler: FormatHandler = {
  name: 'eml',
  recognizes: looksLikeEml,
  async process(source: ArtifactSource, ctx: HandlerContext, out?: Writable): Promise<HandlerOutcome> {
    if (source.size > MAX_MESSAGE_BYTES) throw tooLarge('the e-mail');
    const raw = await readAll(source.open(), MAX_MESSAGE_BYTES, 'the e-mail');
    const outcome = await processMessage(raw, { source, ctx, redact: out !== undefined, where: {}, memberPrefix: '' });
    if (out && outcome.bytes) await writeAll(out, [outcome.bytes]);
    return { format: 'eml', spans: outcome.spans, ...(outcome.notes.length ? { notes: outcome.notes } : {}) };
  },
};
