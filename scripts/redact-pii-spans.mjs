/**
 * redact-pii (local regex mode, `new SyncRedactor()`) as a span detector, for comparing it with
 * dsr on the same texts. The library only returns redacted text, so this runs its own child
 * redactors in its order and keeps track of which original characters each placeholder replaced.
 * The redacted text it builds along the way is checked against SyncRedactor's own output.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { SyncRedactor } = require('redact-pii');
const { composeChildRedactors } = require('redact-pii/lib/composition.js');
const wellKnown = require('redact-pii/lib/built-ins/well-known-names.json');

/** redact-pii placeholder → Presidio entity name (types without an equivalent are left out). */
export const REDACT_PII_TYPES = {
  PERSON_NAME: 'PERSON',
  EMAIL_ADDRESS: 'EMAIL_ADDRESS',
  PHONE_NUMBER: 'PHONE_NUMBER',
  CREDIT_CARD_NUMBER: 'CREDIT_CARD',
  IP_ADDRESS: 'IP_ADDRESS',
  US_SOCIAL_SECURITY_NUMBER: 'US_SSN',
  URL: 'URL',
  PASSWORD: 'SECRET',
  CREDENTIALS: 'SECRET',
};

// NameRedactor's expressions, as in redact-pii/lib/built-ins/NameRedactor.js.
const greetingRegex = /(^|\.\s+)(dear|hi|hello|greetings|hey|hey there)/gi;
const closingRegex = /(thx|thanks|thank you|regards|best|[a-z]+ly|[a-z]+ regards|all the best|happy [a-z]+ing|take care|have a [a-z]+ (weekend|night|day))/gi;
const greetingOrClosing = new RegExp('(((' + greetingRegex.source + ')|(' + closingRegex.source + '\\s*[,.!]*))[\\s-]*)', 'gi');
const genericName = new RegExp('( ?(([A-Z][a-z]+)|([A-Z]\\.)))+([,.]|[,.]?$)', 'gm');
const wellKnownNames = new RegExp('\\b(\\s*)(\\s*(' + wellKnown.join('|') + '))+\\b', 'gim');

/** The text being redacted, with the original position (or placeholder) behind each character. */
class Tracked {
  constructor(text) {
    this.text = text;
    this.origin = [...Array(text.length).keys()];
  }

  /** Replace [a, b) by a placeholder standing for the original characters it covers. */
  replace(a, b, token) {
    let start = Infinity;
    let end = -Infinity;
    for (let i = a; i < b; i++) {
      const o = this.origin[i];
      start = Math.min(start, typeof o === 'number' ? o : o.start);
      end = Math.max(end, typeof o === 'number' ? o + 1 : o.end);
    }
    const placeholder = { type: token, start, end };
    this.text = this.text.slice(0, a) + token + this.text.slice(b);
    this.origin = [...this.origin.slice(0, a), ...Array(token.length).fill(placeholder), ...this.origin.slice(b)];
  }

  spans() {
    const seen = new Set();
    return this.origin.filter((o) => typeof o !== 'number' && !seen.has(o) && seen.add(o));
  }
}

function simple(tracked, regex, token) {
  // String.replace with a global regex: all matches of the current text, applied right to left.
  const matches = [...tracked.text.matchAll(regex)].filter((m) => m[0].length > 0);
  for (const m of matches.reverse()) tracked.replace(m.index, m.index + m[0].length, token);
}

function names(tracked, token) {
  greetingOrClosing.lastIndex = 0;
  genericName.lastIndex = 0;
  let g = greetingOrClosing.exec(tracked.text);
  while (g !== null) {
    genericName.lastIndex = greetingOrClosing.lastIndex;
    const n = genericName.exec(tracked.text);
    if (n !== null && n.index === greetingOrClosing.lastIndex) {
      const suffix = n[5] ?? '';
      tracked.replace(n.index, n.index + n[0].length - suffix.length, token);
    }
    g = greetingOrClosing.exec(tracked.text);
  }
  const matches = [...tracked.text.matchAll(wellKnownNames)];
  for (const m of matches.reverse()) tracked.replace(m.index + m[1].length, m.index + m[0].length, token);
}

const children = composeChildRedactors();
const reference = new SyncRedactor();

/** Entities found by redact-pii in `text`, with its own placeholder name and the mapped type. */
export function redactPiiSpans(text) {
  const tracked = new Tracked(text);
  for (const child of children) {
    if (child.regexpMatcher) simple(tracked, child.regexpMatcher, child.replaceWith);
    else names(tracked, child.replaceWith);
  }
  if (tracked.text !== reference.redact(text)) throw new Error('span tracking drifted from SyncRedactor output');
  return tracked
    .spans()
    .map((p) => ({ label: p.type, type: REDACT_PII_TYPES[p.type], start: p.start, end: p.end }))
    .sort((a, b) => a.start - b.start);
}

export function redactPiiText(text) {
  return reference.redact(text);
}
