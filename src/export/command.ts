/**
 * `dsr export`: a discover run (findings.jsonl, report.json, audit.jsonl) that also writes the
 * portability bundle: the records of every artifact that mentions the subject (see artifact.ts).
 */
import { runJob, totalMatches, type JobOptions, type RunSummary } from '../job.js';
import type { Report } from '../output/report.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { exportArtifact } from './artifact.js';
import { writeBundle } from './bundle.js';
import { subjectCsv } from './flatten.js';
import { RecordRedactor } from './redact.js';
import type { EngagementExport, SubjectExport } from './records.js';

export interface ExportOptions extends Omit<JobOptions, 'command' | 'bundle' | 'signKey' | 'detect'> {
  zip?: boolean;
}

export async function runExport(options: ExportOptions): Promise<RunSummary> {
  const { request } = options.request;
  return runJob({
    ...options,
    command: 'export',
    bundle: async ({ out, atomic, report, matcher, fileOf }) => {
      const subject = await collect(report, fileOf, await RecordRedactor.start(matcher), request.id ?? null);
      return writeBundle({
        out,
        atomic,
        requestId: request.id ?? null,
        zip: !!options.zip,
        files: [
          ['subject.json', JSON.stringify(subject, null, 2) + '\n'],
          ['subject.csv', subjectCsv(subject)],
        ],
      });
    },
  });
}

/** subject.json: engagements and artifacts in report order (store order), only those that mention the subject. */
async function collect(report: Report, fileOf: (artifact: string) => string | undefined, r: RecordRedactor, requestId: string | null): Promise<SubjectExport> {
  const engagements: EngagementExport[] = [];
  for (const e of report.engagements) {
    const artifacts = [];
    for (const a of e.artifacts) {
      const matches = totalMatches(a);
      const file = fileOf(a.artifact);
      // Members of containers (`a.zip!x.log`) are covered by their container's entry.
      if (!file || a.status !== 'scanned' || matches === 0) continue;
      try {
        artifacts.push(await exportArtifact(file, a.artifact, matches, r));
      } catch {
        // The reason could quote content: only the fact is kept.
        artifacts.push({ artifact: a.artifact, reader: 'none', matches, records: [], notes: ['could not be read for records; see the access copy'] });
      }
    }
    if (artifacts.length) engagements.push({ engagement: e.engagement, artifacts });
  }
  return { request: { id: requestId }, tool: { name: TOOL_NAME, version: TOOL_VERSION }, engagements };
}
