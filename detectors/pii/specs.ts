/**
 * Personal data and secrets as data: one entry per written form, each a regex that starts where
 * the entity starts (deciding context goes into lookbehind), a validator, context words and a
 * base score. The engine (src/detect/engine.ts) runs them; nothing here knows about streams.
 */
import type { Anchor, PatternSpec } from './types.js';
import {
  IBAN_LENGTH,
  creditCard,
  esNie,
  esNif,
  fiPersonalIdentityCode,
  iban,
  ipv4,
  ipv6,
  itFiscalCode,
  jwt,
  plPesel,
  randomLooking,
  secretValue,
  ukNhs,
  usSsn,
} from './validators.js';

const lower = (s: string) => s.toLowerCase();
const compact = (s: string) => s.replace(/[\s.-]/g, '').toUpperCase();

// ---------------------------------------------------------------- URLs

const SCHEMES =
  'https?|ftps?|sftp|wss?|ssh|git|ldaps?|smtps?|mongodb(?:\\+srv)?|postgres(?:ql)?|mysql|mariadb|rediss?|amqps?|mssql|sqlserver|jdbc:[a-z]+';
/** A URL: scheme or `www.`, then URL characters (JSON `\/` included). */
const URL_SOURCE = `(?<![\\w@.\\/\\\\])(?:(?:${SCHEMES}):(?:\\/\\/|\\\\\\/\\\\\\/)|www\\.)(?:[^\\s<>"'\`{}|\\\\^\\[\\]]|\\\\\\/){2,2048}`;
const URL_MAX = 2100;

/** Sentence punctuation after a URL, and a closing bracket that has no opening one inside it. */
export function trimUrl(url: string): string {
  let out = url.replace(/[.,;:!?*]+$/, '');
  for (;;) {
    const last = out[out.length - 1];
    const pairs: Record<string, string> = { ')': '(', ']': '[' };
    if (last && pairs[last] && count(out, last) > count(out, pairs[last]!)) out = out.slice(0, -1).replace(/[.,;:!?*]+$/, '');
    else return out;
  }
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

/** Query parameters whose value is a credential whatever it looks like. */
const TOKEN_PARAMS =
  /[?&#;](?:access_token|id_token|refresh_token|auth_token|session_token|token|api_?key|api-key|x-amz-signature|x-amz-security-token|x-goog-signature|sig|signature|password|passwd|pwd|pass|secret|client_secret)=([^&#\s]+)/i;
/** Query parameters that carry a credential when the value looks random. */
const WEAK_TOKEN_PARAMS = /[?&#;](?:key|code|auth|session|sessionid|sid|ticket)=([^&#\s]+)/i;

/** A URL that carries a credential: user:password@, a token parameter, or a webhook secret path. */
export function urlWithCredential(url: string): boolean {
  const userinfo = /^[a-z][a-z0-9+.:-]*:\/\/([^\s/@]*)@/i.exec(url.replace(/\\\//g, '/'));
  if (userinfo && userinfo[1]!.includes(':') && secretValue(decodeSafe(userinfo[1]!.split(':').slice(1).join(':')))) return true;
  const strong = TOKEN_PARAMS.exec(url);
  if (strong && secretValue(decodeSafe(strong[1]!))) return true;
  const weak = WEAK_TOKEN_PARAMS.exec(url);
  if (weak && weak[1]!.length >= 16 && randomLooking(weak[1]!)) return true;
  return /hooks\.slack\.com\/services\/T\w+\/B\w+\/\w+|discord(?:app)?\.com\/api\/webhooks\/\d+\/[\w-]{20,}/i.test(url);
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// ---------------------------------------------------------------- secrets after a keyword

/**
 * `KEY: value`, `KEY=value`, `"KEY": "value"`, `<KEY>value<`: the value is the match, the key and
 * separator sit in lookbehind. A quoted value may hold spaces and ends at its closing quote.
 */
function afterKeyword(keywords: string): string {
  const key = `(?<![a-z0-9])(?:${keywords})["']?\\s{0,3}(?:[:=]|=>|:=|>)\\s{0,3}`;
  return [
    `(?<=${key}")[^"\\n]{1,128}(?=")`,
    `(?<=${key}')[^'\\n]{1,128}(?=')`,
    `(?<=${key})(?!["'])[^\\s"'&,;<>]{1,256}`,
  ].join('|');
}

/** The keyword of an after-keyword spec as its anchor: the value starts at most `after` units past it. */
function keywordAnchor(keywords: string, after: number, flags = 'gi'): Anchor {
  return { pattern: new RegExp(keywords, flags), before: 0, after };
}
/** Between a keyword and its value: quote, spaces, separator, spaces, quote (see afterKeyword). */
const KEYWORD_SEP = 1 + 3 + 2 + 3 + 1;

const PASSWORD_KEYS =
  'password|passwd|pwd|pass|passphrase|pass_?word|secret|client_secret|app_secret|aws_secret_access_key|secret_access_key|accountkey|sharedaccesskey|private_key';
const TOKEN_KEYS =
  'api[_-]?key|apikey|access[_-]?key|secret[_-]?key|auth[_-]?token|access[_-]?token|refresh[_-]?token|session[_-]?token|bearer[_-]?token|token|x-api-key';

/** Words that follow a greeting or a closing line but are not names. */
const NOT_NAMES = [
  'All', 'Team', 'Everyone', 'There', 'Folks', 'Guys', 'Sir', 'Madam', 'Customer', 'Support', 'World', 'Again',
  'Regards', 'Wishes', 'You', 'For', 'In', 'So', 'Much', 'The', 'Your', 'Our', 'And', 'Of', 'We', 'I', 'It', 'This',
  'That', 'Please', 'Both', 'Mr', 'Mrs', 'Ms', 'Dr', 'Prof', 'Miss', 'Mx', 'Colleague', 'Colleagues', 'Friend', 'Friends', 'Valued', 'Admin', 'Hiring', 'Manager',
  'Reader', 'Sender', 'User', 'Users', 'Partner', 'Partners', 'Owner', 'Billing', 'Sales', 'Ops',
].join('|');

/** A lower-case letter, also as a JSON or HTML escape (`Zo\\u00eb`, `M&uuml;ller`). */
const LOWER = `(?:[\\p{Ll}\\p{M}]|\\\\u00[dDeEfF][0-9a-fA-F]|&[a-z]{1,2}(?:grave|acute|circ|tilde|uml|ring|cedil|slash|lig);|&#(?:2[2-5]\\d|x[eEfF][0-9a-fA-F]);)`;
/** Longest name word the patterns accept, in code units: 1 + 20 + 1 + 1 + 12 letters of up to 9 units (`&aacute;`). */
const NAME_WORD_MAX = 2 + 20 * 9 + 2 + 12 * 9;

/**
 * One title-case name word and `min`..`extra` more separated by single spaces (`O'Brien`,
 * `Jean-Luc` included). Words are bounded so that the spec's maxLen holds.
 */
function titleNames(min: number, extra: number): string {
  const word = `\\p{Lu}${LOWER}{0,20}(?:['’-]\\p{Lu}?${LOWER}{1,12})?`;
  return `${word}(?: ${word}){${min},${extra}}`;
}

/** Field labels after which a name stands (`Customer: Ava Chen`, `"author": "Ava Chen"`). */
const NAME_LABELS =
  '[Nn]ame|NAME|[Ff]ull ?[Nn]ame|[Cc]ustomer(?: [Nn]ame)?|[Cc]ontact|[Rr]equester|[Rr]equested by|[Aa]ssignee|[Aa]ssigned to|' +
  '[Rr]eporter|[Rr]eported by|[Cc]aller|[Cc]ardholder|[Cc]ard holder|[Aa]ccount holder|[Aa]gent|[Aa]ttn|[Ss]igned by|' +
  '[Ss]ubmitted by|[Pp]atient|[Aa]uthor|[Dd]isplay_?[Nn]ame|[Ff]ull_[Nn]ame|[Cc]reated_?[Bb]y|[Uu]pdated_?[Bb]y|[Oo]wner';
/** Greetings and closing lines that a name follows. */
const GREETINGS = 'Hi|Hello|Dear|Hey|Thanks|Thank you|Regards|Best regards|Kind regards|Cheers|Sincerely|Best|Yours';

/** Words that make a run of capitalised words an organisation, team or role, not a person. */
const ORG_WORDS = new Set(
  [
    'Support', 'Shop', 'Store', 'Team', 'Service', 'Services', 'Desk', 'Billing', 'Sales', 'Inc', 'Ltd', 'LLC', 'GmbH', 'Corp',
    'Corporation', 'Company', 'Group', 'Department', 'Dept', 'Admin', 'Administrator', 'System', 'Systems', 'Bot', 'Center',
    'Centre', 'Office', 'Help', 'Helpdesk', 'Customer', 'Customers', 'Agent', 'Operations', 'Ops', 'Security', 'Finance',
    'Accounts', 'Payments', 'Bank', 'University', 'School', 'Hospital', 'Clinic', 'Foundation', 'Association', 'Council',
    'Street', 'Road', 'Avenue', 'City', 'County', 'State', 'Republic', 'Kingdom', 'United', 'North', 'South', 'East', 'West',
    'New', 'Notifications', 'Alerts', 'Noreply', 'Newsletter', 'Marketing', 'Engineering', 'Product', 'Platform', 'Cloud',
    'Traders', 'Trading', 'Holdings', 'Industries', 'Solutions', 'Consulting', 'Logistics', 'Labs', 'Technologies',
    'Partners', 'Partner', 'Ventures', 'Capital', 'Insurance', 'Airlines', 'Motors', 'Media', 'Studios', 'Software',
  ].map((w) => w.toLowerCase()),
);

/** Words taken for names that are, in support artifacts, almost always something else. */
export const NOT_PEOPLE = new Set(
  [
    'jenkins', 'docker', 'kafka', 'redis', 'java', 'python', 'node', 'linux', 'windows', 'apple', 'google', 'amazon', 'azure',
    'chrome', 'safari', 'firefox', 'edge', 'outlook', 'teams', 'slack', 'github', 'gitlab', 'jira', 'grafana', 'kibana',
    'nginx', 'apache', 'tomcat', 'spring', 'rails', 'django', 'flask', 'ruby', 'rust', 'swift', 'kotlin', 'scala', 'go',
    'ubuntu', 'debian', 'fedora', 'android', 'iphone', 'ipad', 'mac', 'macos', 'excel', 'word', 'office',
    'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march', 'april',
    'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'info', 'warn', 'warning', 'error',
    'debug', 'trace', 'fatal', 'admin', 'root', 'system', 'service', 'server', 'client', 'user', 'guest', 'support',
    'team', 'customer', 'agent', 'bot', 'santa', 'christmas', 'easter', 'god', 'jesus', 'visa', 'mastercard', 'amex',
  ],
);

/** A name run that holds no organisation, team or role word, and is not just a product or weekday. */
export function notAnOrganisation(match: string): boolean {
  const words = match.split(/[\s,]+/).map((w) => w.toLowerCase());
  return !words.some((w) => ORG_WORDS.has(w)) && !words.every((w) => NOT_PEOPLE.has(w));
}

/** The grouping of an IBAN may run into a following word: cut at the country's registered length. */
function trimIban(m: string): string {
  const len = IBAN_LENGTH[m.slice(0, 2)];
  if (!len) return m;
  let seen = 0;
  for (let i = 0; i < m.length; i++) {
    if (m[i] !== ' ') seen++;
    if (seen === len) return m.slice(0, i + 1);
  }
  return m;
}

// ---------------------------------------------------------------- the specs

export const PATTERN_SPECS: readonly PatternSpec[] = [
  {
    type: 'EMAIL_ADDRESS',
    name: 'email',
    // `%40` for addresses in query strings; after `%3D` (an encoded `=`) an address may start.
    pattern:
      /(?:(?<![\w.%+\-])|(?<=%[0-9a-f]{2}))(?<!(?:message-id|in-reply-to|references|content-id):\s{0,3}<)[a-z0-9_][a-z0-9._%+\-]{0,63}(?:@|%40|&#0{0,3}64;|&#x0{0,2}40;|&commat;|\\u0040)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,8}[a-z]{2,24}(?![\w-]|\.[a-z0-9])/gi,
    maxLen: 64 + 8 + 8 * 64 + 24,
    anchor: { pattern: /@|%40|&#0{0,3}64;|&#x0{0,2}40;|&commat;|\\u0040/gi, before: 64, after: 0 },
    score: 1,
    validate: (m) => !/\.\.|^\.|\.(?:@|%40|&)/i.test(m),
    normalize: (m) => m.toLowerCase().replace(/%40|&#0{0,3}64;|&#x0{0,2}40;|&commat;|\\u0040/g, '@'),
  },
  {
    type: 'IP_ADDRESS',
    name: 'ipv4',
    pattern: /(?<![\w.]|[a-z]\/|(?:version|ver\.?|v)[\s=:"']{0,3})(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)/gi,
    maxLen: 15,
    score: 0.9,
    validate: ipv4,
    context: ['ip', 'addr', 'address', 'client', 'host', 'from', 'remote', 'src', 'dst'],
  },
  {
    type: 'IP_ADDRESS',
    name: 'ipv6',
    pattern: /(?<![\w:.])(?=[0-9a-f]{0,4}:[0-9a-f]{0,4}:)[0-9a-f:]{2,39}(?:(?<=:)(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/gi,
    maxLen: 39 + 15,
    score: 0.9,
    validate: ipv6,
    normalize: lower,
  },
  {
    type: 'CREDIT_CARD',
    name: 'card-grouped',
    pattern: /(?<![\d.,-])\d{4}(?:([ -])\d{4}\1\d{4}\1\d{1,7}|[ -]\d{6}[ -]\d{4,5})(?!\d|[.,-]\d)/g,
    maxLen: 23,
    score: 1,
    validate: creditCard,
    normalize: compact,
  },
  {
    type: 'CREDIT_CARD',
    name: 'card-digits',
    pattern: /(?<![\d.,-])\d{13,19}(?!\d|[.,-]\d)/g,
    maxLen: 19,
    // A bare run of digits in a log is an id more often than a card: context has to say so
    // (weak halves this below MIN_SCORE; a context word lifts it back over).
    score: 0.9,
    validate: (m) => (creditCard(m) ? 'weak' : false),
    context: ['card', 'cc', 'pan', 'visa', 'mastercard', 'amex', 'credit', 'debit', 'payment', 'cardnumber'],
    normalize: compact,
  },
  {
    type: 'IBAN_CODE',
    name: 'iban',
    pattern: /(?<![A-Z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Z0-9])/g,
    maxLen: 42,
    score: 1,
    trim: trimIban,
    validate: iban,
    normalize: compact,
  },
  {
    type: 'US_SSN',
    name: 'ssn-dashed',
    pattern: /(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])/g,
    maxLen: 11,
    score: 0.6,
    validate: usSsn,
    context: ['ssn', 'social security', 'social sec', 'ss#', 'ss no', 'ssn#'],
    normalize: compact,
  },
  {
    type: 'US_SSN',
    name: 'ssn-spaced',
    pattern: /(?<![\d. -])\d{3}[ .]\d{2}[ .]\d{4}(?![\d]|[ .-]\d)/g,
    maxLen: 11,
    score: 0.3,
    validate: usSsn,
    context: ['ssn', 'social security', 'social sec', 'ss#', 'ss no', 'ssn#'],
    normalize: compact,
  },
  {
    type: 'US_SSN',
    name: 'ssn-digits',
    pattern: /(?<![\d.-])\d{9}(?![\d]|[.-]\d)/g,
    maxLen: 9,
    score: 0.2,
    validate: usSsn,
    context: ['ssn', 'social security', 'social sec', 'ss#', 'ss no', 'ssn#'],
  },
  {
    type: 'UK_NHS',
    name: 'nhs',
    pattern: /(?<![\d-])\d{3}([ -]?)\d{3}\1\d{4}(?![\d]|-\d)/g,
    maxLen: 12,
    // Ten digits pass mod 11 one time in eleven: only with context (then above a phone number's score).
    score: 0.45,
    validate: ukNhs,
    context: ['nhs', 'national health', 'health service', 'patient'],
    normalize: compact,
  },
  {
    type: 'ES_NIF',
    name: 'es-nif',
    pattern: /(?<![\w-])\d{8}-?[A-Z](?![\w-])/gi,
    maxLen: 10,
    // One letter of checksum: 1 in 23 random runs passes, so only with context.
    score: 0.45,
    validate: esNif,
    context: ['dni', 'nif', 'documento', 'identidad'],
    normalize: compact,
  },
  {
    type: 'ES_NIE',
    name: 'es-nie',
    pattern: /(?<![\w-])[XYZ]-?\d{7}-?[A-Z](?![\w-])/gi,
    maxLen: 11,
    score: 0.7,
    validate: esNie,
    context: ['nie', 'extranjero'],
    normalize: compact,
  },
  {
    type: 'IT_FISCAL_CODE',
    name: 'it-fiscal-code',
    pattern: /(?<![\w-])[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z](?![\w-])/gi,
    maxLen: 16,
    score: 0.9,
    validate: itFiscalCode,
    normalize: compact,
  },
  {
    type: 'PL_PESEL',
    name: 'pl-pesel',
    pattern: /(?<![\d.-])\d{11}(?![\d]|[.-]\d)/g,
    maxLen: 11,
    score: 0.3,
    validate: plPesel,
    context: ['pesel'],
  },
  {
    type: 'FI_PERSONAL_IDENTITY_CODE',
    name: 'fi-hetu',
    pattern: /(?<![\w-])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![\w-])/g,
    maxLen: 11,
    score: 0.7,
    validate: fiPersonalIdentityCode,
    context: ['hetu', 'henkilötunnus', 'personal identity', 'sotu'],
    normalize: compact,
  },
  {
    type: 'URL',
    name: 'url',
    pattern: new RegExp(URL_SOURCE, 'gi'),
    maxLen: URL_MAX,
    score: 0.6,
    trim: trimUrl,
    validate: (m) => /[a-z0-9]\.[a-z]{2,}|\/\/(?:\d{1,3}\.){3}\d{1,3}|\/\/\[?[0-9a-f:]+\]?|\/\/localhost/i.test(m),
  },
  {
    type: 'SECRET',
    name: 'url-credential',
    pattern: new RegExp(URL_SOURCE, 'gi'),
    maxLen: URL_MAX,
    score: 0.95,
    trim: trimUrl,
    validate: urlWithCredential,
  },
  {
    type: 'GUID',
    name: 'guid',
    pattern: /(?<![0-9a-f-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f-])/gi,
    maxLen: 36,
    score: 0.6,
    validate: (m) => !/^[0-]+$/.test(m),
    normalize: lower,
  },
  {
    type: 'SECRET',
    name: 'password-assignment',
    pattern: new RegExp(afterKeyword(PASSWORD_KEYS), 'gi'),
    anchor: keywordAnchor(PASSWORD_KEYS, KEYWORD_SEP),
    maxLen: 256,
    score: 0.85,
    validate: secretValue,
  },
  {
    type: 'SECRET',
    name: 'token-assignment',
    pattern: new RegExp(afterKeyword(TOKEN_KEYS), 'gi'),
    anchor: keywordAnchor(TOKEN_KEYS, KEYWORD_SEP),
    maxLen: 256,
    score: 0.8,
    validate: (m) => m.length >= 8 && secretValue(m) && randomLooking(m),
  },
  {
    type: 'SECRET',
    name: 'password-in-prose',
    // "my password is Tr0ub4dor&3": only values that look like passwords, not "is incorrect".
    pattern: /(?<=(?<![a-z])(?:password|passwd|passphrase)\s(?:is|was|to|now|=)\s{1,3})[^\s"'<>]{6,64}(?<![.,;:!?)])/gi,
    maxLen: 64,
    anchor: keywordAnchor('password|passwd|passphrase', 1 + 3 + 3),
    score: 0.7,
    validate: (m) => secretValue(m) && randomLooking(m) && /[0-9!@#$%^&*]/.test(m),
  },
  {
    type: 'SECRET',
    name: 'command-line-password',
    // mysql -pSECRET, redis-cli -a SECRET, --password SECRET
    pattern: /(?<=(?<![\w-])(?:(?:mysql(?:dump|admin)?|mariadb)\b[^\n]{0,40}?\s-p|redis-cli\b[^\n]{0,40}?\s-a\s|\s--password\s))[^\s'"]{4,128}/g,
    maxLen: 128,
    anchor: keywordAnchor('mysql|mariadb|redis-cli|--password', 5 + 40 + 4, 'g'),
    score: 0.85,
    validate: secretValue,
  },
  {
    type: 'SECRET',
    name: 'authorization-header',
    pattern: /(?<=(?<![a-z])(?:bearer|basic)\s{1,3})[A-Za-z0-9._~+/=-]{16,4096}/gi,
    maxLen: 4096,
    anchor: keywordAnchor('bearer|basic', 3),
    score: 0.9,
    validate: randomLooking,
  },
  {
    type: 'SECRET',
    name: 'aws-access-key',
    pattern: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Z0-9])/g,
    maxLen: 20,
    score: 0.95,
  },
  {
    type: 'SECRET',
    name: 'github-token',
    pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])/g,
    maxLen: 266,
    score: 0.95,
  },
  {
    type: 'SECRET',
    name: 'slack-token',
    pattern: /(?<![A-Za-z0-9-])xox[abposr]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9-])/g,
    maxLen: 255,
    score: 0.95,
    validate: randomLooking,
  },
  {
    type: 'SECRET',
    name: 'stripe-key',
    pattern: /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}(?![A-Za-z0-9])/g,
    maxLen: 255,
    score: 0.95,
  },
  {
    type: 'SECRET',
    name: 'google-api-key',
    pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
    maxLen: 39,
    score: 0.95,
  },
  {
    type: 'SECRET',
    name: 'openai-key',
    pattern: /(?<![\w-])sk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{32,200}(?![\w-])/g,
    maxLen: 213,
    score: 0.9,
    validate: randomLooking,
  },
  {
    type: 'SECRET',
    name: 'npm-token',
    pattern: /(?<![\w])npm_[A-Za-z0-9]{36}(?![\w])/g,
    maxLen: 40,
    score: 0.95,
  },
  {
    type: 'SECRET',
    name: 'sendgrid-key',
    pattern: /(?<![\w])SG\.[\w-]{22}\.[\w-]{43}(?![\w-])/g,
    maxLen: 69,
    score: 0.95,
  },
  {
    type: 'SECRET',
    name: 'jwt',
    pattern: /(?<![\w-])eyJ[A-Za-z0-9_-]{8,2048}\.eyJ[A-Za-z0-9_-]{4,8192}\.[A-Za-z0-9_-]{0,2048}(?![\w-])/g,
    maxLen: 12300,
    score: 0.95,
    validate: jwt,
  },
  {
    type: 'SECRET',
    name: 'private-key',
    pattern:
      /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----[\s\S]{1,16000}?-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/g,
    maxLen: 16100,
    score: 1,
  },
  {
    type: 'PERSON',
    name: 'name-after-label',
    pattern: new RegExp(
      `(?<=(?<![\\p{L}])(?:${NAME_LABELS})["']?\\s{0,2}[:=]\\s{0,3}["']?)${titleNames(1, 2)}(?![\\p{L}\\d_@.-])`,
      'gu',
    ),
    anchor: keywordAnchor(NAME_LABELS, 1 + 2 + 1 + 3 + 1, 'g'),
    maxLen: 3 * NAME_WORD_MAX + 2,
    score: 0.7,
    validate: notAnOrganisation,
  },
  {
    type: 'PERSON',
    name: 'webvtt-voice',
    // `<v Ava Chen>` and `<v.agent Ava Chen>`: the speaker of a caption.
    pattern: new RegExp(`(?<=<v(?:\\.[\\w-]{1,16}){0,3}[ \\t])${titleNames(0, 2)}(?=>)`, 'gu'),
    anchor: keywordAnchor('<v', 3 * 17 + 1, 'g'),
    maxLen: 3 * NAME_WORD_MAX + 2,
    score: 0.8,
    validate: notAnOrganisation,
  },
  {
    type: 'PERSON',
    name: 'name-before-address',
    // `Ava Chen <ava.chen@…>`, `"Ava Chen" <…>`, and `"Chen, Ava" <…>` in From:/To: lines and mail quotes.
    pattern: new RegExp(
      `(?<=(?<![^\\s,:;"'(])"?)(?:${titleNames(1, 2)}|\\p{Lu}[\\p{Ll}'’-]+, ${titleNames(0, 1)})(?="?\\s{0,2}[<\\[](?:mailto:)?[^<>\\s@]{1,64}@)`,
      'gu',
    ),
    maxLen: 3 * NAME_WORD_MAX + 2,
    score: 0.8,
    validate: notAnOrganisation,
  },
  {
    type: 'PERSON',
    name: 'name-after-greeting',
    pattern: new RegExp(
      `(?<=(?<![\\p{L}])(?:${GREETINGS})[,!]?[ \\t]{0,3}(?:\\r?\\n)?(?:(?:Mr|Mrs|Ms|Dr|Prof)\\.?[ \\t]{1,2})?)(?!(?:${NOT_NAMES})(?![\\p{L}]))${titleNames(0, 1)}(?![\\p{L}\\d_@-]|\\.[\\p{L}])`,
      'gu',
    ),
    maxLen: 2 * NAME_WORD_MAX + 1,
    anchor: keywordAnchor(GREETINGS, 1 + 3 + 2 + 5 + 2, 'g'),
    score: 0.6,
    validate: notAnOrganisation,
  },
];

