/**
 * A bundle: a folder (or a zip of one) with manifest.json listing every other file of the bundle
 * as `{"path", "size", "sha256"}`, paths relative to the folder. The check is generic: any bundle
 * with such a manifest, whatever wrote it. A file listed but absent, of another size or digest, or
 * present but not listed, is a problem.
 */
import { z } from 'zod';
import { digestOf } from '../output/hash.js';
import type { FileTree } from './tree.js';
import { emptyReport, type Problem, type VerifyReport } from './result.js';

export const MANIFEST_FILE = 'manifest.json';
/** A manifest larger than this is refused rather than read (a zip can claim any size). */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

const ManifestSchema = z.object({
  files: z.array(
    z
      .object({
        path: z.string().min(1),
        size: z.number().int().nonnegative(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
      })
      .passthrough(),
  ),
});

/** The folder of the tree that holds the bundle: where the shallowest manifest.json is. */
export function bundleRoot(tree: FileTree): string | undefined {
  const found = [...tree.files.keys()].filter((p) => p === MANIFEST_FILE || p.endsWith(`/${MANIFEST_FILE}`));
  if (found.length === 0) return undefined;
  const depth = (p: string) => p.split('/').length;
  const shallowest = Math.min(...found.map(depth));
  const top = found.filter((p) => depth(p) === shallowest);
  return top.length === 1 ? top[0]!.slice(0, -MANIFEST_FILE.length) : undefined;
}

/** A manifest path that stays inside the bundle: relative, `/`-separated, no `.`/`..` parts. */
function safePath(p: string): boolean {
  return !p.startsWith('/') && !p.includes('\\') && !/^[A-Za-z]:/.test(p) && p.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

export async function verifyBundle(tree: FileTree): Promise<VerifyReport> {
  const report = emptyReport();
  report.problems.push(...tree.problems);
  const root = bundleRoot(tree);
  const where = (rel: string) => `${tree.label}/${rel}`;
  if (root === undefined) {
    report.problems.push({ file: tree.label, message: `no ${MANIFEST_FILE} (or more than one at the same depth): not a bundle` });
    return report;
  }
  const manifestPath = root + MANIFEST_FILE;
  const size = tree.files.get(manifestPath)!;
  if (size > MAX_MANIFEST_BYTES) {
    report.problems.push({ file: where(manifestPath), message: `is ${size} bytes, more than a manifest can be (${MAX_MANIFEST_BYTES})` });
    return report;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of await tree.open(manifestPath)) chunks.push(chunk as Buffer);
  let parsed;
  try {
    parsed = ManifestSchema.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) {
    const issue = parsed?.error.issues[0];
    const detail = issue ? ` (${issue.path.join('.')}: ${issue.message})` : ' (not valid JSON)';
    report.problems.push({ file: where(manifestPath), message: `is not a manifest with "files": [{"path", "size", "sha256"}]${detail}` });
    return report;
  }

  const listed = new Set<string>();
  let checked = 0;
  for (const [i, entry] of parsed.data.files.entries()) {
    const problem = (message: string): void => void report.problems.push({ file: where(root + entry.path), message });
    if (!safePath(entry.path)) {
      report.problems.push({ file: where(manifestPath), message: `files[${i}].path ${JSON.stringify(entry.path)} leaves the bundle folder or is not a plain relative path` });
      continue;
    }
    if (entry.path === MANIFEST_FILE) {
      report.problems.push({ file: where(manifestPath), message: `files[${i}] lists the manifest itself` });
      continue;
    }
    if (listed.has(entry.path)) {
      report.problems.push({ file: where(manifestPath), message: `files[${i}] lists ${entry.path} a second time` });
      continue;
    }
    listed.add(entry.path);
    const actualSize = tree.files.get(root + entry.path);
    if (actualSize === undefined) {
      problem(`missing (listed in ${MANIFEST_FILE} with ${entry.size} bytes, SHA-256 ${entry.sha256})`);
      continue;
    }
    if (actualSize !== entry.size) {
      problem(`is ${actualSize} bytes, ${MANIFEST_FILE} says ${entry.size}`);
      continue;
    }
    const actual = await digestOf(await tree.open(root + entry.path));
    if (actual.sha256 !== entry.sha256) problem(`SHA-256 is ${actual.sha256}, ${MANIFEST_FILE} says ${entry.sha256}`);
    else if (actual.bytes !== entry.size) problem(`yields ${actual.bytes} bytes, ${MANIFEST_FILE} says ${entry.size}`);
    else checked++;
  }
  for (const p of tree.files.keys()) {
    if (p === manifestPath) continue;
    const extra: Problem = { file: where(p), message: `is in the bundle but not listed in ${MANIFEST_FILE}` };
    if (!p.startsWith(root)) extra.message = `is outside the bundle folder ${root.slice(0, -1)}`;
    else if (listed.has(p.slice(root.length))) continue;
    report.problems.push(extra);
  }
  if (checked === parsed.data.files.length) report.ok.push(`${where(manifestPath)}: all ${checked} listed files present with the listed size and SHA-256`);
  return report;
}
