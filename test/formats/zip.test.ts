/**
 * zip archives through the real engine: members are artifacts of their own, nested archives
 * recurse, hostile archives (names that climb out, bombs, lying headers, encryption, corruption)
 * give a clear reason per member or archive, and a redacted archive, re-read independently with
 * yauzl, holds no identifier while unchanged members come back byte for byte.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { buffer } from 'node:stream/consumers';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { zipHandler } from '../../src/formats/zip/index.js';
import { safeEntryName } from '../../src/formats/zip/names.js';
import { IN_MEMORY_BYTES } from '../../src/formats/zip/open.js';
import { ROOT, zoe } from '../helpers.js';
import { counts, ENGAGEMENT, plainHits, runOnFiles } from './store-run.js';

const DIR = path.join(ROOT, 'fixtures/formats/zip');
const fixture = (name: string) => readFileSync(path.join(DIR, name));
const { identifiers } = await zoe();
const at = (name: string, member?: string) => `${ENGAGEMENT}/${name}${member === undefined ? '' : `!${member}`}`;

interface ZipEntryRead {
  name: string;
  content: Buffer;
  method: number;
  comment: string;
  mtime: number;
  mode: number;
}

/** Every entry of an archive, read by yauzl with its own checks (names validated, sizes asserted). */
async function readZip(bytes: Buffer): Promise<{ entries: ZipEntryRead[]; comment: string }> {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  const entries: ZipEntryRead[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject).on('end', resolve);
    zip.on('entry', (entry: yauzl.Entry) => {
      const base = { name: entry.fileName, method: entry.compressionMethod, comment: entry.fileComment, mtime: entry.getLastModDate().getTime(), mode: entry.externalFileAttributes >>> 16 };
      if (entry.fileName.endsWith('/')) {
        entries.push({ ...base, content: Buffer.alloc(0) });
        return zip.readEntry();
      }
      zip.openReadStream(entry, async (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        for await (const c of stream) chunks.push(c as Buffer);
        entries.push({ ...base, content: Buffer.concat(chunks) });
        zip.readEntry();
      });
    });
    zip.readEntry();
  });
  return { entries, comment: zip.comment };
}

/** An archive written with yazl: [name, content, compress]. */
function yazlZip(entries: [string, Buffer, boolean][]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content, compress] of entries) zip.addBuffer(content, name, { compress });
  zip.end();
  return buffer(zip.outputStream);
}

/** All text an archive holds, nested archives opened too. */
async function allText(bytes: Buffer): Promise<string> {
  const { entries, comment } = await readZip(bytes);
  const parts = [comment];
  for (const e of entries) {
    parts.push(e.name, e.comment);
    parts.push(e.content.subarray(0, 4).toString('latin1') === 'PK\x03\x04' ? await allText(e.content) : e.content.toString('utf8'));
  }
  return parts.join('\n');
}

describe('recognition and names', () => {
  test('recognised by content: local file header or an empty archive, whatever the name', () => {
    expect(zipHandler.recognizes(fixture('mixed.zip'), 'a.bin')).toBe(true);
    expect(zipHandler.recognizes(fixture('empty.zip'), 'a.bin')).toBe(true);
    expect(zipHandler.recognizes(Buffer.from('PK is a text file\n'), 'notes.zip')).toBe(false);
  });

  test.each([
    ['../../outside.txt', 'outside.txt', 'path with parent-directory (..) segments'],
    ['/etc/cron.d/evil', 'etc/cron.d/evil', 'absolute path'],
    ['C:\\Windows\\evil.txt', 'Windows/evil.txt', 'absolute path'],
    ['a/./b/../c.txt', 'a/c.txt', 'path with parent-directory (..) segments'],
    ['dir/', 'dir/', undefined],
    ['safe/inside.txt', 'safe/inside.txt', undefined],
  ])('entry name %j is read as %j', (stored, safe, problem) => {
    expect(safeEntryName(stored)).toEqual({ path: safe, ...(problem ? { problem } : {}) });
  });
});

describe('discover', () => {
  test('`../` and absolute entries are reported under safe names inside the archive, with a note', async () => {
    const run = await runOnFiles('discover', { 'traversal.zip': fixture('traversal.zip') });
    const archive = run.records.get(at('traversal.zip'))!;
    expect(archive.status).toBe('scanned');
    expect(counts(run.records.get(at('traversal.zip', 'outside.txt')))).toEqual({ email: 1 });
    expect(counts(run.records.get(at('traversal.zip', 'etc/cron.d/evil')))).toEqual({ phone: 1 });
    expect(run.records.get(at('traversal.zip', 'Windows/evil.txt'))?.status).toBe('scanned');
    expect(counts(run.records.get(at('traversal.zip', 'safe/inside.txt')))).toEqual({ id: 1 });
    expect(archive.notes).toEqual([
      'entry 1 "../../outside.txt": path with parent-directory (..) segments; read as "outside.txt"',
      'entry 2 "/etc/cron.d/evil": absolute path; read as "etc/cron.d/evil"',
      'entry 3 "C:\\Windows\\evil.txt": absolute path; read as "Windows/evil.txt"',
    ]);
  });

  test('nested archives recurse, each member with its own record, to the configured depth', async () => {
    const run = await runOnFiles('discover', { 'nested.zip': fixture('nested.zip') });
    expect(run.records.get(at('nested.zip', 'report.txt'))?.status).toBe('scanned');
    expect(run.records.get(at('nested.zip', 'inner.zip'))?.format).toBe('zip');
    expect(counts(run.records.get(at('nested.zip', 'inner.zip!logs/app.log')))).toEqual({ email: 1, id: 1 });
    expect(counts(run.records.get(at('nested.zip', 'inner.zip!deeper.zip!note.txt')))).toEqual({ name: 1 });
    const located = run.findings.filter((f) => f.artifact === at('nested.zip', 'inner.zip!logs/app.log')).map((f) => f.locator);
    expect(located.map((l) => [l.offset, l.length])).toEqual([
      [25, 22],
      [56, 12],
    ]);

    // Three containers deep (nested.zip → inner.zip → deeper.zip → note.txt) is one too many for maxDepth 2.
    const shallow = await runOnFiles('discover', { 'nested.zip': fixture('nested.zip') }, { limits: { maxDepth: 2 } });
    expect(shallow.records.get(at('nested.zip', 'inner.zip!deeper.zip'))?.format).toBe('zip');
    expect(shallow.records.get(at('nested.zip', 'inner.zip!deeper.zip!note.txt'))).toMatchObject({ status: 'skipped', reason: 'nested deeper than 2 containers' });
    expect(counts(shallow.records.get(at('nested.zip', 'inner.zip!logs/app.log')))).toEqual({ email: 1, id: 1 });
  });

  test('a ratio bomb member is stopped with a reason and the archive goes on', async () => {
    const started = Date.now();
    const run = await runOnFiles('discover', { 'ratio-bomb.zip': fixture('ratio-bomb.zip') });
    const bomb = run.records.get(at('ratio-bomb.zip', 'zeros.bin'))!;
    expect(bomb.status).toBe('failed');
    expect(bomb.reason).toBe('compression ratio above 1000:1 (decompression bomb?)');
    expect(counts(run.records.get(at('ratio-bomb.zip', 'after.txt')))).toEqual({ email: 1 });
    expect(run.records.get(at('ratio-bomb.zip'))?.status).toBe('scanned');
    expect(run.summary.exitCode).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('the total expanded size of an artifact is bounded before anything is inflated', async () => {
    const run = await runOnFiles('discover', { 'ratio-bomb.zip': fixture('ratio-bomb.zip') }, { limits: { maxExpandedBytes: 1024 * 1024 } });
    const bomb = run.records.get(at('ratio-bomb.zip', 'zeros.bin'))!;
    expect(bomb.status).toBe('failed');
    expect(bomb.reason).toBe(`archive expands beyond ${1024 * 1024} bytes (decompression bomb?)`);
    expect(counts(run.records.get(at('ratio-bomb.zip', 'after.txt')))).toEqual({ email: 1 });
  });

  test('the number of members of an artifact is bounded, nested archives included', async () => {
    const run = await runOnFiles('discover', { 'nested.zip': fixture('nested.zip') }, { limits: { maxEntries: 3 } });
    const inner = run.records.get(at('nested.zip', 'inner.zip'))!;
    expect(inner.status).toBe('failed');
    expect(inner.reason).toBe('more than 3 archive members (zip bomb?)');
  });

  test.each([
    ['size-lie.zip', 'small.txt', 'failed', 'member size differs from its declared size (corrupt or crafted)'],
    ['bad-crc.zip', 'notes.txt', 'failed', 'member data fails its CRC-32 check (corrupt)'],
    ['encrypted.zip', 'secret.txt', 'skipped', 'encrypted member (cannot be searched without its password)'],
    ['unsupported-method.zip', 'data.xz', 'skipped', 'unsupported compression method 95'],
  ])('%s: member %s is %s with a reason, the archive completes', async (name, member, status, reason) => {
    const run = await runOnFiles('discover', { [name]: fixture(name) });
    expect(run.records.get(at(name))?.status).toBe('scanned');
    expect(run.records.get(at(name, member))).toMatchObject({ status, reason });
  });

  test('the readable member next to an encrypted one is searched', async () => {
    const run = await runOnFiles('discover', { 'encrypted.zip': fixture('encrypted.zip') });
    expect(counts(run.records.get(at('encrypted.zip', 'plain.txt')))).toEqual({ email: 1 });
  });

  test.each(['truncated.zip', 'not-a-zip.zip'])('%s fails with a reason and the run goes on', async (name) => {
    const run = await runOnFiles('discover', { [name]: fixture(name), 'other.log': `mail ${identifiers[0]!.value}\n` });
    const record = run.records.get(at(name))!;
    expect(record.status).toBe('failed');
    expect(record.reason).toMatch(/^corrupt or truncated zip: /);
    expect(counts(run.records.get(at('other.log')))).toEqual({ email: 1 });
  });

  test('an empty archive is scanned and has no members', async () => {
    const run = await runOnFiles('discover', { 'empty.zip': fixture('empty.zip') });
    expect(run.records.get(at('empty.zip'))).toMatchObject({ status: 'scanned', format: 'zip' });
    expect([...run.records.keys()]).toEqual([at('empty.zip')]);
  });

  test('identifiers across the 64 KiB head and read boundaries of a member are found', async () => {
    const run = await runOnFiles('discover', { 'boundary.zip': fixture('boundary.zip') });
    const member = at('boundary.zip', 'big.log');
    expect(counts(run.records.get(member))).toEqual({ email: 1, phone: 1 });
    expect(run.findings.filter((f) => f.artifact === member).map((f) => [f.locator.offset, f.locator.length])).toEqual([
      [65536 - 7, 22],
      [131072 - 5, 17],
    ]);
  });

  test('a nested archive too large to hold in memory is spooled and read like any other', async () => {
    const big = Buffer.alloc(IN_MEMORY_BYTES + 1024 * 1024);
    const inner = await yazlZip([
      ['big.bin', big, false],
      ['id.txt', Buffer.from(`contact ${identifiers[0]!.value}\n`), true],
    ]);
    expect(inner.length).toBeGreaterThan(IN_MEMORY_BYTES);
    const outer = await yazlZip([['inner.zip', inner, false]]);
    const run = await runOnFiles('discover', { 'outer.zip': outer });
    expect(counts(run.records.get(at('outer.zip', 'inner.zip!id.txt')))).toEqual({ email: 1 });
    expect(run.records.get(at('outer.zip', 'inner.zip!big.bin'))?.status).toBe('scanned');
  });

  test('a streamed member (data descriptor, written from a pipe) is read', async () => {
    const run = await runOnFiles('discover', { 'streamed.zip': fixture('streamed.zip') });
    expect(counts(run.records.get(at('streamed.zip', '-')))).toEqual({ email: 1, name: 1 });
  });

  test('identifiers in entry names and comments are reported on the archive, never shown in paths', async () => {
    const run = await runOnFiles('discover', { 'mixed.zip': fixture('mixed.zip') });
    const own = run.findings.filter((f) => f.artifact === at('mixed.zip')).map((f) => [f.identifier.kind, f.locator]);
    expect(own).toEqual([
      ['id', { entry: 1, field: 'comment' }],
      ['name', { entry: 6, field: 'name' }],
      ['phone', { field: 'archive comment' }],
    ]);
    expect(run.records.has(at('mixed.zip', 'exports/[REDACTED].csv'))).toBe(true);
    expect(run.records.has(at('mixed.zip', 'dir/'))).toBe(false);
    expect(plainHits(run.reportText)).toEqual([]);
    expect(plainHits(run.findings.map((f) => JSON.stringify(f)).join('\n'))).toEqual([]);
  });
});

describe('erase', () => {
  test('the redacted archive keeps names, order, methods, times, modes; unchanged members byte for byte', async () => {
    const original = await readZip(fixture('mixed.zip'));
    const run = await runOnFiles('erase', { 'mixed.zip': fixture('mixed.zip') });
    expect(run.records.get(at('mixed.zip'))?.redacted?.verified).toBe(true);
    const copy = await readZip(await run.redacted('mixed.zip'));

    expect(copy.entries.map((e) => e.name)).toEqual(['changed.txt', 'unchanged.txt', 'stored.bin', 'dir/', 'dir/data.json', 'exports/[REDACTED:name].csv']);
    for (const [i, e] of copy.entries.entries()) {
      const o = original.entries[i]!;
      expect([e.method, e.mtime, e.mode]).toEqual([o.method, o.mtime, o.mode]);
    }
    const byName = (list: ZipEntryRead[], name: string) => list.find((e) => e.name === name)!;
    for (const name of ['unchanged.txt', 'stored.bin']) expect(byName(copy.entries, name).content.equals(byName(original.entries, name).content)).toBe(true);
    expect(byName(copy.entries, 'changed.txt').content.toString()).toBe('ticket 5531: [REDACTED:name] <[REDACTED:email]> called from [REDACTED:phone]\n');
    expect(byName(copy.entries, 'changed.txt').comment).toBe('owner [REDACTED:id]');
    expect(JSON.parse(byName(copy.entries, 'dir/data.json').content.toString())).toEqual({ customer: '[REDACTED:id]', email: '[REDACTED:email]' });
    expect(copy.comment).toBe('archive of case 5531, contact [REDACTED:phone]');
    expect(plainHits(await allText(await run.redacted('mixed.zip')))).toEqual([]);
  });

  test('nested archives are redacted at every level', async () => {
    const run = await runOnFiles('erase', { 'nested.zip': fixture('nested.zip') });
    const copy = await run.redacted('nested.zip');
    expect(plainHits(await allText(fixture('nested.zip'))).length).toBeGreaterThan(0);
    expect(plainHits(await allText(copy))).toEqual([]);
    const { entries } = await readZip(copy);
    expect(entries.map((e) => e.name)).toEqual(['report.txt', 'inner.zip']);
    expect(entries[0]!.content.toString()).toBe('nothing personal here\n');
    const inner = await readZip(entries[1]!.content);
    expect(inner.entries.map((e) => e.name)).toEqual(['logs/app.log', 'deeper.zip']);
    expect(inner.entries[0]!.content.toString()).toBe('2026-03-02 login ok user=[REDACTED:email] account=[REDACTED:id]\n');
  });

  test('entries named `../x` and `/etc/x` are repacked under their safe names; nothing is written outside --out', async () => {
    const run = await runOnFiles('erase', { 'traversal.zip': fixture('traversal.zip') });
    const { entries } = await readZip(await run.redacted('traversal.zip'));
    expect(entries.map((e) => e.name)).toEqual(['outside.txt', 'etc/cron.d/evil', 'Windows/evil.txt', 'safe/inside.txt']);
    expect(plainHits(entries.map((e) => e.content.toString()).join('\n'))).toEqual([]);
    for (const escaped of ['outside.txt', 'etc', 'Windows', path.join('out', 'outside.txt')]) expect(existsSync(path.join(run.root, escaped))).toBe(false);
  });

  test('an encrypted member cannot be carried into a rewritten archive: left out, with a note', async () => {
    const run = await runOnFiles('erase', { 'encrypted.zip': fixture('encrypted.zip') });
    const archive = run.records.get(at('encrypted.zip'))!;
    expect(archive.status).toBe('scanned');
    expect(archive.notes).toEqual(['entry 1 "secret.txt" left out of the redacted copy: encrypted member (cannot be searched without its password)']);
    const { entries } = await readZip(await run.redacted('encrypted.zip'));
    expect(entries.map((e) => [e.name, e.content.toString()])).toEqual([['plain.txt', 'not protected: [REDACTED:email]\n']]);
  });

  test('an unsupported member is left out of a rewritten archive; an archive with nothing found is copied byte for byte', async () => {
    const run = await runOnFiles('erase', { 'unsupported-method.zip': fixture('unsupported-method.zip'), 'clean.zip': fixture('clean.zip') });
    expect(run.records.get(at('unsupported-method.zip'))?.notes).toEqual(['entry 1 "data.xz" left out of the redacted copy: unsupported compression method 95']);
    expect((await readZip(await run.redacted('unsupported-method.zip'))).entries.map((e) => e.name)).toEqual(['plain.txt']);
    expect((await run.redacted('clean.zip')).equals(fixture('clean.zip'))).toBe(true);
  });

  test('a member straddling the 64 KiB boundary is redacted and the copy verified', async () => {
    const run = await runOnFiles('erase', { 'boundary.zip': fixture('boundary.zip') });
    const { entries } = await readZip(await run.redacted('boundary.zip'));
    const text = entries[0]!.content.toString('utf8');
    expect(plainHits(text)).toEqual([]);
    expect(text.length).toBe(200 * 1024 - 22 - 17 + '[REDACTED:email]'.length + '[REDACTED:phone]'.length);
  });
});

describe('where an archive is read from', () => {
  test('a zip of the store larger than the head is read in place, from its file, and hashed whole beside yauzl', async () => {
    // Over 64 KiB (stored, not compressed), so the engine does not hold it in memory: yauzl reads
    // the file itself while the engine's read-through hashes it.
    const filler = Buffer.from(Array.from({ length: 3000 }, (_, i) => `line ${i} of the support bundle\n`).join(''));
    const zip = await yazlZip([['big.log', Buffer.concat([filler, Buffer.from('mail zoe.muller@contoso.com\n'), filler]), false]]);
    expect(zip.length).toBeGreaterThan(64 * 1024);
    const inPlace = vi.spyOn(yauzl, 'openPromise');
    const inMemory = vi.spyOn(yauzl, 'fromBufferPromise');
    try {
      const run = await runOnFiles('erase', { 'big.zip': zip });
      expect(run.records.get(at('big.zip'))).toMatchObject({ status: 'scanned', format: 'zip' });
      expect(counts(run.records.get(at('big.zip', 'big.log')))).toMatchObject({ email: 1 });
      // The store file, and the redacted copy when it is verified: both files, no copy in memory.
      expect(inPlace.mock.calls.map(([file]) => path.basename(String(file)))).toContain('big.zip');
      expect(inMemory).not.toHaveBeenCalled();
      expect(run.records.get(at('big.zip'))!.sha256).toBe(createHash('sha256').update(zip).digest('hex'));
    } finally {
      inPlace.mockRestore();
      inMemory.mockRestore();
    }
  });
});
