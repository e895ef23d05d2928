#!/usr/bin/env node
/**
 * Precision, recall and F1 per entity type of the dsr detectors on the labeled fixtures
 * (fixtures/labeled/*.jsonl), beside redact-pii (local regex mode) on the same texts.
 *
 *   npm run eval                      build, then print the tables (Markdown)
 *   node scripts/eval-detectors.mjs --misses   also list every miss and false hit of dsr
 *   node scripts/eval-detectors.mjs --json     the numbers as JSON
 *
 * A prediction counts as found when it has the gold entity's type and overlaps it; each gold
 * entity and each prediction is used once. "exact" also requires the same boundaries.
 * Sets named heldout-* were written after the detectors were tuned on the others: their table
 * is the honest one.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactPiiSpans } from './redact-pii-spans.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { loadDetector } = await import(path.join(root, 'dist/src/detect/load.js'));
const { ENTITY_TYPES } = await import(path.join(root, 'dist/detectors/pii/types.js'));

const labeledDir = path.join(root, 'fixtures', 'labeled');
const allDocs = readdirSync(labeledDir)
  .filter((f) => f.endsWith('.jsonl'))
  .sort()
  .flatMap((f) =>
    readFileSync(path.join(labeledDir, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line, i) => ({ set: f.replace(/\.jsonl$/, ''), line: i + 1, ...JSON.parse(line) })),
  );
const docs = allDocs;

const detector = await loadDetector();
const overlaps = (a, b) => a.start < b.end && b.start < a.end;
const exact = (a, b) => a.start === b.start && a.end === b.end;

/** Per type: true positives, false positives, false negatives; plus the misses and false hits. */
function score(docs, predict, same) {
  const counts = new Map();
  const errors = [];
  const bump = (type, key) => {
    if (!counts.has(type)) counts.set(type, { tp: 0, fp: 0, fn: 0 });
    counts.get(type)[key]++;
  };
  for (const doc of docs) {
    const predicted = predict(doc.text).filter((p) => p.type);
    const used = new Set();
    for (const gold of doc.entities) {
      const hit = predicted.findIndex((p, i) => !used.has(i) && p.type === gold.type && same(p, gold));
      if (hit === -1) {
        bump(gold.type, 'fn');
        errors.push({ kind: 'miss', doc, entity: gold });
      } else {
        used.add(hit);
        bump(gold.type, 'tp');
      }
    }
    predicted.forEach((p, i) => {
      if (used.has(i)) return;
      bump(p.type, 'fp');
      errors.push({ kind: 'false hit', doc, entity: p });
    });
  }
  return { counts, errors };
}

const dsr = (text) => detector.detect(text);

/** Entity types redact-pii has an equivalent for (scripts/redact-pii-spans.mjs). */
const REDACT_PII_COVERS = new Set(['PERSON', 'EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD', 'IP_ADDRESS', 'US_SSN', 'URL', 'SECRET']);

function prf(c = { tp: 0, fp: 0, fn: 0 }) {
  const p = c.tp + c.fp ? c.tp / (c.tp + c.fp) : NaN;
  const r = c.tp + c.fn ? c.tp / (c.tp + c.fn) : NaN;
  const f1 = p + r ? (2 * p * r) / (p + r) : 0;
  return { p, r, f1 };
}

const fmt = (x) => (Number.isNaN(x) ? '–' : x.toFixed(2));

function evaluate(name, subset) {
  const results = {
    dsr: score(subset, dsr, overlaps),
    dsrExact: score(subset, dsr, exact),
    redactPii: score(subset, redactPiiSpans, overlaps),
  };
  const types = ENTITY_TYPES.filter((t) => subset.some((d) => d.entities.some((e) => e.type === t)));
  const rows = types.map((type) => {
    const gold = subset.reduce((n, d) => n + d.entities.filter((e) => e.type === type).length, 0);
    const ours = prf(results.dsr.counts.get(type));
    const oursExact = prf(results.dsrExact.counts.get(type));
    const theirs = REDACT_PII_COVERS.has(type) ? prf(results.redactPii.counts.get(type)) : undefined;
    return { type, gold, ours, oursExact, theirs };
  });
  const sets = [...new Set(subset.map((d) => d.set))];
  return { name, sets, documents: subset.length, entities: subset.reduce((n, d) => n + d.entities.length, 0), rows, errors: results.dsr.errors };
}

const groups = [
  evaluate('held-out sets (written after tuning)', docs.filter((d) => d.set.startsWith('heldout-'))),
  evaluate('all sets', docs),
];

if (process.argv.includes('--json')) {
  process.stdout.write(JSON.stringify(groups.map(({ errors, ...g }) => g), null, 2) + '\n');
} else {
  for (const g of groups) {
    console.log(`\n${g.name}: ${g.documents} documents (${g.sets.join(', ')}), ${g.entities} gold entities\n`);
    console.log('| type | gold | dsr P | dsr R | dsr F1 | dsr F1 exact | redact-pii P | redact-pii R | redact-pii F1 |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const { type, gold, ours, oursExact, theirs } of g.rows) {
      const t = theirs ? [fmt(theirs.p), fmt(theirs.r), fmt(theirs.f1)] : ['n/a', 'n/a', 'n/a'];
      console.log(`| ${type} | ${gold} | ${fmt(ours.p)} | ${fmt(ours.r)} | ${fmt(ours.f1)} | ${fmt(oursExact.f1)} | ${t.join(' | ')} |`);
    }
  }
  if (process.argv.includes('--misses')) {
    console.log('\ndsr misses and false hits (all sets):');
    for (const { kind, doc, entity } of groups[1].errors) {
      console.log(`  ${kind.padEnd(9)} ${entity.type.padEnd(14)} ${doc.set}:${doc.line}  ${JSON.stringify(doc.text.slice(entity.start, entity.end))}`);
    }
  }
}
