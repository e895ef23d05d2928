import { readFileSync } from 'node:fs';

function packageVersion(): string {
  // Works from the sources (src/) and from the build (dist/src/).
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'dsr' && pkg.version) return pkg.version;
    } catch {
      /* try the next */
    }
  }
  return '0.0.0';
}

export const TOOL_NAME = 'dsr';
export const TOOL_VERSION = packageVersion();
