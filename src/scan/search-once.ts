/**
 * A finder that searches each distinct string once, for a reader that asks about the same texts
 * several times: a PDF's page texts are searched for what is found, then asked whether they
 * reveal a match, which pages to rewrite, which glyphs to take out. Made per artifact, so what it
 * remembers goes with it.
 */
import type { Match, SpanFinder } from './matcher.js';

export function searchingOnce(finder: SpanFinder): SpanFinder {
  const found = new Map<string, Match[]>();
  return {
    lookbehind: finder.lookbehind,
    reach: finder.reach,
    newState: () => finder.newState(),
    scan: (text, base, from, until, state, onMatch) => finder.scan(text, base, from, until, state, onMatch),
    findAll(text) {
      let matches = found.get(text);
      if (!matches) found.set(text, (matches = finder.findAll(text)));
      // A copy: callers sort and extend what they get.
      return matches.slice();
    },
    scrub: (text, placeholder) => finder.scrub(text, placeholder),
    written: () => finder.written(),
  };
}
