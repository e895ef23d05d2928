/** Helpers for the integrity tests: keys made on the fly, runs of the engine, file listings. */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import type { Command, JobOptions, RunSummary } from '../src/job.js';
import { loadRequest } from '../src/request.js';
import { STORE, tempDir, ZOE_REQUEST } from './helpers.js';

/** The subject's identifier values: none may appear in clear in an encrypted --out. */
export async function zoeValues(): Promise<string[]> {
  const request = JSON.parse(await readFile(ZOE_REQUEST, 'utf8')) as { subject: Record<string, string[]> };
  return Object.values(request.subject).flat();
}

/** An age identity file (as age-keygen writes it) and its recipient. */
export async function ageKey(dir: string, name = 'key.txt'): Promise<{ file: string; identity: string; recipient: string }> {
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  const file = path.join(dir, name);
  await writeFile(file, `# created: 2026-01-01T00:00:00Z\n# public key: ${recipient}\n${identity}\n`);
  return { file, identity, recipient };
}

/** An Ed25519 key pair in PEM files, the formats `openssl genpkey -algorithm ed25519` and `openssl pkey -pubout` write. */
export async function signingKey(dir: string, name = 'sign'): Promise<{ privatePem: string; publicPem: string }> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privatePem = path.join(dir, `${name}.pem`);
  const publicPem = path.join(dir, `${name}.pub.pem`);
  await writeFile(privatePem, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await writeFile(publicPem, publicKey.export({ type: 'spki', format: 'pem' }));
  return { privatePem, publicPem };
}

/** A run of the engine on the example store into a new folder. */
export async function runOnStore(command: Command, extra: Partial<JobOptions> = {}, out?: string): Promise<{ out: string; summary: RunSummary }> {
  out ??= path.join(await tempDir('dsr-integrity-'), 'out');
  // Loaded here so that tests of single modules do not load every format reader.
  const { runJob } = await import('../src/job.js');
  const summary = await runJob({ command, store: STORE, request: await loadRequest(ZOE_REQUEST), out, ...extra });
  return { out, summary };
}

/** Every file below a folder, relative with `/`, sorted. */
export async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const found: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) found.push(...(await listFiles(dir, child)));
    else found.push(child);
  }
  return found.sort();
}

/** Whether a command-line tool is installed (tests that need it skip with a message otherwise). */
export function installed(tool: string, versionArg = '--version'): boolean {
  try {
    execFileSync(tool, [versionArg], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Flip one byte of a file in place. */
export async function flipByte(file: string, at: number): Promise<void> {
  const data = await readFile(file);
  data[at] = data[at]! ^ 0x01;
  await writeFile(file, data);
}
