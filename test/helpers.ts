/** Shared test helpers: the example request's identifiers, temp folders, running the built CLI. */
import { execFile } from 'node:child_process';
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
