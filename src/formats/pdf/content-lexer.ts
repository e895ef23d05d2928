/**
 * Reads a PDF content stream (ISO 32000-1 §7.8.2) into operations with their byte spans, so that a
 * rewriter can replace exactly the text-showing operations it changes and copy every other byte.
 */

export type Operand =
  | { type: 'number'; value: number }
  | { type: 'string'; bytes: Buffer }
  | { type: 'name'; value: string }
  | { type: 'array'; items: Operand[] }
  | { type: 'dict'; entries: Operand[] }
  | { type: 'other'; value: string };

export interface Operation {
  operator: string;
  operands: Operand[];
  /** Byte offset of the first operand (or of the operator), and just past the operator. */
  start: number;
  end: number;
}

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

const isRegular = (b: number) => !WHITESPACE.has(b) && !DELIMITERS.has(b);

const ESCAPES: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c };

export class ContentSyntaxError extends Error {}

export function parseContent(data: Buffer): Operation[] {
  return new Lexer(data).operations();
}

class Lexer {
  private pos = 0;

  constructor(private readonly data: Buffer) {}

  operations(): Operation[] {
    const ops: Operation[] = [];
    let operands: Operand[] = [];
    let start = -1;
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.data.length) return ops;
      const at = this.pos;
      const token = this.operand();
      if (start < 0) start = at;
      if (token.type !== 'other' || /^(true|false|null|[+\-.\d].*)$/.test(token.value)) {
        operands.push(token);
        continue;
      }
      const operator = token.value;
      if (operator === 'BI') this.skipInlineImage();
      ops.push({ operator, operands, start, end: this.pos });
      operands = [];
      start = -1;
    }
  }

  private skipSpace(): void {
    const d = this.data;
    while (this.pos < d.length) {
      const b = d[this.pos]!;
      if (WHITESPACE.has(b)) this.pos++;
      else if (b === 0x25) {
        while (this.pos < d.length && d[this.pos] !== 0x0a && d[this.pos] !== 0x0d) this.pos++;
      } else return;
    }
  }

  private operand(): Operand {
    const d = this.data;
    const b = d[this.pos]!;
    if (b === 0x28) return { type: 'string', bytes: this.literalString() };
    if (b === 0x3c && d[this.pos + 1] === 0x3c) return { type: 'dict', entries: this.sequence(2, '>>') };
    if (b === 0x3c) return { type: 'string', bytes: this.hexString() };
    if (b === 0x5b) return { type: 'array', items: this.sequence(1, ']') };
    if (b === 0x2f) {
      this.pos++;
      return { type: 'name', value: this.regular() };
    }
    if (b === 0x5d || b === 0x3e || b === 0x29 || b === 0x7b || b === 0x7d) {
      throw new ContentSyntaxError(`unexpected delimiter at byte ${this.pos}`);
    }
    const word = this.regular();
    const value = Number(word);
    if (word !== '' && /^[+\-]?(\d+\.?\d*|\.\d+)$/.test(word) && Number.isFinite(value)) return { type: 'number', value };
    return { type: 'other', value: word };
  }

  private regular(): string {
    const from = this.pos;
    while (this.pos < this.data.length && isRegular(this.data[this.pos]!)) this.pos++;
    return this.data.toString('latin1', from, this.pos);
  }

  /** Items of an array or dictionary up to its closing delimiter. */
  private sequence(open: number, close: ']' | '>>'): Operand[] {
    this.pos += open;
    const items: Operand[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.data.length) throw new ContentSyntaxError('unterminated array or dictionary');
      if (close === ']' && this.data[this.pos] === 0x5d) {
        this.pos++;
        return items;
      }
      if (close === '>>' && this.data[this.pos] === 0x3e && this.data[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return items;
      }
      items.push(this.operand());
    }
  }

  private literalString(): Buffer {
    const d = this.data;
    const out: number[] = [];
    let depth = 1;
    this.pos++;
    while (this.pos < d.length) {
      const b = d[this.pos++]!;
      if (b === 0x5c) {
        const e = d[this.pos++];
        if (e === undefined) break;
        if (ESCAPES[e] !== undefined) out.push(ESCAPES[e]!);
        else if (e >= 0x30 && e <= 0x37) {
          let code = e - 0x30;
          for (let k = 0; k < 2 && d[this.pos]! >= 0x30 && d[this.pos]! <= 0x37; k++) code = code * 8 + d[this.pos++]! - 0x30;
          out.push(code & 0xff);
        } else if (e === 0x0d) {
          if (d[this.pos] === 0x0a) this.pos++; // escaped line break: nothing
        } else if (e !== 0x0a) out.push(e);
        continue;
      }
      if (b === 0x28) depth++;
      else if (b === 0x29 && --depth === 0) return Buffer.from(out);
      out.push(b);
    }
    throw new ContentSyntaxError('unterminated string');
  }

  private hexString(): Buffer {
    const end = this.data.indexOf(0x3e, this.pos);
    if (end < 0) throw new ContentSyntaxError('unterminated hex string');
    let hex = this.data.toString('latin1', this.pos + 1, end).replace(/[\s\0]/g, '');
    this.pos = end + 1;
    if (!/^[0-9a-f]*$/i.test(hex)) throw new ContentSyntaxError('bad hex string');
    if (hex.length % 2) hex += '0';
    return Buffer.from(hex, 'hex');
  }

  /** After `BI`: the image dictionary, `ID`, binary data, then `EI` standing alone. */
  private skipInlineImage(): void {
    const id = this.keyword('ID', this.pos);
    if (id < 0) throw new ContentSyntaxError('inline image without ID');
    const ei = this.keyword('EI', id + 3);
    if (ei < 0) throw new ContentSyntaxError('inline image without EI');
    this.pos = ei + 2;
  }

  /** Where `word` next stands alone (whitespace before, whitespace or the end after), or -1. */
  private keyword(word: string, from: number): number {
    for (let at = from; ; at += word.length) {
      at = this.data.indexOf(word, at, 'latin1');
      if (at < 0) return -1;
      const after = this.data[at + word.length];
      if (WHITESPACE.has(this.data[at - 1]!) && (after === undefined || WHITESPACE.has(after))) return at;
    }
  }
}
