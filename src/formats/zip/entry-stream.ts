/**
 * The decompressed bytes of one zip entry, guarded: the compression ratio is bounded (bombGuard),
 * the size must be the declared one (yauzl), and the CRC-32 must match, so a member whose header
 * lies is reported instead of being believed.
 */
import { PassThrough, Transform, type Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import type yauzl from 'yauzl';
import { bombGuard } from '../gzip.js';
import { ArtifactProblem, type Limits } from '../types.js';

/** Why yauzl cannot decode an entry at all, or undefined when it can. */
export function undecodable(entry: yauzl.Entry): string | undefined {
  if (entry.isEncrypted()) return 'encrypted member (cannot be searched without its password)';
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) return `unsupported compression method ${entry.compressionMethod}`;
  return undefined;
}

export interface EntryReads {
  /** A read of the entry ended with all its bytes checked. */
  complete: boolean;
  /** A read failed: the bytes cannot be trusted or copied. */
  failed: boolean;
}

/** A fresh stream of the entry's bytes; `reads` learns how each read ended. */
export function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, limits: Limits, reads?: EntryReads): Readable {
  const out = new PassThrough();
  const fail = (err: Error) => {
    if (reads) reads.failed = true;
    out.destroy(asProblem(err));
  };
  out.on('end', () => {
    if (reads) reads.complete = true;
  });
  zip.openReadStream(entry, (err, raw) => {
    if (err) return fail(err);
    if (out.destroyed) return raw.destroy();
    const guard = bombGuard(limits, () => entry.compressedSize);
    const check = crcCheck(entry.crc32);
    // A reader that stops early (a format sniffer reading the head) releases the entry.
    out.on('close', () => raw.destroy());
    for (const s of [raw, guard, check]) s.on('error', fail);
    raw.pipe(guard).pipe(check).pipe(out);
  });
  return out;
}

function crcCheck(expected: number): Transform {
  let crc = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      crc = crc32(chunk, crc);
      done(null, chunk);
    },
    flush(done) {
      done(crc >>> 0 === expected >>> 0 ? null : new ArtifactProblem('failed', 'member data fails its CRC-32 check (corrupt)'));
    },
  });
}

function asProblem(err: Error): ArtifactProblem {
  if (err instanceof ArtifactProblem) return err;
  // yauzl's AssertByteCountStream: more or fewer bytes than the central directory declares.
  if (/too many bytes|not enough bytes/.test(err.message)) return new ArtifactProblem('failed', 'member size differs from its declared size (corrupt or crafted)');
  return new ArtifactProblem('failed', `corrupt member data: ${err.message}`);
}
