/**
 * Writes the bundle OUT/export/ (subject.json, subject.csv, manifest.json) and, with --zip,
 * OUT/export.zip holding the same folder. Every file goes through the output layer, so with
 * --encrypt-to each is an age file; the manifest lists the content (plaintext) digests under the
 * plain names, so the bundle verifies once decrypted.
 */
import path from 'node:path';
import yazl from 'yazl';
import type { AtomicWriter, Written } from '../output/atomic.js';
import { MANIFEST_FILE } from '../verify/manifest.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

export const BUNDLE_DIR = 'export';
/** Zip entries carry this fixed time, so the same bundle gives the same zip bytes. */
const ZIP_TIME = new Date('2000-01-01T00:00:00Z');

export interface Manifest {
  requestId: string | null;
  tool: { name: string; version: string };
  createdAt: string;
  files: { path: string; size: number; sha256: string }[];
}

export async function writeBundle(options: {
  out: string;
  atomic: AtomicWriter;
  requestId: string | null;
  files: [name: string, content: string][];
  zip: boolean;
  now?: Date;
}): Promise<Written[]> {
  const dir = path.join(options.out, BUNDLE_DIR);
  const written: Written[] = [];
  const manifest: Manifest = {
    requestId: options.requestId,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    createdAt: (options.now ?? new Date()).toISOString(),
    files: [],
  };
  for (const [name, content] of options.files) {
    const w = await options.atomic.writeFile(path.join(dir, name), content);
    written.push(w);
    manifest.files.push({ path: name, size: w.bytes, sha256: w.sha256 });
  }
  const manifestText = JSON.stringify(manifest, null, 2) + '\n';
  written.push(await options.atomic.writeFile(path.join(dir, MANIFEST_FILE), manifestText));
  if (options.zip) {
    const entries: [string, string][] = [...options.files, [MANIFEST_FILE, manifestText]];
    written.push(await options.atomic.writeFile(path.join(options.out, `${BUNDLE_DIR}.zip`), await zipOf(entries)));
  }
  return written;
}

async function zipOf(entries: [string, string][]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of entries) zip.addBuffer(Buffer.from(content, 'utf8'), `${BUNDLE_DIR}/${name}`, { mtime: ZIP_TIME });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
