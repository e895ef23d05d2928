/**
 * The byte prefilter in front of the anchor search: a WebAssembly SIMD kernel (assembly/
 * prefilter.ts) rejects, 16 positions at a time, every position where no anchor can start, and
 * checks the few survivors against each anchor's first bytes; only what passes both reaches the
 * anchors' own regexes. Every anchor match starts with one of its prefixes (regex-prefixes.ts),
 * every prefix is in its bucket's tables, so no anchor occurrence is ever rejected.
 *
 * Buckets: the kernel tests 16 groups of anchors at once, one bit each. Anchors whose first bytes
 * look alike share a bucket, so a bucket's nibble tables stay selective.
 */
import { wasm } from './prefilter-wasm.js';
import { capPrefixes, classHas, regexPrefixes, UnsupportedRegex, type ByteClass, type Prefix } from './regex-prefixes.js';

/** Bytes of each prefix checked exactly after the SIMD step (checked against the kernel's: checkLayout). */
const PREFIX_BYTES = 8;
/** Positions tested by the SIMD step (the kernel's OFFSETS). */
const OFFSETS = 3;
const BUCKETS = 16;
/** Prefixes kept per anchor while they are computed. */
const PREFIX_CAP = 128;
/** Prefixes kept per bucket: each is a record the kernel may try at a position. */
const BUCKET_CAP = 64;
/** Parts of anchors that the bucket search starts from, at most. */
const MAX_UNITS = 64;
/** Bytes per prefix record in the kernel's table: length, then one 32-byte class per byte. */
const RECORD_BYTES = 4 + 32 * PREFIX_BYTES;
/** Bytes of a bucket's bitmap of hashed three-byte starts (the kernel's GRAM_BYTES). */
const GRAM_BYTES = 8192;
/** A prefix whose first three classes allow more combinations than this fills its bucket's bitmap. */
const GRAM_LIMIT = 4096;
const ALL_BYTES: ByteClass = new Uint32Array(8).fill(0xffffffff);
/** Bytes per kernel call; past one candidate in 16 bytes the filter is not worth it for that stretch. */
const SLICE_BYTES = 1 << 20;
const CAP = SLICE_BYTES / 16;
/** The kernel reads this far past the end of the bytes it tests. */
const SLACK = 64;

interface Exports {
  memory: WebAssembly.Memory;
  tablesAt(): number;
  heapStart(): number;
  candidates(base: number, start: number, end: number, out: number, bits: number, cap: number, prefixes: number): number;
  countByte(base: number, start: number, end: number, byte: number): number;
}

let wasmModule: WebAssembly.Module | undefined;

/**
 * Prefixes by anchor source, read only: a request's matcher with spoken forms and the one without
 * share most anchors, and each would otherwise analyse them again.
 */
const analysed = new Map<string, readonly Prefix[]>();

function kernel(): WebAssembly.Module {
  // Compiled once per thread on first use: about a kilobyte, well under a millisecond.
  return (wasmModule ??= new WebAssembly.Module(wasm));
}

/**
 * The kernel's own layout must be the one these tables are built for: a difference would not
 * fail, it would drop candidates (and miss identifiers).
 */
function checkLayout(exports: Record<string, unknown>): void {
  const expected = { OFFSETS, PREFIX_BYTES, BUCKETS, GRAM_BYTES };
  for (const [name, value] of Object.entries(expected)) {
    const actual = (exports[name] as WebAssembly.Global | undefined)?.value;
    if (actual !== value) throw new Error(`the prefilter kernel has ${name} ${String(actual)}, the tables are built for ${value}`);
  }
}

/** An anchor as the prefilter sees it: its regex source over the Latin-1 view, and its tag. */
export interface PrefilterAnchor {
  source: string;
  /** Index in the caller's anchor list. */
  index: number;
}

/** The tables of one anchor set, shared by every scanner of that set. */
export class Prefilter {
  /** Anchor indices per bucket. */
  readonly buckets: number[][];
  /** Each bucket's prefixes: a position passes the bucket exactly when one of them starts there. */
  readonly prefixes: Prefix[][];
  private readonly tables: Uint8Array;
  private readonly prefixTable: Uint8Array;
  private readonly idle: PrefilterWindow[] = [];

  private constructor(groups: { anchors: number[]; prefixes: Prefix[] }[]) {
    this.buckets = groups.map((g) => g.anchors);
    this.prefixes = groups.map((g) => g.prefixes);
    this.tables = new Uint8Array(2 * 32 * OFFSETS);
    // Prefix table: BUCKETS + 1 start indices (u32), BUCKETS bitmaps of hashed three-byte
    // starts, then the records, bucket after bucket.
    const records = groups.reduce((n, g) => n + g.prefixes.length, 0);
    const recordsAt = 4 * (BUCKETS + 1) + BUCKETS * GRAM_BYTES;
    this.prefixTable = new Uint8Array(recordsAt + RECORD_BYTES * records);
    const view = new DataView(this.prefixTable.buffer);
    let record = 0;
    groups.forEach((g, bucket) => {
      view.setUint32(4 * bucket, record, true);
      markGrams(this.prefixTable.subarray(4 * (BUCKETS + 1) + bucket * GRAM_BYTES, 4 * (BUCKETS + 1) + (bucket + 1) * GRAM_BYTES), g.prefixes);
      const nibbles = nibblesOf(g.prefixes);
      for (let o = 0; o < OFFSETS; o++) {
        // Buckets 0–7 in the first set of tables, 8–15 in the second (the kernel's layout).
        const at = 32 * (OFFSETS * (bucket >> 3) + o);
        for (let n = 0; n < 16; n++) {
          if (nibbles[2 * o]! & (1 << n)) this.tables[at + n]! |= 1 << (bucket & 7);
          if (nibbles[2 * o + 1]! & (1 << n)) this.tables[at + 16 + n]! |= 1 << (bucket & 7);
        }
      }
      for (const p of g.prefixes) {
        const at = recordsAt + RECORD_BYTES * record++;
        view.setUint32(at, Math.min(p.classes.length, PREFIX_BYTES), true);
        p.classes.slice(0, PREFIX_BYTES).forEach((cls, k) => this.prefixTable.set(new Uint8Array(cls.buffer, cls.byteOffset, 32), at + 4 + 32 * k));
      }
    });
    for (let bucket = groups.length; bucket <= BUCKETS; bucket++) view.setUint32(4 * bucket, record, true);
  }

  /**
   * The prefilter for these anchors, or undefined when one of them could match the empty string
   * or uses regex syntax the prefix analysis does not read: the caller searches with the regexes
   * alone then.
   */
  static build(anchors: PrefilterAnchor[]): Prefilter | undefined {
    const each: { anchor: number; prefixes: readonly Prefix[]; depth: number }[] = [];
    for (const a of anchors) {
      let prefixes = analysed.get(a.source);
      try {
        prefixes ??= regexPrefixes(a.source, { length: PREFIX_BYTES, cap: PREFIX_CAP });
      } catch (err) {
        if (err instanceof UnsupportedRegex) return undefined;
        throw err;
      }
      if (analysed.size >= 4096) analysed.clear();
      analysed.set(a.source, prefixes);
      if (prefixes.some((p) => p.classes.length === 0)) return undefined;
      each.push({ anchor: a.index, prefixes, depth: OFFSETS });
    }
    // An anchor's prefixes are split by the classes of their first bytes, so that `415` and
    // `4-1` of one phone number can go to different buckets and keep both selective. The
    // anchors split into the most parts are split less until the bucket search stays small.
    const split = each.map((e) => ({ ...e, units: unitsOf(e.prefixes, e.depth) }));
    let total = split.reduce((n, e) => n + e.units.size, 0);
    while (total > MAX_UNITS) {
      const widest = split.reduce((a, b) => (b.units.size > a.units.size ? b : a));
      if (widest.units.size <= 1) break;
      total -= widest.units.size;
      widest.units = unitsOf(widest.prefixes, --widest.depth);
      total += widest.units.size;
    }
    const units = split.flatMap((e) => [...e.units.values()].map((prefixes) => ({ anchors: [e.anchor], prefixes })));
    return new Prefilter(assignBuckets(units));
  }

  /** A window to scan with, from the pool: release it when the stream ends. */
  acquire(): PrefilterWindow {
    return this.idle.pop() ?? new PrefilterWindow(this.tables, this.prefixTable);
  }

  release(window: PrefilterWindow): void {
    window.reset();
    if (this.idle.length < 4) this.idle.push(window);
  }
}

/**
 * The bytes a scanner holds, kept in the kernel's memory so that the kernel reads them where they
 * are. `bytes` is a view that is valid until the next append or discard: copy what must outlive it.
 */
export class PrefilterWindow {
  private readonly exports: Exports;
  private readonly out: number;
  private readonly bits: number;
  private readonly prefixes: number;
  private readonly base: number;
  private length = 0;
  private memoryView!: Uint8Array;
  bytes!: Buffer;

  constructor(tables: Uint8Array, prefixTable: Uint8Array) {
    const exports = new WebAssembly.Instance(kernel(), {}).exports;
    checkLayout(exports);
    this.exports = exports as unknown as Exports;
    // Layout: prefix table | candidate offsets (u32) | candidate bits (u16) | slack | the bytes.
    this.prefixes = align(this.exports.heapStart());
    this.out = align(this.prefixes + prefixTable.length);
    this.bits = this.out + 4 * CAP;
    this.base = align(this.bits + 2 * CAP + SLACK);
    this.ensure(0);
    this.memoryView.set(tables, this.exports.tablesAt());
    this.memoryView.set(prefixTable, this.prefixes);
  }

  append(chunk: Uint8Array): void {
    this.reserve(chunk.length).set(chunk);
    this.commit(chunk.length);
  }

  /**
   * Room for `n` more bytes, to be filled (by a file read, say) and then taken in with commit().
   * Nothing else may use the window in between.
   */
  reserve(n: number): Uint8Array {
    this.ensure(this.length + n);
    return this.memoryView.subarray(this.base + this.length, this.base + this.length + n);
  }

  commit(n: number): void {
    this.length += n;
    this.refresh();
  }

  /** Drop the first `n` bytes. */
  discard(n: number): void {
    if (n <= 0) return;
    this.memoryView.copyWithin(this.base, this.base + n, this.base + this.length);
    this.length -= n;
    this.refresh();
  }

  reset(): void {
    this.length = 0;
    this.refresh();
  }

  /**
   * Positions in [start, end) of `bytes` where an anchor of a bucket may start, with the bucket
   * bits: `visit(position, bits)` in order, which returns true to stop. Returns how far every
   * candidate was handed out: `end`, or where a stretch had too many for the filter to pay (more
   * than one in 16 bytes), from where the caller searches another way, or where visit stopped.
   */
  candidates(start: number, end: number, visit: (position: number, bits: number) => boolean | void): number {
    for (let from = start; from < end; from += SLICE_BYTES) {
      const to = Math.min(end, from + SLICE_BYTES);
      const cap = Math.max(64, Math.ceil((to - from) / 16));
      const n = this.exports.candidates(this.base, from, to, this.out, this.bits, cap, this.prefixes);
      if (n < 0) return from;
      const positions = new Uint32Array(this.memoryView.buffer, this.out, n);
      const bits = new Uint16Array(this.memoryView.buffer, this.bits, n);
      for (let i = 0; i < n; i++) if (visit(positions[i]!, bits[i]!) === true) return positions[i]!;
    }
    return end;
  }

  /** How many `byte`s are in [start, end) of `bytes`. */
  count(start: number, end: number, byte: number): number {
    return end > start ? this.exports.countByte(this.base, start, end, byte) : 0;
  }

  private ensure(length: number): void {
    const needed = this.base + length + SLACK;
    const memory = this.exports.memory;
    if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
    this.refresh();
  }

  private refresh(): void {
    // Growing the memory replaces its buffer: views are made anew each time.
    const buffer = this.exports.memory.buffer;
    if (this.memoryView?.buffer !== buffer) this.memoryView = new Uint8Array(buffer);
    this.bytes = Buffer.from(buffer, this.base, this.length);
  }
}

/** Set the bit of every three bytes a prefix may start with (all bits when there are too many). */
function markGrams(bitmap: Uint8Array, prefixes: Prefix[]): void {
  for (const p of prefixes) {
    const [c0, c1, c2] = [0, 1, 2].map((k) => bytesOf(p.classes[k] ?? ALL_BYTES));
    if (c0!.length * c1!.length * c2!.length > GRAM_LIMIT) {
      bitmap.fill(0xff);
      return;
    }
    for (const b0 of c0!) for (const b1 of c1!) for (const b2 of c2!) {
      const h = gramHash(b0, b1, b2);
      bitmap[h >>> 3]! |= 1 << (h & 7);
    }
  }
}

/** The kernel's hash of three bytes to a bit of a 65536-bit map. */
function gramHash(b0: number, b1: number, b2: number): number {
  return Math.imul((b0 << 16) | (b1 << 8) | b2, 2654435761) >>> 16;
}

function bytesOf(cls: ByteClass): number[] {
  const out: number[] = [];
  for (let b = 0; b < 256; b++) if (classHas(cls, b)) out.push(b);
  return out;
}

/** Prefixes grouped by their first `depth` classes. */
function unitsOf(prefixes: readonly Prefix[], depth: number): Map<string, Prefix[]> {
  const units = new Map<string, Prefix[]>();
  for (const p of prefixes) {
    const key = p.classes.slice(0, depth).map((c) => c.join('.')).join('|');
    const unit = units.get(key);
    if (unit) unit.push(p);
    else units.set(key, [p]);
  }
  return units;
}

function align(n: number): number {
  return (n + 15) & ~15;
}

interface Group {
  anchors: number[];
  prefixes: Prefix[];
  /** Per offset, the low and the high nibbles its prefixes allow, as 16-bit sets. */
  nibbles: number[];
}

function nibblesOf(prefixes: readonly Prefix[]): number[] {
  const out = new Array<number>(2 * OFFSETS).fill(0);
  for (const p of prefixes) {
    for (let o = 0; o < OFFSETS; o++) {
      for (const b of bytesOf(p.classes[o] ?? ALL_BYTES)) {
        out[2 * o]! |= 1 << (b & 15);
        out[2 * o + 1]! |= 1 << (b >> 4);
      }
    }
  }
  return out;
}

/**
 * Roughly how often text passes a bucket's tables: the share of bytes passed at each offset,
 * multiplied, with printable ASCII counted as far more common than other bytes.
 */
function passRate(nibbles: number[]): number {
  let rate = 1;
  for (let o = 0; o < OFFSETS; o++) {
    const lo = nibbles[2 * o]!;
    let passed = 0;
    for (let his = nibbles[2 * o + 1]!, hi = 0; his !== 0; his >>>= 1, hi++) {
      if (his & 1) passed += ROW_WEIGHT[hi]![0]![lo & 0xff]! + ROW_WEIGHT[hi]![1]![lo >>> 8]!;
    }
    rate *= passed / TOTAL_WEIGHT;
  }
  return rate;
}

const BYTE_WEIGHT = Array.from({ length: 256 }, (_, b) => ((b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13 ? 1 : 0.02));
const TOTAL_WEIGHT = BYTE_WEIGHT.reduce((a, b) => a + b, 0);
/** ROW_WEIGHT[hi][half][m]: the weight of the bytes with high nibble hi and a low nibble in m (8 bits of the set). */
const ROW_WEIGHT = Array.from({ length: 16 }, (_, hi) =>
  [0, 1].map((half) =>
    Float64Array.from({ length: 256 }, (_, m) => {
      let sum = 0;
      for (let k = 0; k < 8; k++) if (m & (1 << k)) sum += BYTE_WEIGHT[(hi << 4) | (8 * half + k)]!;
      return sum;
    }),
  ),
);

function join(a: Group, b: Group): Group {
  return { anchors: [...new Set([...a.anchors, ...b.anchors])], prefixes: [...a.prefixes, ...b.prefixes], nibbles: a.nibbles.map((x, k) => x | b.nibbles[k]!) };
}

/** Group anchors into at most BUCKETS buckets, merging the pair that costs least each time. */
function assignBuckets(each: { anchors: number[]; prefixes: Prefix[] }[]): { anchors: number[]; prefixes: Prefix[] }[] {
  // Anchors with the same nibble sets go together first (a thousand ids that all start with
  // CUST), which keeps the pairwise search small.
  const bySignature = new Map<string, Group>();
  for (const e of each) {
    const g = { ...e, nibbles: nibblesOf(e.prefixes) };
    const k = g.nibbles.join(',');
    const same = bySignature.get(k);
    if (same) {
      // Same nibble sets: no cost to share a bucket (in place: a thousand ids may land here).
      for (const a of g.anchors) if (!same.anchors.includes(a)) same.anchors.push(a);
      same.prefixes.push(...g.prefixes);
    } else bySignature.set(k, g);
  }
  // Many different starts (a thousand random GUIDs): those with the same first-byte nibbles
  // share first, then neighbours in that order, so that the search below stays small.
  let start = [...bySignature.values()];
  if (start.length > MAX_UNITS) {
    const byFirst = new Map<string, Group>();
    for (const g of start) {
      const k = g.nibbles.slice(0, 2).join(',');
      const same = byFirst.get(k);
      byFirst.set(k, same ? join(same, g) : g);
    }
    start = [...byFirst.values()].sort((a, b) => a.nibbles[1]! - b.nibbles[1]! || a.nibbles[0]! - b.nibbles[0]!);
    const per = Math.ceil(start.length / MAX_UNITS);
    start = Array.from({ length: Math.ceil(start.length / per) }, (_, i) => start.slice(i * per, (i + 1) * per).reduce(join));
  }
  // Greedy: merge the pair whose merged bucket passes the least more than the two did apart.
  // Costs are kept in a matrix; a merge only recomputes the merged group's row.
  const groups: (Group | undefined)[] = start;
  const rate = groups.map((g) => passRate(g!.nibbles));
  const cost = groups.map((a, i) => groups.map((b, j) => (j > i ? passRate(a!.nibbles.map((x, k) => x | b!.nibbles[k]!)) - rate[i]! - rate[j]! : Infinity)));
  for (let left = groups.length; left > BUCKETS; left--) {
    let best = { i: 0, j: 0, cost: Infinity };
    cost.forEach((row, i) => row.forEach((c, j) => c < best.cost && (best = { i, j, cost: c })));
    const { i, j } = best;
    groups[i] = join(groups[i]!, groups[j]!);
    groups[j] = undefined;
    rate[i] = passRate(groups[i]!.nibbles);
    for (let k = 0; k < groups.length; k++) {
      cost[j]![k] = cost[k]![j] = Infinity;
      if (k === i || !groups[k]) continue;
      const [a, b] = k > i ? [i, k] : [k, i];
      cost[a]![b] = passRate(groups[a]!.nibbles.map((x, n) => x | groups[b]!.nibbles[n]!)) - rate[a]! - rate[b]!;
    }
  }
  return groups.flatMap((g) => (g ? [{ anchors: g.anchors, prefixes: capPrefixes(g.prefixes, BUCKET_CAP) }] : []));
}
