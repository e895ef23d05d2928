/**
 * The artifact store: each top-level folder is an engagement, every file below it an artifact.
 * The walk is read-only, sorted (same store, same order) and never leaves the store: a symlink
 * is followed only when its target stays inside.
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export interface StoreEntry {
  engagement: string;
  /** Store-relative path with `/` separators, engagement folder included. */
  artifact: string;
  /** Absolute path to read from (a symlink's resolved target). */
  absolute: string;
  size: number;
  mtimeMs: number;
  /** Set when the entry is not read, with the reason. */
  skip?: string;
  /** Set when `artifact` is not the path in the store: its name held an identifier (see hideIdentifiersInPaths). */
  renamed?: boolean;
}

export interface StoreListing {
  engagements: string[];
  entries: StoreEntry[];
  /** Files directly in the store root, not inside any engagement. */
  outside: StoreEntry[];
  /** Engagements named in the request's scope that the store does not have. */
  missing: string[];
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function listStore(storeDir: string, scope?: readonly string[]): Promise<StoreListing> {
  const root = await realpath(storeDir);
  const top = (await readdir(root, { withFileTypes: true })).sort((a, b) => byName(a.name, b.name));
  const listing: StoreListing = { engagements: [], entries: [], outside: [], missing: [] };
  const wanted = scope ? new Set(scope) : undefined;
  for (const dirent of top) {
    const full = path.join(root, dirent.name);
    const info = await resolveInside(root, full);
    if (info.kind === 'dir') {
      if (wanted && !wanted.has(dirent.name)) continue;
      listing.engagements.push(dirent.name);
      await walk(root, info.real, dirent.name, dirent.name, listing.entries, new Set([info.real]));
    } else if (!wanted) {
      listing.outside.push(toEntry(dirent.name, dirent.name, info, 'not inside an engagement folder'));
    }
  }
  if (wanted) listing.missing = [...wanted].filter((e) => !listing.engagements.includes(e)).sort(byName);
  return listing;
}

type Resolved =
  | { kind: 'dir'; real: string }
  | { kind: 'file'; real: string; size: number; mtimeMs: number }
  | { kind: 'other'; real: string; reason: string; size: number; mtimeMs: number };

/** Where a path leads, without ever following it out of the store. */
async function resolveInside(root: string, full: string): Promise<Resolved> {
  const link = await lstat(full);
  let real = full;
  if (link.isSymbolicLink()) {
    try {
      real = await realpath(full);
    } catch {
      return { kind: 'other', real: full, reason: 'broken symlink', size: 0, mtimeMs: link.mtimeMs };
    }
    if (real !== root && !real.startsWith(root + path.sep)) {
      return { kind: 'other', real: full, reason: 'symlink leads out of the store; not followed', size: 0, mtimeMs: link.mtimeMs };
    }
  }
  const info = link.isSymbolicLink() ? await stat(real) : link;
  if (info.isDirectory()) return { kind: 'dir', real };
  if (info.isFile()) return { kind: 'file', real, size: info.size, mtimeMs: info.mtimeMs };
  return { kind: 'other', real, reason: 'not a regular file (device, socket or pipe)', size: 0, mtimeMs: info.mtimeMs };
}

function toEntry(engagement: string, artifact: string, info: Resolved, skip?: string): StoreEntry {
  const size = info.kind === 'dir' ? 0 : info.size;
  const mtimeMs = info.kind === 'dir' ? 0 : info.mtimeMs;
  const reason = skip ?? (info.kind === 'other' ? info.reason : undefined);
  return { engagement, artifact, absolute: info.real, size, mtimeMs, ...(reason ? { skip: reason } : {}) };
}

async function walk(root: string, dir: string, engagement: string, rel: string, out: StoreEntry[], seen: Set<string>): Promise<void> {
  const dirents = (await readdir(dir, { withFileTypes: true })).sort((a, b) => byName(a.name, b.name));
  for (const dirent of dirents) {
    const artifact = `${rel}/${dirent.name}`;
    const info = await resolveInside(root, path.join(dir, dirent.name));
    if (info.kind === 'dir') {
      // A symlinked folder inside the store may point back up: visit each real folder once.
      if (seen.has(info.real)) {
        out.push({ engagement, artifact, absolute: info.real, size: 0, mtimeMs: 0, skip: 'symlinked folder already visited (loop)' });
        continue;
      }
      seen.add(info.real);
      await walk(root, info.real, engagement, artifact, out, seen);
    } else {
      out.push(toEntry(engagement, artifact, info));
    }
  }
}

/**
 * A name that holds one of the subject's identifiers, with each replaced. An identifier glued to
 * an extension or a suffix (`zoe.muller@contoso.com.txt`, `…_backup`) is not a match of the content
 * patterns, which read on as more domain, so the parts before each `.`, `_`, `-` or space are tried too.
 */
export function hideInName(name: string, scrub: (text: string) => string): string {
  const whole = scrub(name);
  if (whole !== name) return whole;
  for (let i = name.length - 1; i > 0; i--) {
    if (!/[._\- ]/.test(name[i]!)) continue;
    const head = name.slice(0, i);
    const hidden = scrub(head);
    if (hidden !== head) return hidden + hideInName(name.slice(i), scrub);
  }
  return name;
}

/**
 * A store path that holds one of the subject's identifiers (`exports/Zoë Müller.csv`, an
 * engagement folder named after an account number) would print the value in every output and
 * name the redacted copy after it. Such engagements and paths are reported, and copied, with the
 * identifier replaced; `~2`, `~3` … keep two such names apart, in walk order.
 */
export function hideIdentifiersInPaths(listing: StoreListing, scrub: (text: string) => string): void {
  // Folder names repeat for every file under them: each distinct part is looked at once.
  const seen = new Map<string, string>();
  const hide = (part: string) => {
    let hidden = seen.get(part);
    if (hidden === undefined) seen.set(part, (hidden = hideInName(part, scrub)));
    return hidden;
  };
  const engagements = new Map<string, string>();
  const takenEngagements = new Set(listing.engagements);
  for (const engagement of listing.engagements) engagements.set(engagement, unique(hide(engagement), engagement, takenEngagements));
  listing.engagements = listing.engagements.map((e) => engagements.get(e)!);
  listing.missing = listing.missing.map(hide);
  const entries = [...listing.entries, ...listing.outside];
  const taken = new Set(entries.map((e) => e.artifact));
  for (const entry of entries) {
    const [, ...rest] = entry.artifact.split('/');
    const engagement = engagements.get(entry.engagement) ?? hide(entry.engagement);
    const hidden = rest.length ? [engagement, ...rest.map(hide)].join('/') : engagement;
    if (hidden === entry.artifact && engagement === entry.engagement) continue;
    entry.engagement = engagement;
    entry.artifact = unique(hidden, entry.artifact, taken);
    entry.renamed = true;
  }
}

/** `name`, or with `~2`, `~3` … before its extension when another entry has it already. */
function unique(name: string, original: string, taken: Set<string>): string {
  if (name === original) return name;
  let candidate = name;
  // The number goes before the extension, so that the copy still opens as what it is.
  for (let n = 2; taken.has(candidate); n++) candidate = name.replace(/(\.[^./]*)?$/, (ext) => `~${n}${ext}`);
  taken.add(candidate);
  return candidate;
}
