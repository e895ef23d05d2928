/**
 * Latin letters grouped by the base letter they decompose to (NFD), so that a name supplied as
 * `Zoë Müller` also matches `Zoe Muller`, `ZOË MÜLLER` and `Zoé`, and `Zoe Muller` matches `Zoë Müller`.
 */

const byBase = new Map<string, string>();

for (let cp = 0x00c0; cp <= 0x024f; cp++) {
  const ch = String.fromCodePoint(cp);
  const nfd = ch.normalize('NFD');
  const base = nfd[0]!.toLowerCase();
  if (nfd.length < 2 || !/[a-z]/.test(base)) continue;
  if (!/^[\u0300-\u036f]+$/.test(nfd.slice(1))) continue;
  byBase.set(base, (byBase.get(base) ?? '') + ch.toLowerCase());
}

/** The base letter of `ch` (`ë` → `e`), or `ch` itself when it has none. */
export function baseLetter(ch: string): string {
  const nfd = ch.normalize('NFD');
  return /^[\p{L}][\u0300-\u036f]+$/u.test(nfd) ? nfd[0]! : ch;
}

/** All lower-case letters sharing the base letter of `ch`, the base letter first. */
export function letterVariants(ch: string): string {
  const base = baseLetter(ch).toLowerCase();
  const variants = new Set([base, ...(byBase.get(base) ?? '')]);
  return [...variants].join('');
}

/** `Zoë` → `Zoe`: strip combining marks after canonical decomposition. */
export function foldDiacritics(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}
