/**
 * The text-showing operations of one page, each tied to the glyphs pdf.js decoded for it, so that a
 * match found in the page's text can be traced to the exact character codes in the content stream
 * (of the page or of a form XObject it draws) that show it.
 *
 * Fonts are not decoded here: pdf.js did that, whatever the font type or encoding. This module
 * only walks the content in the same order pdf.js did and checks that both agree code by code;
 * where they do not, the page is reported as not traceable and gets re-rendered instead.
 */
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, PDFStream, decodePDFRawStream, type PDFContext } from 'pdf-lib';
import { parseContent, type Operand, type Operation } from './content-lexer.js';
import type { Glyph, GlyphRun } from './reader.js';

/** Content the rewriter may replace: all of a page's content streams joined, or one form XObject. */
export interface ContentStream {
  data: Buffer;
  ops: Operation[];
  /** The page this is the content of, or the form XObject's reference. */
  owner: { page: PDFDict } | { form: PDFRef };
}

/** One text-showing operation with its codes and the glyph pdf.js drew for each code. */
export interface ShownText {
  stream: ContentStream;
  op: number;
  /** TJ layout: per string, its character codes; numbers are the array's position adjustments. */
  parts: (Buffer[] | number)[];
  glyphs: Glyph[];
  /** Text state when shown: font size, character and word spacing, horizontal scaling (1 = 100%). */
  size: number;
  charSpacing: number;
  wordSpacing: number;
  scale: number;
}

export class UntraceableText extends Error {}

interface TextState {
  font: PDFDict | undefined;
  size: number;
  charSpacing: number;
  wordSpacing: number;
  scale: number;
}

const SHOW_OPERATORS = new Set(['Tj', 'TJ', "'", '"']);

/** Forms nested deeper than this are not followed (pdf.js stops too, and a loop must end). */
const MAX_FORM_DEPTH = 12;

export function decodeStream(stream: PDFStream): Buffer {
  if (stream instanceof PDFRawStream) return Buffer.from(decodePDFRawStream(stream).decode());
  return Buffer.from(stream.getContents());
}

export function pageContent(page: PDFDict, context: PDFContext): ContentStream {
  const contents = page.lookup(PDFName.of('Contents'));
  const streams: PDFStream[] = [];
  if (contents instanceof PDFStream) streams.push(contents);
  else if (contents instanceof PDFArray) {
    for (let i = 0; i < contents.size(); i++) {
      const s = context.lookup(contents.get(i));
      if (s instanceof PDFStream) streams.push(s);
    }
  }
  // Streams of one page are one content stream split anywhere between tokens: join them with a break.
  const data = Buffer.concat(streams.flatMap((s) => [decodeStream(s), Buffer.from('\n')]));
  return { data, ops: parseContent(data), owner: { page } };
}

/**
 * Pair every text-showing operation drawn by `page` with the glyph runs pdf.js reported for it.
 * `forms` caches form XObjects across pages, so one shared form is one ContentStream.
 */
export function traceText(
  page: PDFDict,
  resources: PDFDict | undefined,
  runs: GlyphRun[],
  context: PDFContext,
  forms: Map<string, ContentStream>,
): { content: ContentStream; shown: ShownText[] } {
  const content = pageContent(page, context);
  const shown: ShownText[] = [];
  let next = 0;

  const walk = (stream: ContentStream, res: PDFDict | undefined, state: TextState, depth: number) => {
    const stack: TextState[] = [];
    stream.ops.forEach((op, index) => {
      const num = (k: number) => numberOf(op.operands[k]);
      switch (op.operator) {
        case 'q':
          stack.push({ ...state });
          break;
        case 'Q':
          Object.assign(state, stack.pop() ?? state);
          break;
        case 'Tf':
          state.font = fontNamed(res, op.operands[0], context);
          state.size = num(1);
          break;
        case 'Tc':
          state.charSpacing = num(0);
          break;
        case 'Tw':
          state.wordSpacing = num(0);
          break;
        case 'Tz':
          state.scale = num(0) / 100;
          break;
        case '"':
          state.wordSpacing = num(0);
          state.charSpacing = num(1);
          break;
        case 'Do': {
          const form = formNamed(res, op.operands[0], context);
          if (!form || depth >= MAX_FORM_DEPTH) break;
          const key = form.ref.toString();
          let formStream = forms.get(key);
          if (!formStream) {
            const data = decodeStream(form.stream);
            formStream = { data, ops: parseContent(data), owner: { form: form.ref } };
            forms.set(key, formStream);
          }
          const formResources = form.stream.dict.lookupMaybe(PDFName.of('Resources'), PDFDict) ?? res;
          walk(formStream, formResources, { ...state }, depth + 1);
          break;
        }
      }
      if (!SHOW_OPERATORS.has(op.operator)) return;
      const run = runs[next++];
      if (!run) throw new UntraceableText('more text operations than pdf.js reported');
      const glyphs = run.filter((g): g is Glyph => typeof g === 'object' && g !== null);
      shown.push({ stream, op: index, parts: splitCodes(op, glyphs, state.font, context), glyphs, ...state });
    });
  };

  walk(content, resources, { font: undefined, size: 0, charSpacing: 0, wordSpacing: 0, scale: 1 }, 0);
  if (next !== runs.length) throw new UntraceableText('fewer text operations than pdf.js reported');
  return { content, shown };
}

function numberOf(operand: Operand | undefined): number {
  return operand?.type === 'number' ? operand.value : 0;
}

function fontNamed(res: PDFDict | undefined, name: Operand | undefined, context: PDFContext): PDFDict | undefined {
  if (name?.type !== 'name') return undefined;
  const fonts = res?.lookupMaybe(PDFName.of('Font'), PDFDict);
  const font = fonts?.get(PDFName.of(name.value));
  return font ? context.lookupMaybe(font, PDFDict) : undefined;
}

function formNamed(res: PDFDict | undefined, name: Operand | undefined, context: PDFContext): { ref: PDFRef; stream: PDFStream } | undefined {
  if (name?.type !== 'name') return undefined;
  const ref = res?.lookupMaybe(PDFName.of('XObject'), PDFDict)?.get(PDFName.of(name.value));
  if (!(ref instanceof PDFRef)) return undefined;
  const stream = context.lookup(ref);
  if (!(stream instanceof PDFStream)) return undefined;
  const subtype = stream.dict.get(PDFName.of('Subtype'));
  return subtype instanceof PDFName && subtype.asString() === '/Form' ? { ref, stream } : undefined;
}

/** The strings (and TJ numbers) of a text-showing operation. */
function stringsOf(op: Operation): (Buffer | number)[] {
  const last = op.operands[op.operands.length - 1];
  if (op.operator === 'TJ') {
    if (last?.type !== 'array') throw new UntraceableText('TJ without an array');
    return last.items.map((item) => (item.type === 'string' ? item.bytes : numberOf(item)));
  }
  if (last?.type !== 'string') throw new UntraceableText(`${op.operator} without a string`);
  return [last.bytes];
}

/**
 * Cut each string into character codes, one per glyph pdf.js drew. Simple fonts use one byte a
 * code; composite fonts use two with the Identity encodings, and whatever their CMap says
 * otherwise, which the codes pdf.js reports tell.
 */
function splitCodes(op: Operation, glyphs: Glyph[], font: PDFDict | undefined, context: PDFContext): (Buffer[] | number)[] {
  const composite = font?.get(PDFName.of('Subtype'))?.toString() === '/Type0';
  const encoding = font ? context.lookup(font.get(PDFName.of('Encoding'))) : undefined;
  const fixed = !composite ? 1 : encoding instanceof PDFName && /^\/Identity-[HV]$/.test(encoding.asString()) ? 2 : 0;
  let g = 0;
  const parts = stringsOf(op).map((part) => {
    if (typeof part === 'number') return part;
    const codes: Buffer[] = [];
    let at = 0;
    while (at < part.length) {
      const glyph = glyphs[g++];
      if (!glyph) throw new UntraceableText('more character codes than glyphs');
      const length = fixed || [1, 2, 3, 4].find((n) => at + n <= part.length && part.readUIntBE(at, n) === glyph.originalCharCode);
      if (!length || at + length > part.length || part.readUIntBE(at, length) !== glyph.originalCharCode) {
        throw new UntraceableText('character codes differ from the glyphs pdf.js drew');
      }
      codes.push(part.subarray(at, at + length));
      at += length;
    }
    return codes;
  });
  if (g !== glyphs.length) throw new UntraceableText('fewer character codes than glyphs');
  return parts;
}
