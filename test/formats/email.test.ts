/**
 * .eml and mbox: every layer of a message is searched (headers with encoded-words, bodies in any
 * transfer encoding and charset, attachments and attached messages as members), and the redacted
 * copy is a valid message in which mailparser, decoding on its own, finds no identifier, while
 * everything that held none keeps its bytes.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { simpleParser } from 'mailparser';
import { describe, expect, test } from 'vitest';
import { emlHandler } from '../../src/formats/email/eml.js';
import { handlerFor } from '../../src/formats/registry.js';
import { DEFAULT_LIMITS, type ArtifactSource, type HandlerContext, type MemberOutcome } from '../../src/formats/types.js';
import { Matcher } from '../../src/scan/matcher.js';
import type { ArtifactRecord } from '../../src/types.js';
import { ROOT } from '../helpers.js';
import { counts, run, residue, identifiers } from './email-harness.js';

const DIR = path.join(ROOT, 'fixtures/formats/email');
const fixture = (name: string) => readFileSync(path.join(DIR, name));
const FIXTURES = readdirSync(DIR).filter((f) => /\.(eml|mbox)$/.test(f)).sort();
const expected = JSON.parse(readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<string, Record<string, number>>;
const values = identifiers.map((i) => i.value.toLowerCase());

/** The text of every message of an mbox (separator lines dropped), split the plain way. */
function mboxMessages(bytes: Buffer): Buffer[] {
  const text = bytes.toString('latin1');
  return text
    .split(/^From .*\n/m)
    .filter((m) => m.length > 0)
    .map((m) => Buffer.from(m, 'latin1'));
}

describe('recognition by content', () => {
  test.each([
    ['qp-soft-break.eml', 'eml'],
    ['three.mbox', 'mbox'],
    ['malformed-no-boundary.eml', 'eml'],
  ])('%s is read as %s', (name, format) => {
    const bytes = fixture(name);
    expect(handlerFor(bytes, 'no-extension')?.name).toBe(format);
  });

  test.each([
    ['a log line with a colon', 'ERROR: connection refused\nretrying\n'],
    ['a key: value file without a mail field', 'Host: db1\nPort: 5432\n\nnotes\n'],
    ['a header block that never ends', 'From: a@b.example\nnot a header line\n\nbody\n'],
    ['an HTTP response', 'HTTP/1.1 200 OK\nContent-Type: text/html\n\n<html>\n'],
    ['a prose line starting with From', 'From what we saw, the job failed.\nDate: today\n\n'],
    ['an empty file', ''],
  ])('%s is not an e-mail', (_what, text) => {
    const name = handlerFor(Buffer.from(text), 'x.eml')?.name;
    expect(['eml', 'mbox']).not.toContain(name);
  });
});

describe.each(FIXTURES)('%s', (name) => {
  const bytes = fixture(name);
  const artifact = `ENG-1/${name}`;

  test('matches per artifact and kind, attachments included, are exactly the expected ones', async () => {
    const got = counts(await run(bytes, artifact));
    const want = Object.fromEntries(Object.entries(expected).filter(([k]) => k === name || k.startsWith(`${name}!`)).map(([k, v]) => [`ENG-1/${k}`, v]));
    expect(got).toEqual(want);
  });

  test('an unchanged message is written back byte for byte', async () => {
    // A request whose identifiers occur nowhere: every layer is parsed and written, nothing replaced.
    const nobody = new Matcher([{ kind: 'email', index: 0, value: 'nobody@nowhere.invalid' }]);
    const r = await run(bytes, artifact, { redact: true, finder: nobody });
    expect(r.spans).toBe(0);
    expect(r.copy!.equals(bytes)).toBe(true);
  });

  test('the redacted copy reads again with no match, in any layer', async () => {
    const first = await run(bytes, artifact, { redact: true });
    expect(first.spans).toBeGreaterThan(0);
    const again = await run(first.copy!, artifact);
    for (const [p, c] of Object.entries(counts(again))) expect(c, p).toEqual({});
    expect(again.format).toBe(first.format);
  });

  test('mailparser, decoding on its own, finds no identifier in the redacted copy', async () => {
    const copy = (await run(bytes, artifact, { redact: true })).copy!;
    const messages = name.endsWith('.mbox') ? mboxMessages(copy) : [copy];
    for (const message of messages) {
      expect(await residue(message)).toEqual([]);
      const mail = await simpleParser(message);
      const all = [mail.text ?? '', String(mail.html || ''), ...mail.headerLines.map((l) => l.line)].join('\n').toLowerCase();
      for (const v of values) expect(all.includes(v)).toBe(false);
    }
  });
});

describe('locators', () => {
  test('headers by name, parts by path and content type, attachments by their own artifact path', async () => {
    const r = await run(fixture('rfc2047-names.eml'), 'ENG-1/rfc2047-names.eml');
    const headers = r.found.get('ENG-1/rfc2047-names.eml')!.map((m) => m.locator.header);
    expect(headers).toEqual(['From', 'From', 'To', 'To', 'Cc', 'Reply-To', 'Reply-To', 'Subject', 'Subject']);
    expect(r.found.get('ENG-1/rfc2047-names.eml')!.every((m) => m.locator.part === 'header')).toBe(true);

    const html = await run(fixture('html-entity.eml'), 'ENG-1/html-entity.eml');
    expect(html.found.get('ENG-1/html-entity.eml')!.map((m) => m.locator)).toEqual([
      { part: '2', contentType: 'text/html', line: 1 },
      { part: '2', contentType: 'text/html', line: 1 },
      { part: '2', contentType: 'text/html', line: 1 },
    ]);
    expect(html.found.get('ENG-1/html-entity.eml')!.map((m) => m.variant)).toEqual(['html-escaped', 'html-escaped', 'html-escaped']);

    const att = await run(fixture('attachments.eml'), 'ENG-1/attachments.eml');
    expect(att.found.get('ENG-1/attachments.eml')!.map((m) => m.locator)).toEqual([
      { part: '3', header: 'Content-Type' },
      { part: '3', header: 'Content-Disposition' },
    ]);
    expect([...att.records.keys()]).toEqual([
      'ENG-1/attachments.eml',
      'ENG-1/attachments.eml!notes.txt',
      'ENG-1/attachments.eml!part-3',
      'ENG-1/attachments.eml!empty.log',
    ]);
  });

  test('mbox findings carry the message number; the separator line is searched', async () => {
    const r = await run(fixture('three.mbox'), 'ENG-1/three.mbox');
    const where = r.found.get('ENG-1/three.mbox')!.map((m) => `${m.locator.message}:${m.locator.part}:${m.locator.header ?? m.locator.line}`);
    expect(where).toEqual(['1:separator:undefined', '1:header:From', '1:header:From', '1:1:1', '3:header:To', '3:header:To', '3:1:1']);
    expect(r.notes[0]).toBe('3 message(s)');
  });

  test('attached messages are members, and their attachments members of theirs', async () => {
    const r = await run(fixture('forwarded.eml'), 'ENG-1/forwarded.eml');
    expect(r.records.get('ENG-1/forwarded.eml!original.eml')!.format).toBe('eml');
    expect(r.found.get('ENG-1/forwarded.eml!original.eml')!.map((m) => m.locator)).toEqual([
      { part: 'header', header: 'From' },
      { part: 'header', header: 'From' },
      { part: 'header', header: 'Subject' },
      { part: '1', contentType: 'text/plain', line: 1 },
    ]);
    expect(r.records.get('ENG-1/forwarded.eml!original.eml!device.txt')!.matches.id).toBe(1);
  });

  test('a 0-byte attachment is reported as skipped, with its reason', async () => {
    const r = await run(fixture('attachments.eml'), 'ENG-1/attachments.eml');
    const empty = r.records.get('ENG-1/attachments.eml!empty.log')!;
    expect(empty.status).toBe('skipped');
    expect(empty.reason).toBe('empty attachment (0 bytes)');
  });
});

describe('what the redacted copy keeps', () => {
  test('changed parts keep their transfer encoding; unchanged parts, preamble and epilogue their bytes', async () => {
    const bytes = fixture('attachments.eml');
    const copy = (await run(bytes, 'ENG-1/attachments.eml', { redact: true })).copy!;
    const before = bytes.toString('latin1').split('--=_mixed_001');
    const after = copy.toString('latin1').split('--=_mixed_001');
    expect(after).toHaveLength(before.length);
    for (const i of [0, 1, 4, 5]) expect(after[i], `segment ${i}`).toBe(before[i]);
    // notes.txt: still base64 in lines of 76, decoding to the text with placeholders.
    const body = after[2]!.split('\r\n\r\n')[1]!.trim();
    const lines = body.split('\r\n');
    expect(lines.slice(0, -1).every((l) => l.length === 76)).toBe(true);
    expect(Buffer.from(body, 'base64').toString('utf8')).toContain('Caller: [REDACTED:email]\nPhone: [REDACTED:phone]\nDevice: [REDACTED:id]\n');
    // The attachment named after the subject keeps a name, with the name replaced.
    const mail = await simpleParser(copy);
    expect(mail.attachments.map((a) => a.filename)).toEqual(['notes.txt', '[REDACTED:name] CV.txt', 'empty.log']);
  });

  test('headers without a match keep their bytes; encoded-words stay encoded-words in their charset', async () => {
    const bytes = fixture('rfc2047-names.eml');
    const copy = (await run(bytes, 'ENG-1/rfc2047-names.eml', { redact: true })).copy!.toString('latin1');
    const lines = (s: string) => s.split('\r\n');
    for (const keep of ['Date: Tue, 03 Mar 2026 10:20:00 +0000', 'Message-ID: <rfc2047@fabrikam.example>', 'Nothing personal in this body.']) {
      expect(lines(copy)).toContain(keep);
    }
    expect(copy).toMatch(/^To: =\?ISO-8859-1\?B\?[A-Za-z0-9+/=]+\?= <\[REDACTED:email\]>, Desk <desk@fabrikam\.example>\r$/m);
    expect(copy).toMatch(/^Subject: =\?windows-1252\?Q\?Account_=5BREDACTED=3Aid=5D_=96_=5BREDACTED=3Aname=5D\?=\r$/m);
    const mail = await simpleParser(Buffer.from(copy, 'latin1'));
    expect(mail.subject).toBe('Account [REDACTED:id] \u2013 [REDACTED:name]');
    const to = mail.to && !Array.isArray(mail.to) ? mail.to.value : [];
    expect(to.map((a) => [a.name, a.address])).toEqual([
      ['[REDACTED:name]', '[REDACTED:email]'],
      ['Desk', 'desk@fabrikam.example'],
    ]);
    const replyTo = mail.replyTo && !Array.isArray(mail.replyTo) ? mail.replyTo.value : [];
    expect(replyTo.map((a) => [a.name, a.address])).toEqual([['[REDACTED:name]', '[REDACTED:email]']]);
  });

  test('quoted-printable stays quoted-printable with lines of at most 76 characters', async () => {
    const copy = (await run(fixture('qp-soft-break.eml'), 'ENG-1/qp-soft-break.eml', { redact: true })).copy!;
    const body = copy.toString('latin1').split('\r\n\r\n')[1]!;
    expect(body.split('\r\n').every((l) => l.length <= 76)).toBe(true);
    expect(body).toContain('=\r\n');
    const mail = await simpleParser(copy);
    expect(mail.text).toContain('The customer wrote from [REDACTED:email] and signed as [REDACTED:name]. \nPlease call back on [REDACTED:phone] before Friday;');
  });

  test('an 8-bit ISO-8859-1 body stays ISO-8859-1: only the name changes', async () => {
    const bytes = fixture('latin1-8bit.eml');
    const copy = (await run(bytes, 'ENG-1/latin1-8bit.eml', { redact: true })).copy!;
    const name = Buffer.from('Zoë Müller', 'latin1');
    const at = bytes.indexOf(name);
    expect(copy.equals(Buffer.concat([bytes.subarray(0, at), Buffer.from('[REDACTED:name]'), bytes.subarray(at + name.length)]))).toBe(true);
  });

  test('ISO-2022-JP and Shift_JIS bodies are written back in their charset', async () => {
    const copy = (await run(fixture('japanese.eml'), 'ENG-1/japanese.eml', { redact: true })).copy!;
    const mail = await simpleParser(copy);
    expect(mail.text).toContain('お問い合わせの件、担当者: [REDACTED:email]');
    expect(mail.text).toContain('お問い合わせの件、担当者: [REDACTED:phone]');
    expect(mail.subject).toBe('お問い合わせの件、担当者 [REDACTED:id]');
    expect(copy.toString('latin1')).toContain('Content-Type: text/plain; charset=Shift_JIS');
  });

  test('mbox: every message kept, in order; quoted `>From ` lines untouched; no new separator', async () => {
    const bytes = fixture('three.mbox');
    const copy = (await run(bytes, 'ENG-1/three.mbox', { redact: true })).copy!.toString('latin1');
    expect(copy.match(/^From /gm)).toHaveLength(3);
    expect(copy).toContain('\n>From the portal I cannot log in.\n');
    // The second message held nothing: its bytes are the original ones.
    const second = bytes.toString('latin1').split(/(?=^From )/m)[1]!;
    expect(copy.split(/(?=^From )/m)[1]).toBe(second);
    const third = await simpleParser(Buffer.from(copy.split(/(?=^From )/m)[2]!.replace(/^From .*\n/, ''), 'latin1'));
    expect(third.text).toContain('From now on we will call you on it.');
  });

  test('mbox: findings and copy do not depend on how reads split the file', async () => {
    const bytes = fixture('three.mbox');
    const whole = await run(bytes, 'ENG-1/three.mbox', { redact: true });
    for (const chunk of [1, 2, 7, 64, 333]) {
      const r = await run(bytes, 'ENG-1/three.mbox', { redact: true, chunk });
      expect(r.found, `chunk ${chunk}`).toEqual(whole.found);
      expect(r.copy!.equals(whole.copy!), `chunk ${chunk}`).toBe(true);
    }
  });
});

describe('broken input: notes, never a crash, nothing dropped', () => {
  test('a truncated multipart and an unknown charset are noted and still searched', async () => {
    const r = await run(fixture('malformed-truncated.eml'), 'ENG-1/malformed-truncated.eml');
    expect(r.notes).toEqual([
      'message: multipart without its closing boundary (truncated?)',
      'part 1: unknown charset x-klingon; read as UTF-8 / Windows-1252',
    ]);
  });

  test('a multipart without a boundary is searched as text', async () => {
    const r = await run(fixture('malformed-no-boundary.eml'), 'ENG-1/malformed-no-boundary.eml');
    expect(r.notes).toEqual(['message: multipart without a boundary; body searched as text']);
    expect(r.found.get('ENG-1/malformed-no-boundary.eml')!.map((m) => m.locator.contentType)).toEqual(['multipart/mixed']);
  });

  test.each([
    ['a header with nothing after it', 'From: zoe.muller@contoso.com\r\nSubject: x\r\n\r\n'],
    ['a boundary that never occurs', 'From: a@b.example\nContent-Type: multipart/mixed; boundary="zz"\n\nCUST48213907\n'],
    ['base64 that is not base64', 'From: a@b.example\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n%%%not*base64 CUST48213907\n'],
    ['a dangling QP escape', 'From: a@b.example\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\nCUST48213907 =\n=Z'],
    ['a broken encoded-word', 'From: =?UTF-8?Q?Zo=C3=AB_M=C3=BC?= =?bogus?X?abc?= <zoe.muller@contoso.com>\nSubject: =?UTF-8?B?###?=\n\nx\n'],
    ['a part without a header', 'From: a@b.example\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\n+44 7700 900968\n--b--\n'],
    ['deep nesting', `From: a@b.example\nContent-Type: multipart/mixed; boundary=b0\n\n${Array.from({ length: 100 }, (_, i) => `--b${i}\nContent-Type: multipart/mixed; boundary=b${i + 1}\n\n`).join('')}CUST48213907\n`],
  ])('%s: searched, redacted and read again clean', async (_what, text) => {
    const bytes = Buffer.from(text, 'utf8');
    const found = await run(bytes, 'ENG-1/x.eml');
    expect(found.format).toBe('eml');
    const total = [...found.records.values()].reduce((n, r) => n + Object.values(r.matches).reduce((a, b) => a + b, 0), 0);
    expect(total).toBeGreaterThan(0);
    const redacted = await run(bytes, 'ENG-1/x.eml', { redact: true });
    const again = await run(redacted.copy!, 'ENG-1/x.eml');
    for (const r of again.records.values()) expect(Object.values(r.matches).every((n) => n === 0)).toBe(true);
  });

  test('base64 with text written into it: searched decoded and as written, with a note', async () => {
    const encoded = Buffer.from('Call +1 (415) 555-0115 .').toString('base64'); // 24 bytes: no padding
    const bytes = Buffer.from(`From: a@b.example\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n${encoded}\nReply to zoe.muller@contoso.com!\n`);
    const r = await run(bytes, 'ENG-1/x.eml');
    expect(r.notes).toEqual(['part 1: base64 with characters outside its alphabet; also searched as written']);
    const found = r.found.get('ENG-1/x.eml')!;
    expect(found.map((m) => [identifiers[m.id]!.kind, m.locator])).toEqual([
      ['email', { part: '1', section: 'raw', line: 2 }],
      ['phone', { part: '1', contentType: 'text/plain', line: 1 }],
    ]);
    const redacted = await run(bytes, 'ENG-1/x.eml', { redact: true });
    expect(redacted.spans).toBe(2);
    expect(await residue(redacted.copy!)).toEqual([]);
    const again = await run(redacted.copy!, 'ENG-1/x.eml');
    expect(again.found.size).toBe(0);
  });

  test('an mbox with one message and no trailing line break', async () => {
    const bytes = Buffer.from('From x@y Thu Jan  1 00:00:00 2026\nFrom: x@y.example\nSubject: CUST48213907');
    const r = await run(bytes, 'ENG-1/m', { redact: true });
    expect(r.format).toBe('mbox');
    expect(r.copy!.toString()).toBe('From x@y Thu Jan  1 00:00:00 2026\nFrom: x@y.example\nSubject: [REDACTED:id]');
  });
});

describe('what comes back from an attachment reader', () => {
  const mail = fixture('attachments.eml');

  /** Runs the eml handler with a member() that answers every attachment the same way. */
  async function withMembers(answer: (source: ArtifactSource) => MemberOutcome) {
    const chunks: Buffer[] = [];
    const sink = new PassThrough();
    sink.on('data', (c: Buffer) => chunks.push(c));
    const ctx: HandlerContext = {
      matcher: new Matcher([{ kind: 'email', index: 0, value: 'nobody@nowhere.invalid' }]),
      limits: DEFAULT_LIMITS,
      placeholder: () => '[REDACTED]',
      found: () => {},
      handlerFor,
      member: async (source) => answer(source),
    };
    const outcome = await emlHandler.process({ engagement: 'ENG-1', path: 'ENG-1/a.eml', size: mail.length, head: mail, depth: 0, open: () => Readable.from([mail]) }, ctx, sink);
    sink.end();
    return { outcome, copy: Buffer.concat(chunks) };
  }
  const record = (source: ArtifactSource, status: 'scanned' | 'failed'): ArtifactRecord => ({
    engagement: 'ENG-1',
    artifact: source.path,
    status,
    bytes: source.size,
    matches: { email: 0, phone: 0, name: 0, id: 0 },
  });

  test('an attachment its reader could not read is kept as it was, with a note', async () => {
    const { outcome, copy } = await withMembers((s) => ({ record: record(s, s.size > 0 ? 'failed' : 'scanned') }));
    expect(copy.equals(mail)).toBe(true);
    expect(outcome.spans).toBe(0);
    expect(outcome.notes).toEqual(['part 2: attachment failed, kept as it was in the redacted copy', 'part 3: attachment failed, kept as it was in the redacted copy']);
  });

  test('an attachment written in another format gets the suffix in its name, and its new bytes', async () => {
    const { outcome, copy } = await withMembers((s) =>
      s.path.endsWith('notes.txt') ? { record: record(s, 'scanned'), redacted: Buffer.from('new content'), spans: 2, writtenAs: '.eml' } : { record: record(s, 'scanned') },
    );
    expect(outcome.spans).toBe(2);
    expect(outcome.notes).toEqual(['part 2: attachment rewritten as .eml']);
    const parsed = await simpleParser(copy);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['notes.txt.eml', 'Zoë Müller CV.txt', 'empty.log']);
    expect(parsed.attachments[0]!.content.toString()).toBe('new content');
  });
});

test('the fixtures are the ones their script writes', () => {
  const result = spawnSync(process.execPath, [path.join(DIR, 'make-email-fixtures.mjs'), '--check'], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
});
