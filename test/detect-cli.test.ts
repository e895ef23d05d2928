/**
 * `dsr detect`: the golden run on fixtures/labeled/cli (one output line per input line, in order,
 * errors that never quote the input), stdin, and the lazy loading of the tagger and recognizer.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';
import { CLI, dsr, ROOT, STORE, tempDir, ZOE_REQUEST, type CliResult } from './helpers.js';

const GOLDEN = path.join(ROOT, 'fixtures/labeled/cli');

function run(args: string[], options: { input?: string; node?: string[]; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [...(options.node ?? []), CLI, ...args],
      { cwd: ROOT, env: { ...process.env, ...options.env }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(options.input ?? '');
  });
}

test('golden: one line out per line in, in order; bad lines get an error and the exit status is 1', async () => {
  const result = await dsr(['detect', '--input', path.join(GOLDEN, 'input.jsonl')]);
  expect(result.stdout).toBe(await readFile(path.join(GOLDEN, 'expected.jsonl'), 'utf8'));
  expect(result.code).toBe(1);
  expect(result.stderr).toBe('dsr detect: 5 of 11 input line(s) could not be read\n');
  // Error lines name the line and the problem, never what the line held.
  expect(result.stdout).not.toMatch(/not json at all|an array|no text field"/);
});

test('offsets index the JavaScript string: the emoji before a name counts two', async () => {
  // The offsets dsr prints (not the golden file's), applied to the input as JavaScript reads it.
  const lines = (await readFile(path.join(GOLDEN, 'input.jsonl'), 'utf8')).split('\n');
  const printed = (await dsr(['detect', '--input', path.join(GOLDEN, 'input.jsonl')])).stdout.split('\n');
  const text: string = JSON.parse(lines[1]!).text;
  const spans = JSON.parse(printed[1]!).entities.map((e: { start: number; end: number }) => text.slice(e.start, e.end));
  expect(spans).toEqual(['hunter2', '10.1.2.3', 'Ava Chen']);
});

test('reads stdin when --input is absent or -', async () => {
  const input = '{"text":"mail ava.chen@fabrikam.com"}\n{"text":"nothing here"}\n';
  const expected = '{"entities":[{"type":"EMAIL_ADDRESS","start":5,"end":26,"score":1}]}\n{"entities":[]}\n';
  for (const args of [['detect'], ['detect', '--input', '-']]) {
    const result = await run(args, { input });
    expect(result).toEqual({ code: 0, stdout: expected, stderr: '' });
  }
});

test('an --input that cannot be read is a usage error (exit 2)', async () => {
  const result = await dsr(['detect', '--input', path.join(await tempDir(), 'missing.jsonl')]);
  expect(result.code).toBe(2);
  expect(result.stderr).toBe('dsr: cannot read --input: ENOENT\n');
});

/** Records every module specifier that names the tagger or the recognizers. */
const HOOKS = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  if (/compromise|recognizers-text/.test(specifier)) appendFileSync(process.env.DSR_LOAD_LOG, specifier + '\\n');
  return next(specifier, context);
}`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(HOOKS))});`;

test('discover loads neither the tagger nor the recognizer unless --detect asks for them', async () => {
  const dir = await tempDir();
  const loads = async (extra: string[], name: string) => {
    const log = path.join(dir, `${name}.log`);
    const result = await run(['discover', '--store', STORE, '--request', ZOE_REQUEST, '--out', path.join(dir, name), ...extra], {
      node: ['--import', 'data:text/javascript,' + encodeURIComponent(REGISTER)],
      env: { DSR_LOAD_LOG: log },
    });
    expect(result.code).toBe(0);
    return readFile(log, 'utf8').catch(() => '');
  };
  expect(await loads([], 'plain')).toBe('');
  const withDetect = await loads(['--detect'], 'detect');
  expect(withDetect).toMatch(/compromise/);
  expect(withDetect).toMatch(/recognizers-text-suite/);
});

test('the labeled fixtures are generated from their annotated sources', async () => {
  const result = await new Promise<CliResult>((resolve) =>
    execFile(process.execPath, [path.join(ROOT, 'scripts/make-labeled.mjs'), '--check'], { cwd: ROOT }, (err, stdout, stderr) =>
      resolve({ code: err ? 1 : 0, stdout, stderr }),
    ),
  );
  expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
});
