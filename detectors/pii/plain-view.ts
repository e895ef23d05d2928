/**
 * A plain-text view of a stretch of markup or escaped text, for detectors that read language (the
 * tagger): HTML tags become a line break, HTML entities and JSON escapes the character they stand for.
 * Each character of the view knows the span of the original it came from, so what is found in
 * the view maps back to original offsets (`Zo&euml; M&uuml;ller` is found as `Zoë Müller`).
 */

export interface PlainView {
  text: string;
  /** Original offset where view character i starts. */
  start: number[];
  /** Original offset where view character i ends. */
  end: number[];
}

const NAMED: Record<string, string> = { nbsp: ' ', amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', rsquo: '\u2019', szlig: 'ß' };
const MARKS: Record<string, string> = {
  grave: '\u0300', acute: '\u0301', circ: '\u0302', tilde: '\u0303', uml: '\u0308', ring: '\u030a', cedil: '\u0327', caron: '\u030c',
};
const JSON_SIMPLE: Record<string, string> = { n: ' ', r: ' ', t: ' ', '"': '"', '\\': '\\', '/': '/', b: ' ', f: ' ' };

/** One escape or tag at the start of `s`: its length and what it stands for, or undefined. */
function decodeAt(s: string): [number, string] | undefined {
  let m: RegExpExecArray | null;
  // A tag ends a run of words: `</cite><cite>` between two names must not join them.
  if (s[0] === '<' && (m = /^<\/?[a-zA-Z][^<>]{0,200}>/.exec(s))) return [m[0].length, '\n'];
  if (s[0] === '&') {
    if ((m = /^&#(\d{1,6});/.exec(s))) return [m[0].length, safeChar(Number(m[1]))];
    if ((m = /^&#x([0-9a-f]{1,6});/i.exec(s))) return [m[0].length, safeChar(parseInt(m[1]!, 16))];
    if ((m = /^&([a-zA-Z]{2,8});/.exec(s))) {
      const name = m[1]!;
      if (NAMED[name]) return [m[0].length, NAMED[name]!];
      const mark = /^([a-zA-Z])(grave|acute|circ|tilde|uml|ring|cedil|caron)$/.exec(name);
      if (mark) return [m[0].length, (mark[1]! + MARKS[mark[2]!]!).normalize('NFC')];
    }
    return undefined;
  }
  if (s[0] === '\\') {
    if ((m = /^\\u([0-9a-fA-F]{4})/.exec(s))) return [6, String.fromCharCode(parseInt(m[1]!, 16))];
    if (s[1] !== undefined && JSON_SIMPLE[s[1]]) return [2, JSON_SIMPLE[s[1]]!];
  }
  return undefined;
}

function safeChar(cp: number): string {
  return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : ' ';
}

export function plainView(original: string): PlainView {
  const view: PlainView = { text: '', start: [], end: [] };
  if (!/[<&\\]/.test(original)) {
    view.text = original;
    for (let i = 0; i < original.length; i++) {
      view.start.push(i);
      view.end.push(i + 1);
    }
    return view;
  }
  const parts: string[] = [];
  for (let i = 0; i < original.length; ) {
    const decoded = '<&\\'.includes(original[i]!) ? decodeAt(original.slice(i, i + 210)) : undefined;
    const [length, text] = decoded ?? [1, original[i]!];
    parts.push(text);
    // A decoded character may be two code units (outside the BMP): both map to the whole escape.
    for (let k = 0; k < text.length; k++) {
      view.start.push(i);
      view.end.push(i + length);
    }
    i += length;
  }
  view.text = parts.join('');
  return view;
}
