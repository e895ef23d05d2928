/** What `dsr verify` found: what checked out, what is wrong, and what could not be checked. */

export interface Problem {
  /** The file at fault, as the operator named it or relative to the folder checked. */
  file: string;
  /** 1-based line, for line-oriented files (the audit log). */
  line?: number;
  message: string;
}

export interface VerifyReport {
  /** Checks that passed, one sentence each. */
  ok: string[];
  problems: Problem[];
  /** Things not checked, or true statements worth knowing (an attestation of an incomplete erase). */
  notes: string[];
}

export function emptyReport(): VerifyReport {
  return { ok: [], problems: [], notes: [] };
}

export function merge(into: VerifyReport, from: VerifyReport): VerifyReport {
  into.ok.push(...from.ok);
  into.problems.push(...from.problems);
  into.notes.push(...from.notes);
  return into;
}

export function formatReport(report: VerifyReport): string {
  const lines = [
    ...report.ok.map((s) => `ok    ${s}`),
    ...report.notes.map((s) => `note  ${s}`),
    ...report.problems.map((p) => `FAIL  ${p.file}${p.line ? ` line ${p.line}` : ''}: ${p.message}`),
  ];
  const n = report.problems.length;
  lines.push(n === 0 ? 'intact' : `${n} problem${n === 1 ? '' : 's'}: tampered or incomplete`);
  return lines.join('\n') + '\n';
}
