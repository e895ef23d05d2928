/**
 * Outlook .msg: every property of the message, its recipients and attachments is searched
 * (properties.ts); attachment contents and embedded messages are members (`mail.msg!report.pdf`).
 * The redacted copy is an .eml (eml.ts), which the engine writes beside the original path.
 */
import type { Writable } from 'node:stream';
import type { FieldsData } from '@kenjiuno/msgreader';
import { readWhole, streamOf, writeAll } from '../stream-util.js';
import { MAX_MESSAGE_BYTES, tooLarge } from '../email/message.js';
import { ArtifactProblem, HEAD_BYTES, type ArtifactSource, type FormatHandler, type HandlerContext, type HandlerOutcome } from '../types.js';
import { composeEml, type EmlAttachment } from './eml.js';
import { bodiesOf, searchProperties } from './properties.js';
import { parseMsg, type MsgReaderInstance } from './read.js';
import { looksLikeMsg } from './recognize.js';

export const msgHandler: FormatHandler = {
  name: 'msg',
  recognizes: looksLikeMsg,
  async process(source: ArtifactSource, ctx: HandlerContext, out?: Writable): Promise<HandlerOutcome> {
    // Read whole, as an e-mail is, and refused past the same size.
    const bytes = await readWhole(source, MAX_MESSAGE_BYTES, () => tooLarge('the .msg message'));
    const { reader, fields } = parseMsg(bytes);
    const bodies = bodiesOf(fields);
    let removed = 0;
    searchProperties(fields, bodies, ctx.matcher, (m, locator) => {
      ctx.found(source, { id: m.id, variant: m.variant, locator });
      if (ctx.placeholder(m.id) !== null) removed++;
    });
    const notes: string[] = [];
    const attachments = await searchAttachments(reader, fields, source, ctx, out !== undefined);
    if (bodies.rtf === undefined && fields.compressedRtf) notes.push('RTF body could not be decompressed; plain and HTML bodies searched');
    if (!out) return { format: 'msg', spans: 0, ...(notes.length ? { notes } : {}) };

    const { eml, spans } = await composeEml(fields, bodies, attachments.carried, ctx, bytes);
    await writeAll(out, [eml]);
    // The .eml drops what it does not carry (entry ids, search keys, transport headers): every
    // match is gone from it, as a placeholder or not at all. Counting them all keeps a container
    // from taking a message whose matches were all dropped for an unchanged one.
    return { format: 'msg', spans: Math.max(spans, removed) + attachments.spans, writtenAs: '.eml', ...(notes.length ? { notes } : {}) };
  },
};

/** Each attachment as a member; what the .eml copy carries for it. */
async function searchAttachments(
  reader: MsgReaderInstance,
  fields: FieldsData,
  source: ArtifactSource,
  ctx: HandlerContext,
  redact: boolean,
): Promise<{ carried: EmlAttachment[]; spans: number }> {
  const carried: EmlAttachment[] = [];
  let spans = 0;
  for (const [i, attachment] of (fields.attachments ?? []).entries()) {
    const embedded = attachment.innerMsgContent === true;
    const stored = attachment.fileName ?? attachment.fileNameShort ?? attachment.name ?? `attachment-${i + 1}`;
    const name = embedded ? `${attachment.name ?? `message-${i + 1}`}.msg` : stored;
    const content = attachmentContent(reader, attachment);
    const member: ArtifactSource = {
      engagement: source.engagement,
      path: `${source.path}!${ctx.matcher.scrub(name)}`,
      size: content?.length ?? 0,
      head: content ? content.subarray(0, HEAD_BYTES) : Buffer.alloc(0),
      open: () => streamOf(content ?? Buffer.alloc(0)),
      depth: source.depth + 1,
      ...(content ? {} : { unreadable: new ArtifactProblem('skipped', 'attachment without data (a link or an OLE object reference)') }),
    };
    const outcome = await ctx.member(member, redact);
    if (!content) continue;
    spans += outcome.spans ?? 0;
    carried.push({
      name,
      content: outcome.redacted ?? content,
      ...(outcome.writtenAs ? { writtenAs: outcome.writtenAs } : {}),
      ...(embedded ? { contentType: 'application/vnd.ms-outlook' } : attachment.attachMimeTag ? { contentType: attachment.attachMimeTag } : {}),
      ...(attachment.pidContentId ? { contentId: attachment.pidContentId } : {}),
    });
  }
  return { carried, spans };
}

function attachmentContent(reader: MsgReaderInstance, attachment: FieldsData): Buffer | undefined {
  if (attachment.innerMsgContent !== true && attachment.dataId === undefined) return undefined;
  try {
    return Buffer.from(reader.getAttachment(attachment).content);
  } catch {
    return undefined;
  }
}
