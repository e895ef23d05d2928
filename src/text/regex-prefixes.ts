/**
 * What the first bytes of a match can be: for a regex over the Latin-1 view of raw bytes (the
 * anchors of detectors/anchors.ts, `i` flag), a small set of byte-class sequences such that the
 * first bytes of every match, up to a sequence's length, lie in its classes. The byte prefilter
 * (src/text/prefilter.ts) rejects every position that no sequence accepts.
 *
 * Completeness is what matters, precision only costs time: a lookaround or an assertion is read as
 * "matches the empty string" (it can only remove matches), and when a set grows too large
 * sequences are merged (their classes united, cut to the shortest), which only accepts more. Each single-character atom's class is
 * computed by asking the regex engine itself, character by character, with the same flag, so
 * escapes and case folding mean exactly what they mean to the scanner.
 */

/** A set of bytes, 256 bits. */
export type ByteClass = Uint32Array;

export interface Prefix {
  classes: ByteClass[];
  /**
   * False when a match may end after these bytes (the sequence is the whole match); true when
   * more bytes follow that this sequence does not constrain.
   */
  open: boolean;
}

type Node =
  | { type: 'atom'; cls: ByteClass }
  | { type: 'empty' }
  | { type: 'fail' }
  | { type: 'alt'; options: Node[] }
  | { type: 'seq'; items: Node[] }
  | { type: 'repeat'; node: Node; min: number; max: number };

export class UnsupportedRegex extends Error {}

const classCache = new Map<string, ByteClass>();
/** Equal classes are one object with one number, so that prefixes compare cheaply. */
const interned = new Map<string, ByteClass>();
const classIds = new Map<ByteClass, number>();

function intern(cls: ByteClass): ByteClass {
  const text = cls.join('.');
  let canonical = interned.get(text);
  if (!canonical) {
    interned.set(text, (canonical = cls));
    classIds.set(cls, classIds.size);
  }
  return canonical;
}

/** The bytes (Latin-1 characters) that one single-character atom matches under the `i` flag. */
function atomClass(source: string): ByteClass {
  let cls = classCache.get(source);
  if (!cls) {
    cls = new Uint32Array(8);
    const re = new RegExp(`^(?:${source})$`, 'i');
    for (let b = 0; b < 256; b++) if (re.test(String.fromCharCode(b))) cls[b >>> 5]! |= 1 << (b & 31);
    classCache.set(source, (cls = intern(cls)));
  }
  return cls;
}

const QUANTIFIER = /\{(\d+)(,(\d*))?\}/y;
const ESCAPE = /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|c[a-zA-Z]|.)/y;

function parse(source: string): Node {
  let i = 0;
  const peek = () => source[i];

  function alternation(): Node {
    const options = [sequence()];
    while (peek() === '|') {
      i++;
      options.push(sequence());
    }
    return options.length === 1 ? options[0]! : { type: 'alt', options };
  }

  function sequence(): Node {
    const items: Node[] = [];
    while (i < source.length && peek() !== '|' && peek() !== ')') {
      const node = atom();
      items.push(quantified(node));
    }
    return { type: 'seq', items };
  }

  function quantified(node: Node): Node {
    const c = peek();
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      i++;
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    } else if (c === '{') {
      QUANTIFIER.lastIndex = i;
      const m = QUANTIFIER.exec(source);
      if (!m) return node; // a literal `{`, already consumed by atom() next time round
      i += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    } else return node;
    if (peek() === '?') i++; // lazy: the same strings
    return { type: 'repeat', node, min, max };
  }

  function atom(): Node {
    const c = source[i]!;
    if (c === '(') {
      i++;
      let assertion = false;
      let negative = false;
      if (source.startsWith('?:', i)) i += 2;
      else if (/^\?<?[=!]/.test(source.slice(i, i + 3))) {
        i += source[i + 1] === '<' ? 3 : 2;
        assertion = true;
        negative = source[i - 1] === '!';
      } else if (source.startsWith('?<', i)) i = source.indexOf('>', i) + 1; // named group
      const inner = alternation();
      if (peek() !== ')') throw new UnsupportedRegex('unbalanced group');
      i++;
      // `(?!)` never matches (the anchors use it for a form a file's encoding cannot hold).
      if (negative && inner.type === 'seq' && inner.items.length === 0) return { type: 'fail' };
      return assertion ? { type: 'empty' } : inner;
    }
    if (c === '^' || c === '$') {
      i++;
      return { type: 'empty' };
    }
    if (c === '[') {
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      const text = source.slice(i, j + 1);
      i = j + 1;
      return { type: 'atom', cls: atomClass(text) };
    }
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined) throw new UnsupportedRegex('trailing backslash');
      if (next === 'b' || next === 'B') {
        i += 2;
        return { type: 'empty' };
      }
      if (/[1-9k]/.test(next)) throw new UnsupportedRegex('backreference');
      ESCAPE.lastIndex = i;
      const m = ESCAPE.exec(source)!;
      i += m[0].length;
      return { type: 'atom', cls: atomClass(m[0]) };
    }
    if (c === ')' || c === '|') throw new UnsupportedRegex('empty atom');
    i++;
    return { type: 'atom', cls: atomClass(c === '{' || c === '}' ? `\\${c}` : c) };
  }

  const node = alternation();
  if (i !== source.length) throw new UnsupportedRegex('unbalanced group');
  return node;
}

/**
 * A prefix's classes as a string, two characters per class (its number, high half first): equal
 * sequences, equal keys, and key order is the order of the class numbers.
 */
function sequenceKey(p: Prefix): string {
  let k = '';
  for (const c of p.classes) {
    const id = classIds.get(c)!;
    k += String.fromCharCode(id >>> 16, id & 0xffff);
  }
  return k;
}

function dedupe(list: Prefix[]): Prefix[] {
  const seen = new Map<string, Prefix>();
  for (const p of list) seen.set((p.open ? 'o' : 'c') + sequenceKey(p), p);
  return [...seen.values()];
}

/**
 * At most `cap` prefixes. Over that, prefixes that agree on their first j classes are merged into
 * one (class by class union, cut to the shortest), for the largest j that leaves at most `cap`: a
 * merged prefix accepts everything its parts accepted.
 */
export function capPrefixes(list: Prefix[], cap: number): Prefix[] {
  const unique = dedupe(list);
  if (unique.length <= cap) return unique;
  // Sorted by key, the prefixes that agree on their first j classes lie next to each other, for
  // every j: splits[j] counts the neighbours that part at depth j or earlier.
  const sorted = unique.map((p) => ({ p, k: sequenceKey(p) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  const longest = Math.max(...unique.map((p) => p.classes.length));
  const splits = new Array<number>(longest + 1).fill(0);
  const agree = sorted.map(({ k }, i) => (i === 0 ? -1 : commonLength(sorted[i - 1]!.k, k)));
  for (const l of agree) for (let j = l + 1; l >= 0 && j <= longest; j++) splits[j]!++;
  let depth = longest - 1;
  while (depth > 0 && 1 + splits[depth]! > cap) depth--;
  const groups: Prefix[][] = [];
  sorted.forEach(({ p }, i) => {
    if (i === 0 || agree[i]! < depth) groups.push([p]);
    else groups[groups.length - 1]!.push(p);
  });
  return groups.map(merge);
}

/** Classes two keys share from the start; Infinity for the same key (one group at any depth). */
function commonLength(a: string, b: string): number {
  if (a === b) return Infinity;
  let l = 0;
  while (l < a.length && l < b.length && a.charCodeAt(l) === b.charCodeAt(l)) l++;
  return l >> 1;
}

function merge(group: Prefix[]): Prefix {
  if (group.length === 1) return group[0]!;
  const length = Math.min(...group.map((p) => p.classes.length));
  const classes = Array.from({ length }, (_, k) => {
    const cls = new Uint32Array(8);
    for (const p of group) for (let w = 0; w < 8; w++) cls[w]! |= p.classes[k]![w]!;
    return intern(cls);
  });
  return { classes, open: group.some((p) => p.open || p.classes.length > length) };
}

export interface PrefixOptions {
  /** Longest sequence kept. */
  length: number;
  /** Most sequences kept per subexpression. */
  cap: number;
}

function prefixes(node: Node, o: PrefixOptions): Prefix[] {
  switch (node.type) {
    case 'empty':
      return [{ classes: [], open: false }];
    case 'fail':
      return [];
    case 'atom':
      return node.cls.some((w) => w !== 0) ? [{ classes: [node.cls], open: false }] : [];
    case 'alt':
      return capPrefixes(
        node.options.flatMap((n) => prefixes(n, o)),
        o.cap,
      );
    case 'seq': {
      let acc: Prefix[] = [{ classes: [], open: false }];
      for (const item of node.items) {
        // Only the bytes that can still follow the shortest prefix so far matter: an item far
        // into the sequence is analysed for a few bytes, not for the whole length.
        let shortest = o.length;
        for (const p of acc) if (!p.open && p.classes.length < shortest) shortest = p.classes.length;
        if (shortest === o.length) break;
        acc = concat(acc, prefixes(item, { ...o, length: o.length - shortest }), o);
      }
      return acc;
    }
    case 'repeat': {
      // Beyond max(min, length) repetitions nothing new can start a match (each repetition adds
      // a byte, or may be left out), so the union stops there.
      const body = prefixes(node.node, o);
      const last = Math.min(node.max, Math.max(node.min, o.length));
      let power: Prefix[] = [{ classes: [], open: false }];
      let out: Prefix[] = [];
      for (let r = 0; r <= last; r++) {
        if (r >= node.min) out = capPrefixes([...out, ...power], o.cap);
        if (r < last) power = concat(power, body, o);
      }
      return out;
    }
  }
}

function concat(left: Prefix[], right: Prefix[], o: PrefixOptions): Prefix[] {
  const out: Prefix[] = [];
  for (const a of left) {
    if (a.open) {
      out.push(a);
      continue;
    }
    for (const b of right) {
      const classes = [...a.classes, ...b.classes];
      out.push(classes.length >= o.length ? { classes: classes.slice(0, o.length), open: true } : { classes, open: b.open });
    }
  }
  return capPrefixes(out, o.cap);
}

/**
 * Byte-class sequences that cover the start of every match of `source` (flag `i`), or throws
 * UnsupportedRegex for syntax outside the subset the anchors use.
 */
export function regexPrefixes(source: string, options: PrefixOptions): Prefix[] {
  return prefixes(parse(source), options);
}

/** The most bytes a match of `source` can span (Infinity when unbounded). */
export function regexMaxLength(source: string): number {
  const longest = (node: Node): number => {
    switch (node.type) {
      case 'atom':
        return 1;
      case 'empty':
      case 'fail':
        return 0;
      case 'alt':
        return Math.max(...node.options.map(longest));
      case 'seq':
        return node.items.reduce((n, item) => n + longest(item), 0);
      case 'repeat': {
        const body = longest(node.node);
        return body === 0 ? 0 : node.max * body;
      }
    }
  };
  return longest(parse(source));
}

export function classHas(cls: ByteClass, byte: number): boolean {
  return (cls[byte >>> 5]! & (1 << (byte & 31))) !== 0;
}
