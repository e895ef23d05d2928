/** Shared test helpers: the example request's identifiers, temp folders, running the built CLI. */
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRequest } from '../src/request.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const STORE = path.join(ROOT, 'fixtures/store');
export const ZOE_REQUEST = path.join(ROOT, 'fixtures/requests/zoe.json');
export const CLI = path.join(ROOT, 'dist/cli/dsr.js');

export async function zoe() {
  return parseRequest(JSON.parse(await readFile(ZOE_REQUEST, 'utf8')));
}

/** Every file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? filesUnder(path.join(dir, n)) : [path.join(dir, n)]));
}

export function tempDir(prefix = 'dsr-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built CLI (`npm test` builds first). */
export function dsr(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const env = { ...process.env, ...options.env };
    execFile(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, maxBuffer: 64 << 20, env }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Written forms of the identifiers of fixtures/requests/zoe.json, for the anchors' and the fast paths' tests. */
export const WRITTEN_FORMS = [
  'Zoë Müller', 'ZOË MÜLLER', 'Zoe\u0308 Mu\u0308ller', 'Zo&euml; M&uuml;ller', 'Zo&#235;&nbsp;M&#xfc;ller', 'Zo\\u00eb\\u0020M\\u00fcller',
  'M\u00fcller,  Zo\u00eb', 'Müller,%20Zoë', 'Müller,\\nZoë', '&#x5a;oë Müller', '%5Aoe Muller', 'Zoë+Müller', 'Zoë\u00a0Müller',
  'Zoë\u2009Müller', 'Müller,\u3000Zoë', 'Zoë\ufeffMüller', 'Zoë\u202f\u00a0Müller',
  'zoe.muller@contoso.com', 'ZOE.MULLER@CONTOSO.COM', 'zoe%2Emuller%40contoso.com', 'zoe&#46;muller&commat;contoso.com',
  '\\u007aoe.muller@contoso.com', 'z&#x6f;e.muller@contoso.com', 'zoe.mull%65r@contoso.com',
  '+1 (415) 555-0115', '415.555.0115', '4155550115', '(415)\u00a0555\u00a00115', '415%20555%200115', '415&nbsp;555&nbsp;0115', '4 1 5 5 5 5 0 1 1 5',
  '+44 7700 900968', '07700 900968', '+44 (0)7700 900968', '9f3a2c71be04d5e6', '9F3A2C71BE04D5E6',
  'CUST48213907', 'cust48213907', '6F9619FF-8B86-D011-B42D-00C04FD430C8', '{6f9619ff8b86d011b42d00c04fd430c8}',
];
