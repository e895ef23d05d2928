#!/usr/bin/env node
/**
 * dsr command line: parse arguments, load and validate the request, run the job, set the exit
 * status (0 done, 1 done but some artifacts failed, 2 usage or request error).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../src/errors.js';
import type { Command as JobCommand } from '../src/job.js';
import { terminalProgress } from '../src/progress.js';
import { TOOL_VERSION } from '../src/version.js';
import { DEFAULT_LIMITS, type Limits } from '../src/formats/types.js';
import { loadSigningKey } from '../src/crypto/keys.js';
import type { VerifyFlags } from '../src/verify/command.js';

// Each command imports its own modules when it runs (`await import(...)` below), so that --help, or
// one command, does not load the libraries of all the others (zod, the phone metadata, age, the
// detectors, the verifier).

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
  encryptTo: string[];
  signKey?: string;
  detect?: boolean;
  zip?: boolean;
  maxDepth?: number;
  maxRatio?: number;
  maxExpandedBytes?: number;
  maxEntries?: number;
}

/** Container limits given on the command line (the rest keep DEFAULT_LIMITS). */
function limitsOf(flags: JobFlags): Partial<Limits> {
  return {
    ...(flags.maxDepth !== undefined ? { maxDepth: flags.maxDepth } : {}),
    ...(flags.maxRatio !== undefined ? { maxRatio: flags.maxRatio } : {}),
    ...(flags.maxExpandedBytes !== undefined ? { maxExpandedBytes: flags.maxExpandedBytes } : {}),
    ...(flags.maxEntries !== undefined ? { maxEntries: flags.maxEntries } : {}),
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function runCommand(command: JobCommand, flags: JobFlags): Promise<number> {
  const { loadRequest } = await import('../src/request.js');
  const request = await loadRequest(flags.request);
  const progress = flags.progress ? terminalProgress() : undefined;
  const job = {
    command,
    store: flags.store,
    request,
    out: flags.out,
    concurrency: flags.concurrency,
    limits: limitsOf(flags),
    onProgress: progress?.update,
    encryptTo: flags.encryptTo,
    detect: flags.detect,
    ...(flags.signKey ? { signKey: await loadSigningKey(flags.signKey) } : {}),
  };
  // The export bundle's record readers (pdf.js among them) load only when a bundle is asked for.
  const summary =
    command === 'export'
      ? await (await import('../src/export/command.js')).runExport({ ...job, zip: flags.zip })
      : await (await import('../src/job.js')).runJob(job);
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
    .option('--no-progress', 'no progress line on stderr (it is only shown on a terminal anyway)')
    .option('--encrypt-to <recipient>', 'age recipient (age1…): every file written under --out is encrypted to it, named .age (repeatable)', collect, [])
    .addOption(new Option('--max-depth <n>', `containers opened inside containers at most (default ${DEFAULT_LIMITS.maxDepth})`).argParser(positiveInt))
    .addOption(new Option('--max-ratio <n>', `decompressed bytes per compressed byte above which an archive is a bomb (default ${DEFAULT_LIMITS.maxRatio})`).argParser(positiveInt))
    .addOption(new Option('--max-expanded-bytes <n>', `decompressed bytes of one artifact at most (default ${DEFAULT_LIMITS.maxExpandedBytes})`).argParser(positiveInt))
    .addOption(new Option('--max-entries <n>', `archive members of one artifact at most (default ${DEFAULT_LIMITS.maxEntries})`).argParser(positiveInt));
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
    .option('--detect', "also count other people's personal data and secrets per type, with distinct values (never the values)")
    .action(run('discover'));
  jobCommand(program, 'erase', 'write redacted copies of the store with the subject\'s identifiers removed')
    .description(
      'Like discover, and also writes redacted/: every artifact in scope at its relative path, each match\n' +
        'replaced by a placeholder and every other byte kept; artifacts without matches are byte-identical copies.\n' +
        'Each redacted copy is re-read and must hold no match before it is kept.',
    )
    .option('--sign-key <pem>', 'Ed25519 private key (PEM): also write attestation.json and its signature attestation.sig')
    .action(run('erase'));
  jobCommand(program, 'access', "write copies of the artifacts that mention the subject, with other people's data replaced")
    .description(
      'Like discover, and also writes access/: each artifact that mentions the subject, at its relative path and\n' +
        "in its own format, with the subject's identifiers kept and every other detected personal-data item and secret\n" +
        'replaced by a typed placeholder ([EMAIL_ADDRESS], [PHONE_NUMBER], [PERSON], [SECRET], …). report.json counts\n' +
        'what was replaced per type. Each copy is re-read: it must hold all of the subject\'s matches and nothing else detected.',
    )
    .action(run('access'));
  jobCommand(program, 'export', 'write a portability bundle of the subject\'s records (subject.json, subject.csv, manifest.json)')
    .description(
      'Like discover, and also writes export/: subject.json (per engagement and artifact, the records that carry the\n' +
        "subject's data: log lines, messages, e-mails, CSV/SQL rows, JSON values, PDF pages), subject.csv (the same,\n" +
        "flattened) and manifest.json (size and SHA-256 of each file). Other people's data in the records is replaced by\n" +
        'typed placeholders; the subject\'s identifiers are kept. Check the bundle with dsr verify.',
    )
    .option('--zip', 'also write export.zip holding the same folder')
    .action(run('export'));
  program
    .command('detect')
    .summary('find personal data and secrets in JSON Lines of text')
    .description(
      'Reads JSON Lines {"text": "…"} (from --input, or stdin when absent or -) and writes one line per input line, in\n' +
        'order: {"entities": [{"type", "start", "end", "score"}]}, offsets in UTF-16 code units, end exclusive.\n' +
        'A line that cannot be read gets {"error": "…"}; the exit status is then 1.',
    )
    .option('--input <file>', 'JSON Lines to read (default: stdin)')
    .action(async (flags: { input?: string }) => {
      const { detectCommand } = await import('../src/detect/jsonl.js');
      exitCode = await detectCommand(flags.input, process.stdin, process.stdout, process.stderr);
    });
  program
    .command('verify')
    .summary('check a bundle, zip, audit log, attestation or --out folder for tampering')
    .description(
      'PATH is a bundle folder or zip (manifest.json: sizes and SHA-256 of every file), an audit log (hash chain),\n' +
        'an attestation (Ed25519 signature, needs --public-key) or an --out folder (all of these it holds).\n' +
        'Exit status 0 intact, 1 tampered or incomplete (each problem named), 2 usage error.',
    )
    .argument('<path>', 'what to check')
    .option('--public-key <pem>', 'the Ed25519 public key (PEM) that signed the attestation')
    .option('--identity <file>', 'age identity file, for encrypted (.age) files (repeatable)', collect, [])
    .option('--json', 'print the result as JSON')
    .action(async (target: string, flags: VerifyFlags) => {
      const { verifyCommand } = await import('../src/verify/command.js');
      exitCode = await verifyCommand(target, flags, process.stdout);
    });
  program
    .command('decrypt')
    .summary('decrypt .age outputs (the same as age -d)')
    .description('Decrypt one .age file (to --out FILE, or stdout) or every .age file of a folder (to --out FOLDER).')
    .argument('<in>', 'an .age file or a folder of them')
    .option('--identity <file>', 'age identity file (AGE-SECRET-KEY-1…), as written by age-keygen (repeatable)', collect, [])
    .option('--out <path>', 'where the plaintext goes; a file is written whole or not at all')
    .action(async (input: string, flags: { identity: string[]; out?: string }) => {
      const { decryptCommand } = await import('../src/crypto/decrypt.js');
      exitCode = await decryptCommand(input, flags, process.stdout, process.stderr);
    });
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
    if (err instanceof UsageError) {
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
