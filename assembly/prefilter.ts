// The byte prefilter of the anchored text scanner (src/text/prefilter.ts builds its tables and
// says why it is complete). Compiled to WebAssembly with SIMD by `npm run build`.
//
// Teddy-style filter: for each of OFFSETS byte offsets o there are two 16-byte tables, indexed by
// the low and the high nibble of the byte at p + o; each bit of a table entry is a bucket, and
// two such sets of tables make 16 buckets. A position p is a candidate for bucket t when bit t is
// set in both tables at every offset. One SIMD step tests 16 positions with four swizzles per
// offset. The survivors are then checked
// against each bucket they passed: first in a bitmap of the hashed first three bytes its prefixes
// allow, then exactly, byte by byte, against the prefixes themselves (their byte classes). This
// removes the nibble tables' false positives: a bucket's nibble sets are the union of its prefixes'
// and pass far more than the prefixes do.

// The layout shared with src/text/prefilter.ts, exported so that it checks them against its own.
export const OFFSETS: i32 = 3;
/** Bytes checked exactly per prefix. */
export const PREFIX_BYTES: i32 = 8;
/** Bytes per prefix record: its length (u32), then PREFIX_BYTES classes of 32 bytes. */
const RECORD_BYTES = 4 + 32 * PREFIX_BYTES;
export const BUCKETS: i32 = 16;
/** Bytes of one bucket's bitmap of hashed three-byte starts. */
export const GRAM_BYTES: i32 = 8192;
/**
 * Tables: for buckets 0–7, then for buckets 8–15, and within each for offset o, 16 bytes indexed
 * by the low nibble, then 16 by the high nibble.
 */
const tables = memory.data(2 * 32 * OFFSETS, 16);
/** The two vectors of bucket bits, spilled to read their lanes. */
const lanes = memory.data(32, 16);

/** Where the tables are, for the caller to fill. */
export function tablesAt(): usize {
  return tables;
}

/** The first byte free for the caller's data. */
export function heapStart(): usize {
  return (__heap_base + 15) & ~15;
}

// @ts-ignore: decorator
@inline
function bucketsAt(lo: v128, hi: v128, set: i32, o: i32): v128 {
  const at = tables + <usize>(32 * (OFFSETS * set + o));
  return v128.and(i8x16.swizzle(v128.load(at), lo), i8x16.swizzle(v128.load(at + 16), hi));
}

/** The bit of three bytes in a bucket's bitmap (the same hash as src/text/prefilter.ts). */
// @ts-ignore: decorator
@inline
function gramHash(b0: u32, b1: u32, b2: u32): u32 {
  return (((b0 << 16) | (b1 << 8) | b2) * 2654435761) >>> 16;
}

/**
 * Whether the bytes at `at` start one of the prefixes of `bucket` in the table at `prefixes`:
 * BUCKETS + 1 u32 starts, BUCKETS bitmaps of GRAM_BYTES, then the records; the bucket's records
 * are [start[bucket], start[bucket + 1]).
 */
function prefixAt(at: usize, bucket: i32, prefixes: usize): bool {
  const h = gramHash(<u32>load<u8>(at), <u32>load<u8>(at + 1), <u32>load<u8>(at + 2));
  const grams = prefixes + 4 * (BUCKETS + 1) + <usize>bucket * GRAM_BYTES;
  if ((load<u8>(grams + (h >> 3)) & (1 << (h & 7))) == 0) return false;
  const first = load<u32>(prefixes + (<usize>bucket << 2));
  const last = load<u32>(prefixes + (<usize>(bucket + 1) << 2));
  const records = prefixes + 4 * (BUCKETS + 1) + BUCKETS * GRAM_BYTES;
  for (let r = first; r < last; r++) {
    const record = records + <usize>r * RECORD_BYTES;
    const length = load<u32>(record);
    let k: u32 = 0;
    for (; k < length; k++) {
      const b = <u32>load<u8>(at + k);
      if ((load<u8>(record + 4 + (k << 5) + (b >> 3)) & (1 << (b & 7))) == 0) break;
    }
    if (k == length) return true;
  }
  return false;
}

/**
 * Candidates among the positions [start, end) of the data at `base`: for each, its offset from
 * `base` is written to `out` (u32) and the buckets it passed to `bits` (u16), in order. Reads up
 * to 32 bytes past `end`. Returns how many were found, or -1 once more than `cap`.
 */
export function candidates(base: usize, start: i32, end: i32, out: usize, bits: usize, cap: i32, prefixes: usize): i32 {
  let n = 0;
  const low = i8x16.splat(0x0f);
  for (let p = start; p < end; p += 16) {
    const at = base + <usize>p;
    const v0 = v128.load(at);
    const v1 = v128.load(at + 1);
    const v2 = v128.load(at + 2);
    const lo0 = v128.and(v0, low);
    const hi0 = i8x16.shr_u(v0, 4);
    const lo1 = v128.and(v1, low);
    const hi1 = i8x16.shr_u(v1, 4);
    const lo2 = v128.and(v2, low);
    const hi2 = i8x16.shr_u(v2, 4);
    const a = v128.and(bucketsAt(lo0, hi0, 0, 0), v128.and(bucketsAt(lo1, hi1, 0, 1), bucketsAt(lo2, hi2, 0, 2)));
    const b = v128.and(bucketsAt(lo0, hi0, 1, 0), v128.and(bucketsAt(lo1, hi1, 1, 1), bucketsAt(lo2, hi2, 1, 2)));
    const any = v128.or(a, b);
    if (!v128.any_true(any)) continue;
    let mask = i8x16.bitmask(i8x16.ne(any, i8x16.splat(0)));
    if (end - p < 16) mask &= (1 << (end - p)) - 1;
    if (mask == 0) continue;
    v128.store(lanes, a);
    v128.store(lanes + 16, b);
    while (mask != 0) {
      const lane = ctz(mask);
      mask &= mask - 1;
      let buckets = <i32>load<u8>(lanes + <usize>lane) | (<i32>load<u8>(lanes + 16 + <usize>lane) << 8);
      let passed = 0;
      while (buckets != 0) {
        const bucket = ctz(buckets);
        buckets &= buckets - 1;
        if (prefixAt(at + <usize>lane, bucket, prefixes)) passed |= 1 << bucket;
      }
      if (passed == 0) continue;
      if (n >= cap) return -1;
      store<u32>(out + (<usize>n << 2), <u32>(p + lane));
      store<u16>(bits + (<usize>n << 1), <u16>passed);
      n++;
    }
  }
  return n;
}

/** How many bytes equal to `byte` are in [start, end) of the data at `base`. */
export function countByte(base: usize, start: i32, end: i32, byte: i32): i32 {
  const needle = i8x16.splat(<i8>byte);
  let n = 0;
  let p = start;
  for (; p + 16 <= end; p += 16) {
    n += <i32>popcnt(i8x16.bitmask(i8x16.eq(v128.load(base + <usize>p), needle)));
  }
  for (; p < end; p++) if (<i32>load<u8>(base + <usize>p) == byte) n++;
  return n;
}
