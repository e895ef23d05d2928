/** `dsr verify` as a command: load the keys, check, print; exit status 0 intact, 1 not. */
import { loadIdentities, loadPublicKey } from '../crypto/keys.js';
import { formatReport, verifyPath } from './index.js';

export interface VerifyFlags {
  publicKey?: string;
  identity: string[];
  json?: boolean;
}

export async function verifyCommand(target: string, flags: VerifyFlags, stdout: NodeJS.WritableStream): Promise<0 | 1> {
  const report = await verifyPath(target, {
    ...(flags.publicKey ? { publicKey: await loadPublicKey(flags.publicKey) } : {}),
    identities: await loadIdentities(flags.identity),
  });
  const intact = report.problems.length === 0;
  stdout.write(flags.json ? JSON.stringify({ path: target, intact, ...report }) + '\n' : formatReport(report));
  return intact ? 0 : 1;
}
