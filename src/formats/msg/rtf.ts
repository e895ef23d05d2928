/**
 * The RTF body of an Outlook message (PidTagRtfCompressed). Outlook usually stores an HTML mail
 * as RTF that encapsulates the HTML ([MS-OXRTFEX]): the original markup sits in `\*\htmltag`
 * groups and the RTF rendering of it between `\htmlrtf` and `\htmlrtf0`. This recovers the HTML
 * from such a body, or the plain text of any other RTF, so that both can be searched and carried
 * into the .eml copy. Characters written as `\'hh` are decoded with the document's `\ansicpg`.
 */
import { decompressRTF } from '@kenjiuno/decompressrtf';
import iconv from 'iconv-lite';

export interface RtfBody {
  /** `html` when the RTF encapsulates HTML, `text` otherwise. */
  kind: 'html' | 'text';
  content: string;
}

/** Destinations whose text is not part of the body. */
const SKIPPED = new Set(['fonttbl', 'colortbl', 'stylesheet', 'info', 'pict', 'object', 'header', 'footer', 'listtable', 'listoverridetable', 'rsidtbl', 'generator', 'xmlnstbl']);

interface GroupState {
  skip: boolean;
  htmltag: boolean;
  /** Inside \htmlrtf … \htmlrtf0: the RTF rendering of encapsulated HTML, not part of it. */
  suppressed: boolean;
  /** Characters to skip after a \u escape. */
  uc: number;
  /** Current font (\fN): its \fcharset decides the code page of \'hh bytes. */
  font: number;
  fontTable: boolean;
}

/** Code pages of the RTF font charsets ([MS-RTF] \fcharset). */
const CHARSET_CODEPAGES: Record<number, number> = {
  0: 1252, 128: 932, 129: 949, 130: 1361, 134: 936, 136: 950, 161: 1253, 162: 1254, 163: 1258, 177: 1255, 178: 1256, 186: 1257, 204: 1251, 222: 874, 238: 1250,
};

export function decompressRtf(compressed: Uint8Array): Buffer {
  return Buffer.from(decompressRTF([...compressed]));
}

export function rtfBody(rtf: Buffer): RtfBody {
  const src = rtf.toString('latin1');
  const html = /\\fromhtml1?\b/.test(src.slice(0, 1024));
  let documentCodepage = 'cp1252';
  const fonts = new Map<number, string>();
  const out: string[] = [];
  let bytes: number[] = [];
  let bytesCodepage = documentCodepage;
  const flushBytes = () => {
    if (bytes.length) out.push(iconv.decode(Buffer.from(bytes), bytesCodepage));
    bytes = [];
  };
  const pushByte = (state: GroupState, byte: number) => {
    const codepage = fonts.get(state.font) ?? documentCodepage;
    if (codepage !== bytesCodepage) flushBytes();
    bytesCodepage = codepage;
    bytes.push(byte);
  };
  const emit = (state: GroupState, text: string) => {
    if (state.skip || (html && state.suppressed && !state.htmltag)) return;
    flushBytes();
    out.push(text);
  };
  const stack: GroupState[] = [];
  let state: GroupState = { skip: false, htmltag: false, suppressed: false, uc: 1, font: -1, fontTable: false };
  let groupStart = false;
  /** `\*` opened the group: an optional destination, skipped unless known. */
  let starred = false;
  let pendingSkip = 0;

  for (let i = 0; i < src.length; ) {
    const c = src[i]!;
    if (c === '{') {
      stack.push(state);
      state = { ...state };
      groupStart = true;
      i++;
      continue;
    }
    if (c === '}') {
      state = stack.pop() ?? state;
      groupStart = false;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      i++;
      continue;
    }
    if (c !== '\\') {
      if (pendingSkip > 0) pendingSkip--;
      else emit(state, c);
      groupStart = false;
      i++;
      continue;
    }
    // A control symbol or control word.
    const next = src[i + 1] ?? '';
    if (next === "'") {
      const byte = parseInt(src.slice(i + 2, i + 4), 16);
      i += 4;
      if (pendingSkip > 0) pendingSkip--;
      else if (!Number.isNaN(byte) && !(state.skip || (html && state.suppressed && !state.htmltag))) pushByte(state, byte);
      continue;
    }
    if (!/[a-zA-Z]/.test(next)) {
      i += 2;
      if (next === '*') {
        starred = groupStart;
        continue;
      }
      const symbol = next === '~' ? '\u00a0' : next === '_' ? '-' : next === '\r' || next === '\n' ? '\r\n' : next === '-' ? '' : next;
      if (symbol) emit(state, symbol);
      groupStart = false;
      continue;
    }
    const word = /^([a-zA-Z]+)(-?\d+)? ?/.exec(src.slice(i + 1, i + 48))!;
    i += 1 + word[0].length;
    const name = word[1]!;
    const param = word[2] === undefined ? undefined : Number(word[2]);
    const destination = groupStart && (starred || SKIPPED.has(name));
    groupStart = starred = false;
    if (destination) {
      if (name === 'htmltag') state.htmltag = true;
      else state.skip = true;
      if (name === 'fonttbl') state.fontTable = true;
      continue;
    }
    switch (name) {
      case 'ansicpg':
        if (param && iconv.encodingExists(`cp${param}`)) documentCodepage = `cp${param}`;
        break;
      case 'f':
        state.font = param ?? -1;
        break;
      case 'fcharset': {
        const codepage = CHARSET_CODEPAGES[param ?? -1];
        if (state.fontTable && codepage && param !== 0) fonts.set(state.font, `cp${codepage}`);
        break;
      }
      case 'htmlrtf':
        state.suppressed = param !== 0;
        break;
      case 'uc':
        state.uc = param ?? 1;
        break;
      case 'u':
        if (param !== undefined) emit(state, String.fromCharCode(param < 0 ? param + 65536 : param));
        pendingSkip = state.uc;
        break;
      case 'par':
      case 'line':
        emit(state, '\r\n');
        break;
      case 'tab':
        emit(state, '\t');
        break;
      case 'bin':
        i += param ?? 0; // Raw binary data (inside a picture): not text.
        break;
      default:
        break;
    }
  }
  flushBytes();
  return { kind: html ? 'html' : 'text', content: out.join('') };
}
