#!/usr/bin/env node
/**
 * dsr command line: parse arguments, load and validate the request, run the job, set the exit
 * status (0 done, 1 done but some artifacts failed, 2 usage or request error).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { loadRequest, RequestError } from '../src/request.js';
import { runJob, UsageError, type Command as JobCommand } from '../src/job.js';
import { terminalProgress } from '../src/progress.js';
import { TOOL_VERSION } from '../src/version.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

interface JobFlags {
  store: string;
  request: string;
  out: string;
  concurrency: number;
  json?: boolean;
  progress: boolean;
}

async function runCommand(command: JobCommand, flags: JobFlags): Promise<number> {
  const request = await loadRequest(flags.request);
  const progress = flags.progress ? terminalProgress() : undefined;
  const summary = await runJob({
    command,
    store: flags.store,
    request,
    out: flags.out,
    concurrency: flags.concurrency,
    onProgress: progress?.update,
  });
  progress?.done();
  if (flags.json) process.stdout.write(JSON.stringify(summary) + '\n');
  else {
    const t = summary.totals;
    process.stderr.write(
      `${command}: ${t.artifacts} artifacts (${t.scanned} scanned, ${t.skipped} skipped, ${t.failed} failed), ` +
        `${t.responsive} mention the subject; outputs in ${summary.out}\n`,
    );
  }
  return summary.exitCode;
}

function jobCommand(program: Command, name: JobCommand, summary: string): Command {
  return program
    .command(name)
    .summary(summary)
    .requiredOption('--store <dir>', 'the artifact store: one folder per engagement (read only)')
    .requiredOption('--request <file>', 'the DSR request (JSON): subject identifiers and optional scope')
    .requiredOption('--out <dir>', 'where outputs go; running again into the same folder resumes')
    .addOption(new Option('--concurrency <n>', 'artifacts processed at once').argParser(positiveInt).default(2))
    .option('--json', 'print a JSON run summary on stdout')
    .option('--no-progress', 'no progress line on stderr (it is only shown on a terminal anyway)');
}

export function buildProgram(): Command {
  const program = new Command('dsr')
    .description('Find one data subject\'s identifiers across a store of support artifacts; report, export, redact or erase them.')
    .version(TOOL_VERSION)
    .exitOverride()
    .showHelpAfterError();
  let exitCode = 0;
  const run = (name: JobCommand) => async (flags: JobFlags) => {
    exitCode = await runCommand(name, flags);
  };
  jobCommand(program, 'discover', 'report which artifacts mention the subject, how often and where')
    .description(
      'Search every artifact in scope for the subject\'s identifiers in all their written forms.\n' +
        'Writes findings.jsonl, report.json and audit.jsonl under --out. Never prints identifier values.',
    )
    .action(run('discover'));
  jobCommand(program, 'erase', 'write redacted copies of the store with the subject\'s identifiers removed')
    .description(
      'Like discover, and also writes redacted/: every artifact in scope at its relative path, each match\n' +
        'replaced by a placeholder and every other byte kept; artifacts without matches are byte-identical copies.\n' +
        'Each redacted copy is re-read and must hold no match before it is kept.',
    )
    .action(run('erase'));
  program.hook('postAction', () => {
    process.exitCode = exitCode;
  });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2;
    }
    if (err instanceof RequestError || err instanceof UsageError) {
      process.stderr.write(`dsr: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`dsr: ${(err as Error).message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
