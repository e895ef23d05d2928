/**
 * mbox: messages each introduced by a `From ` line. The file is streamed and split message by
 * message, so only one message is in memory at a time; each is searched (and redacted) like an
 * .eml, and the copy keeps every message, in order, with its `From ` line.
 *
 * A `From ` line with a date counts as a separator at the start of the file or after a blank line
 * (writers quote body lines as `>From `; those quoted lines are left as they are). The blank line
 * before a separator stays with the message before it.
 */
import type { Writable } from 'node:stream';
import type { Locator } from '../../types.js';
import { writeAll } from '../stream-util.js';
import type { ArtifactSource, FormatHandler, HandlerContext, HandlerOutcome } from '../types.js';
import { MAX_MESSAGE_BYTES, processMessage, searchLooseText, tooLarge } from './message.js';
import { looksLikeMbox, MBOX_FROM, MBOX_SEPARATOR } from './recognize.js';

interface MboxMessage {
  /** The `From ` line, line break included (absent only for text before the first separator). */
  separator?: Buffer;
  body: Buffer;
}

function isBlank(line: Buffer): boolean {
  return (line.length === 1 && line[0] === 0x0a) || (line.length === 2 && line[0] === 0x0d && line[1] === 0x0a);
}

/** Cuts a byte stream into messages. */
export class MboxSplitter {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private separator: Buffer | undefined;
  private lines: Buffer[] = [];
  private bytes = 0;
  private previousBlank = true;
  private started = false;
  count = 0;

  push(chunk: Buffer): MboxMessage[] {
    const done: MboxMessage[] = [];
    let pos = 0;
    for (let lf = chunk.indexOf(0x0a); lf !== -1; lf = chunk.indexOf(0x0a, pos)) {
      const piece = chunk.subarray(pos, lf + 1);
      const line = this.carry.length ? Buffer.concat([...this.carry, piece]) : piece;
      this.carry = [];
      this.carryBytes = 0;
      this.line(line, done);
      pos = lf + 1;
    }
    if (pos < chunk.length) {
      this.carry.push(chunk.subarray(pos));
      this.carryBytes += chunk.length - pos;
      if (this.bytes + this.carryBytes > MAX_MESSAGE_BYTES) throw tooLarge(`message ${this.count + 1}`);
    }
    return done;
  }

  end(): MboxMessage[] {
    const done: MboxMessage[] = [];
    if (this.carry.length) this.line(Buffer.concat(this.carry), done);
    this.carry = [];
    if (this.started) done.push(this.take());
    return done;
  }

  private line(line: Buffer, done: MboxMessage[]): void {
    if (this.previousBlank && line.subarray(0, 5).equals(MBOX_FROM) && MBOX_SEPARATOR.test(line.toString('latin1', 0, 300))) {
      if (this.started) done.push(this.take());
      this.separator = line;
    } else {
      this.lines.push(line);
      this.bytes += line.length;
      if (this.bytes > MAX_MESSAGE_BYTES) throw tooLarge(`message ${this.count + 1}`);
    }
    this.started = true;
    this.previousBlank = isBlank(line);
  }

  private take(): MboxMessage {
    const message: MboxMessage = { ...(this.separator ? { separator: this.separator } : {}), body: Buffer.concat(this.lines) };
    this.separator = undefined;
    this.lines = [];
    this.bytes = 0;
    this.count++;
    return message;
  }
}

export const mboxHandler: FormatHandler = {
  name: 'mbox',
  recognizes: looksLikeMbox,
  async process(source: ArtifactSource, ctx: HandlerContext, out?: Writable): Promise<HandlerOutcome> {
    const splitter = new MboxSplitter();
    const notes: string[] = [];
    let spans = 0;
    let number = 0;
    const handle = async (message: MboxMessage) => {
      number++;
      const where: Locator = { message: number };
      const scope = { source, ctx, redact: out !== undefined, where, memberPrefix: `message-${number}/` };
      // The envelope sender on the `From ` line is an address like any other.
      const separator = message.separator && searchLooseText(message.separator, scope, () => ({ part: 'separator' }));
      spans += separator ? separator.spans : 0;
      const outcome = await processMessage(message.body, scope);
      spans += outcome.spans;
      for (const note of outcome.notes) notes.push(`message ${number}: ${note}`);
      if (out) await writeAll(out, [...(separator ? [separator.bytes] : []), outcome.bytes!]);
    };
    for await (const chunk of source.open() as AsyncIterable<Buffer>) {
      for (const message of splitter.push(chunk)) await handle(message);
    }
    for (const message of splitter.end()) await handle(message);
    return { format: 'mbox', spans, notes: [`${number} message(s)`, ...notes] };
  },
};
