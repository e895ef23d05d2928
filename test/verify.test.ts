/**
 * `dsr verify` on bundles (folder and zip with manifest.json, built here), on an --out folder
 * against what its audit log recorded, and the command's exit statuses.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, symlink, writeFile, appendFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import yazl from 'yazl';
import { beforeAll, describe, expect, test } from 'vitest';
import { verifyPath } from '../src/verify/index.js';
import { dsr, tempDir } from './helpers.js';
import { flipByte, runOnStore } from './verify-helpers.js';

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** A bundle as the export writes it: data files and a manifest listing each with size and SHA-256. */
const FILES: Record<string, string> = {
  'subject.json': '{"records":[{"artifact":"ENG-1/a.log","line":3}]}\n',
  'subject.csv': 'artifact,line\nENG-1/a.log,3\n',
  'schema/subject.schema.json': '{"type":"object"}\n',
};

function manifest(files: Record<string, string | Buffer> = FILES): string {
  return JSON.stringify({
    request: { id: 'DSR-TEST' },
    tool: { name: 'dsr', version: '0.0.0' },
    created: '2026-01-01T00:00:00Z',
    files: Object.entries(files).map(([p, data]) => ({ path: p, size: Buffer.byteLength(data), sha256: sha(data) })),
  });
}

async function bundleFolder(files: Record<string, string> = FILES, manifestText = manifest(files)): Promise<string> {
  const dir = path.join(await tempDir(), 'export');
  for (const [rel, data] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), data);
  }
  await writeFile(path.join(dir, 'manifest.json'), manifestText);
  return dir;
}

async function bundleZip(entries: Record<string, string>): Promise<string> {
  const file = path.join(await tempDir(), 'export.zip');
  const zip = new yazl.ZipFile();
  for (const [name, data] of Object.entries(entries)) zip.addBuffer(Buffer.from(data), name);
  zip.end();
  const sink = createWriteStream(file);
  zip.outputStream.pipe(sink);
  await finished(sink);
  return file;
}

const keys = { identities: [] };

describe('a bundle folder with manifest.json', () => {
  test('intact: every listed file present with its size and SHA-256', async () => {
    const dir = await bundleFolder();
    const report = await verifyPath(dir, keys);
    expect(report.problems).toEqual([]);
    expect(report.ok).toEqual([`${dir}/manifest.json: all 3 listed files present with the listed size and SHA-256`]);
    // The manifest itself as PATH checks its folder.
    expect((await verifyPath(path.join(dir, 'manifest.json'), keys)).problems).toEqual([]);
  });

  test('a flipped byte: the file is named with the expected and the actual SHA-256', async () => {
    const dir = await bundleFolder();
    await flipByte(path.join(dir, 'subject.csv'), 5);
    const actual = sha(await readFile(path.join(dir, 'subject.csv')));
    expect((await verifyPath(dir, keys)).problems).toEqual([
      { file: `${dir}/subject.csv`, message: `SHA-256 is ${actual}, manifest.json says ${sha(FILES['subject.csv']!)}` },
    ]);
  });

  test('a missing file, a file of another size, and a file not listed', async () => {
    const dir = await bundleFolder();
    await rm(path.join(dir, 'schema/subject.schema.json'));
    await appendFile(path.join(dir, 'subject.json'), ' ');
    await writeFile(path.join(dir, 'notes.txt'), 'added later');
    const byFile = Object.fromEntries((await verifyPath(dir, keys)).problems.map((p) => [path.relative(dir, p.file), p.message]));
    expect(byFile).toEqual({
      'schema/subject.schema.json': `missing (listed in manifest.json with ${FILES['schema/subject.schema.json']!.length} bytes, SHA-256 ${sha(FILES['schema/subject.schema.json']!)})`,
      'subject.json': `is ${FILES['subject.json']!.length + 1} bytes, manifest.json says ${FILES['subject.json']!.length}`,
      'notes.txt': 'is in the bundle but not listed in manifest.json',
    });
  });

  test('a manifest path that leaves the folder, and a symbolic link in place of a file', async () => {
    const outside = { '../outside.txt': 'x' };
    const dir = await bundleFolder(FILES, manifest({ ...FILES, ...outside }));
    await rm(path.join(dir, 'subject.csv'));
    await symlink('/etc/hostname', path.join(dir, 'subject.csv'));
    const messages = (await verifyPath(dir, keys)).problems.map((p) => `${path.relative(dir, p.file)}: ${p.message}`);
    expect(messages).toContain('subject.csv: is a symbolic link, not a file of the bundle');
    expect(messages).toContain('manifest.json: files[3].path "../outside.txt" leaves the bundle folder or is not a plain relative path');
  });

  test('a manifest that is not one', async () => {
    const dir = await bundleFolder(FILES, '{"files":[{"path":"subject.json","size":-1,"sha256":"x"}]}');
    const [problem] = (await verifyPath(dir, keys)).problems;
    expect(problem!.message).toMatch(/^is not a manifest with "files": \[\{"path", "size", "sha256"\}\] \(files\.0\.size: /);
  });
});

describe('a zip of a bundle', () => {
  const inFolder = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([p, d]) => [`export/${p}`, d]));

  test('intact, with the bundle folder inside the zip', async () => {
    const zip = await bundleZip({ ...inFolder(FILES), 'export/manifest.json': manifest() });
    const report = await verifyPath(zip, keys);
    expect(report.problems).toEqual([]);
    expect(report.ok).toEqual(['export.zip/export/manifest.json: all 3 listed files present with the listed size and SHA-256']);
  });

  test('a changed member (same size) and a member outside the bundle folder', async () => {
    const changed = { ...FILES, 'subject.csv': FILES['subject.csv']!.replace('3', '4') };
    const zip = await bundleZip({ ...inFolder(changed), 'export/manifest.json': manifest(), 'stray.txt': 'x' });
    expect((await verifyPath(zip, keys)).problems).toEqual([
      { file: 'export.zip/export/subject.csv', message: `SHA-256 is ${sha(changed['subject.csv']!)}, manifest.json says ${sha(FILES['subject.csv']!)}` },
      { file: 'export.zip/stray.txt', message: 'is outside the bundle folder export' },
    ]);
  });

  test('a damaged zip is a problem, not a crash', async () => {
    const zip = await bundleZip({ ...inFolder(FILES), 'export/manifest.json': manifest() });
    const data = await readFile(zip);
    await writeFile(zip, data.subarray(0, data.length - 30));
    const [problem] = (await verifyPath(zip, keys)).problems;
    expect(problem!.message).toMatch(/^is not a readable zip/);
  });
});

describe('an --out folder against its audit log', () => {
  let out: string;
  beforeAll(async () => {
    ({ out } = await runOnStore('erase'));
  });

  test('intact after the run', async () => {
    const report = await verifyPath(out, keys);
    expect(report.problems).toEqual([]);
    expect(report.ok[1]).toBe('21 output files match the digests audit.jsonl recorded');
  });

  test('a changed, a removed and an added redacted copy are each named', async () => {
    const copy = await tempDir();
    await (await import('node:fs/promises')).cp(out, copy, { recursive: true });
    const audit = (await readFile(path.join(copy, 'audit.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const recorded = audit.find((e) => e.path === 'redacted/ENG-1001/logs/app.log');
    await flipByte(path.join(copy, 'redacted/ENG-1001/logs/app.log'), 0);
    await rm(path.join(copy, 'redacted/ENG-1003/logs/auth.log'));
    await writeFile(path.join(copy, 'redacted/ENG-1003/logs/extra.log'), 'x');
    const problems = (await verifyPath(copy, keys)).problems;
    const actual = sha(await readFile(path.join(copy, 'redacted/ENG-1001/logs/app.log')));
    expect(problems).toEqual([
      { file: 'redacted/ENG-1001/logs/app.log', message: `SHA-256 is ${actual}, audit.jsonl line ${recorded.seq} recorded ${recorded.sha256}` },
      { file: 'redacted/ENG-1003/logs/auth.log', message: expect.stringMatching(/^missing \(written at audit\.jsonl line \d+\)$/) },
      { file: 'redacted/ENG-1003/logs/extra.log', message: 'is not recorded in audit.jsonl: it was added or renamed afterwards' },
    ]);
  });
});

describe('the verify command', () => {
  test('exit 0 intact, 1 tampered (problem printed), 2 usage', async () => {
    const dir = await bundleFolder();
    const ok = await dsr(['verify', dir]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/intact\n$/);
    await flipByte(path.join(dir, 'subject.json'), 2);
    const bad = await dsr(['verify', dir]);
    expect([bad.code, bad.stderr]).toEqual([1, '']);
    expect(bad.stdout).toContain(`FAIL  ${dir}/subject.json: SHA-256 is `);
    const json = await dsr(['verify', dir, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ intact: false, problems: [{ file: `${dir}/subject.json` }] });
    expect((await dsr(['verify', path.join(dir, 'nope')])).code).toBe(2);
    const notThing = path.join(dir, 'subject.csv');
    const usage = await dsr(['verify', notThing]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe(`dsr: ${notThing} is not a bundle, zip, audit log or attestation\n`);
  });
});
