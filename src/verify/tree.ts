/**
 * A set of files to check, from a folder or from a zip, behind one small interface so that the
 * manifest check does not care which. Listing reports what cannot be a plain file of the set
 * (a symbolic link, a name present twice in a zip) as problems instead of following it.
 */
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import path from 'node:path';
import yauzl from 'yauzl';
import type { Problem } from './result.js';

export interface FileTree {
  /** How messages name the set: the folder or zip as given. */
  label: string;
  /** Every regular file: relative path with `/` → size. */
  files: Map<string, number>;
  /** Entries that are not plain files of the set. */
  problems: Problem[];
  open(rel: string): Promise<Readable>;
  close(): Promise<void>;
}

export async function folderTree(dir: string, label = dir): Promise<FileTree> {
  const files = new Map<string, number>();
  const problems: Problem[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = (await readdir(path.join(dir, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      const info = await lstat(path.join(dir, child));
      if (info.isDirectory()) await walk(child);
      else if (info.isFile()) files.set(child, info.size);
      else problems.push({ file: `${label}/${child}`, message: info.isSymbolicLink() ? 'is a symbolic link, not a file of the bundle' : 'is not a regular file' });
    }
  };
  await walk('');
  return {
    label,
    files,
    problems,
    open: async (rel) => createReadStream(path.join(dir, ...rel.split('/')), { highWaterMark: 1 << 20 }),
    close: async () => {},
  };
}

export async function zipTree(file: string, label = file): Promise<FileTree> {
  // yauzl refuses absolute and `..` names itself (an error for the whole zip).
  const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, strictFileNames: true });
  const entries = new Map<string, yauzl.Entry>();
  const files = new Map<string, number>();
  const problems: Problem[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        if (!name.endsWith('/')) {
          if (entries.has(name)) problems.push({ file: `${label}!${name}`, message: 'is in the zip more than once: which copy counts is ambiguous' });
          entries.set(name, entry);
          files.set(name, entry.uncompressedSize);
        }
        zip.readEntry();
      });
      zip.on('end', resolve);
      zip.on('error', reject);
      zip.readEntry();
    });
  } catch (err) {
    zip.close();
    throw err;
  }
  return {
    label,
    files,
    problems,
    open: (rel) => zip.openReadStreamPromise(entries.get(rel)!),
    close: async () => zip.close(),
  };
}
