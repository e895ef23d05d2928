/**
 * `dsr detect`: JSON Lines in (`{"text": "…"}`), one line out per line in, in order:
 * `{"entities": [{"type", "start", "end", "score"}]}` with offsets in UTF-16 code units of `text`
 * (JavaScript string indices), end exclusive. A line that cannot be read gets `{"error": "…"}`,
 * which never quotes the input, and the rest goes on.
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import type { Detector } from './engine.js';
import { loadDetector } from './load.js';
import { InputError } from '../errors.js';

type Parsed = { text: string } | { error: string };

export function parseLine(line: string): Parsed {
  if (line.trim() === '') return { error: 'empty line' };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { error: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'not a JSON object' };
  const text = (value as Record<string, unknown>).text;
  if (typeof text !== 'string') return { error: 'no string field "text"' };
  return { text };
}

/** Analyse every line of `input`; returns how many lines there were and how many failed. */
export async function detectLines(input: NodeJS.ReadableStream, output: Writable, detector: Detector): Promise<{ lines: number; failed: number }> {
  let lines = 0;
  let failed = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lines++;
    const parsed = parseLine(line);
    let out: string;
    if ('error' in parsed) {
      failed++;
      out = JSON.stringify({ error: `line ${lines}: ${parsed.error}` });
    } else {
      const entities = detector.detect(parsed.text).map(({ type, start, end, score }) => ({ type, start, end, score }));
      out = JSON.stringify({ entities });
    }
    if (!output.write(out + '\n')) await once(output, 'drain');
  }
  return { lines, failed };
}


/** The command: `file` absent or `-` reads stdin. Exit status 0, or 1 when a line failed. */
export async function detectCommand(file: string | undefined, stdin: NodeJS.ReadableStream, stdout: Writable, stderr: Writable): Promise<number> {
  let input = stdin;
  if (file && file !== '-') {
    try {
      await (await open(file, 'r')).close();
    } catch (err) {
      throw new InputError(`cannot read --input: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    input = createReadStream(file);
  }
  const detector = await loadDetector();
  const { lines, failed } = await detectLines(input, stdout, detector);
  if (failed > 0) stderr.write(`dsr detect: ${failed} of ${lines} input line(s) could not be read\n`);
  return failed > 0 ? 1 : 0;
}
