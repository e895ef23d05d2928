#!/usr/bin/env node
/**
 * Turns the annotated sources fixtures/labeled/src/*.txt into fixtures/labeled/*.jsonl, one
 * document per line: {"text": "…", "entities": [{"type", "start", "end"}]} with offsets in UTF-16
 * code units, end exclusive.
 *
 * Source format: documents are separated by a line holding only `---`; an entity is written
 * ⟦TYPE|text⟧ (U+27E6, U+27E7, which no artifact here uses). Lines starting with `#` before the
 * first document are comments.
 *
 *   node scripts/make-labeled.mjs           rewrite the .jsonl files
 *   node scripts/make-labeled.mjs --check   exit 1 if a .jsonl file differs from its source
 */
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, '..', 'fixtures', 'labeled');
const MARK = /⟦([A-Z_]+)\|([^⟦⟧]*)⟧/g;

function parseDocument(annotated) {
  const entities = [];
  let text = '';
  let at = 0;
  for (const m of annotated.matchAll(MARK)) {
    text += annotated.slice(at, m.index);
    entities.push({ type: m[1], start: text.length, end: text.length + m[2].length });
    text += m[2];
    at = m.index + m[0].length;
  }
  text += annotated.slice(at);
  if (/[⟦⟧]/.test(text)) throw new Error(`unbalanced markup near: ${text.slice(text.search(/[⟦⟧]/) - 20, text.search(/[⟦⟧]/) + 20)}`);
  return { text, entities };
}

function parseSource(source) {
  const body = source.replace(/^(?:#.*\n)+/, '');
  return body
    .split(/\n---\n/)
    .map((doc) => doc.replace(/^\n+|\n+$/g, ''))
    .filter((doc) => doc.length > 0)
    .map(parseDocument);
}

const check = process.argv.includes('--check');
let stale = 0;
for (const name of readdirSync(path.join(dir, 'src')).filter((f) => f.endsWith('.txt')).sort()) {
  const docs = parseSource(readFileSync(path.join(dir, 'src', name), 'utf8'));
  const out = docs.map((d) => JSON.stringify(d)).join('\n') + '\n';
  const target = path.join(dir, name.replace(/\.txt$/, '.jsonl'));
  if (check) {
    if (!existsSync(target) || readFileSync(target, 'utf8') !== out) {
      console.error(`${path.relative(process.cwd(), target)} differs from its source`);
      stale++;
    }
  } else {
    writeFileSync(target, out);
    console.log(`${path.relative(process.cwd(), target)}: ${docs.length} documents, ${docs.reduce((n, d) => n + d.entities.length, 0)} entities`);
  }
}
process.exitCode = stale ? 1 : 0;
