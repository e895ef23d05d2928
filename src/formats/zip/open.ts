/**
 * yauzl needs random access (the central directory sits at the end). A file of the store is
 * read in place; a zip that is itself a member (of a zip, an e-mail, a gzip layer) is held in
 * memory when small and spooled to a private temporary file when large.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import yauzl from 'yauzl';
import { writeAll } from '../stream-util.js';
import { ArtifactProblem, type ArtifactSource } from '../types.js';

/** Zips up to this size that are not plain files are read from memory. */
export const IN_MEMORY_BYTES = 32 * 1024 * 1024;

const OPTIONS: yauzl.Options = {
  lazyEntries: true,
  autoClose: false,
  // Names are decoded by names.ts: yauzl's decoding rejects the whole archive at an unsafe name.
  decodeStrings: false,
  validateEntrySizes: true,
};

export interface OpenedZip {
  zip: yauzl.ZipFile;
  /** Closes the archive and removes any temporary copy. */
  close(): Promise<void>;
}

export async function openZip(source: ArtifactSource): Promise<OpenedZip> {
  if (source.file !== undefined) {
    const drained = source.readThrough?.() ?? Promise.resolve();
    const zip = await opened(yauzl.openPromise(source.file, OPTIONS), () => drained);
    return { zip, close: async () => (zip.close(), await drained) };
  }
  const stream = source.open();
  const chunks: Buffer[] = [];
  let size = 0;
  const iterator = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    chunks.push(next.value);
    size += next.value.length;
    if (size > IN_MEMORY_BYTES) return spool(chunks, iterator);
  }
  const zip = await opened(yauzl.fromBufferPromise(Buffer.concat(chunks), OPTIONS));
  return { zip, close: async () => zip.close() };
}

async function spool(chunks: Buffer[], rest: AsyncIterator<Buffer>): Promise<OpenedZip> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dsr-zip-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const file = path.join(dir, 'archive.zip');
    const sink = createWriteStream(file, { mode: 0o600 });
    await writeAll(sink, chunks);
    for (let next = await rest.next(); !next.done; next = await rest.next()) await writeAll(sink, [next.value]);
    sink.end();
    await finished(sink);
    const zip = await opened(yauzl.openPromise(file, OPTIONS));
    return { zip, close: async () => (zip.close(), await remove()) };
  } catch (err) {
    await remove();
    throw err;
  }
}

async function opened(zip: Promise<yauzl.ZipFile>, cleanup?: () => Promise<unknown>): Promise<yauzl.ZipFile> {
  try {
    return await zip;
  } catch (err) {
    await cleanup?.();
    throw err instanceof ArtifactProblem ? err : new ArtifactProblem('failed', `corrupt or truncated zip: ${(err as Error).message}`);
  }
}

/** The archive's entries one at a time, in central directory order. */
export async function* entries(zip: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  for (;;) {
    const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
      const settle = (fn: () => void) => {
        zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
        fn();
      };
      const onEntry = (e: yauzl.Entry) => settle(() => resolve(e));
      const onEnd = () => settle(() => resolve(null));
      const onError = (err: Error) => settle(() => reject(new ArtifactProblem('failed', `zip cannot be read: ${err.message}`)));
      zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
      zip.readEntry();
    });
    if (!entry) return;
    yield entry;
  }
}
