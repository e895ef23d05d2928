/**
 * Outlook .msg through the real engine: every property is searched (subject, bodies, RTF body,
 * sender, recipients, transport headers, entry ids), attachments and embedded messages are
 * members, and the redacted copy is an RFC 5322 .eml written beside the original path. The .eml
 * is checked by parsing it with mailparser, independently of how it was written.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { describe, expect, test } from 'vitest';
import { buffer } from 'node:stream/consumers';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { msgHandler } from '../../src/formats/msg/index.js';
import { rtfBody } from '../../src/formats/msg/rtf.js';
import { parseRequest } from '../../src/request.js';
import { ROOT, zoe } from '../helpers.js';
import { DEFAULT_LIMITS, type HandlerContext } from '../../src/formats/types.js';
import { matcher, memorySource } from './pdf-binary-harness.js';
import { counts, ENGAGEMENT, plainHits, runOnFiles } from './store-run.js';

const DIR = path.join(ROOT, 'fixtures/formats/msg');
const fixture = (name: string) => readFileSync(path.join(DIR, name));
const { identifiers } = await zoe();
const at = (name: string, member?: string) => `${ENGAGEMENT}/${name}${member === undefined ? '' : `!${member}`}`;

/** Every decoded text of a message: headers, bodies, attachment names and contents, attached messages too. */
async function decodedText(mail: ParsedMail): Promise<string> {
  const parts: string[] = [...mail.headerLines.map((h) => h.line), JSON.stringify([...mail.headers]), mail.text ?? '', typeof mail.html === 'string' ? mail.html : ''];
  for (const a of mail.attachments) {
    parts.push(a.filename ?? '');
    parts.push(a.contentType === 'message/rfc822' ? await decodedText(await simpleParser(a.content)) : a.content.toString('utf8'));
  }
  return parts.join('\n');
}

describe('recognition', () => {
  test('an OLE compound file with message streams is a .msg, whatever its name', () => {
    expect(msgHandler.recognizes(fixture('note.msg'), 'mail.bin')).toBe(true);
    expect(msgHandler.recognizes(fixture('note.msg').subarray(0, 600), 'mail.msg')).toBe(true);
  });

  test('another compound file (a .doc, an .xls) is not taken for one: it falls through to the next reader', async () => {
    expect(msgHandler.recognizes(fixture('not-a-message.cfb'), 'x.msg')).toBe(false);
    const run = await runOnFiles('discover', { 'report.doc': fixture('not-a-message.cfb') });
    expect(run.records.get(at('report.doc'))).toMatchObject({ status: 'scanned', format: 'binary' });
  });

  test('a compound file read as a message that holds none is skipped with a reason', async () => {
    const ctx: HandlerContext = {
      matcher,
      limits: DEFAULT_LIMITS,
      placeholder: () => null,
      found: () => undefined,
      handlerFor: () => undefined,
      member: () => Promise.reject(new Error('no members expected')),
    };
    await expect(msgHandler.process(memorySource(fixture('not-a-message.cfb')), ctx)).rejects.toMatchObject({
      status: 'skipped',
      reason: 'OLE document that is not an Outlook message',
    });
  });

  test('a truncated .msg fails with a reason and the run goes on', async () => {
    const run = await runOnFiles('discover', { 'truncated.msg': fixture('truncated.msg'), 'contact.msg': fixture('contact.msg') });
    const record = run.records.get(at('truncated.msg'))!;
    expect(record.status).toBe('failed');
    expect(record.reason).toMatch(/^corrupt or truncated OLE document: /);
    expect(run.records.get(at('contact.msg'))?.status).toBe('scanned');
  });
});

describe('discover', () => {
  test('every property that carries the subject is searched and located', async () => {
    const run = await runOnFiles('discover', { 'note.msg': fixture('note.msg') });
    const located = run.findings
      .filter((f) => f.artifact === at('note.msg'))
      .map((f) => `${f.identifier.kind} ${f.locator.part}/${f.locator.property}${f.locator.encoding ? ` (${f.locator.encoding})` : ''} ${f.variant}`);
    expect(located.sort()).toEqual(
      [
        'name message/subject exact',
        // From and Subject of the transport headers, both RFC 2047 encoded-words
        'name message/headers exact',
        'name message/headers exact',
        // the sender's one-off entry id holds name and address in UTF-16LE
        'name message/senderEntryId (utf-16le) exact',
        'email message/senderEntryId (utf-16le) exact',
        'name message/senderName exact',
        'email message/senderEmail exact',
        'email message/senderSmtpAddress exact',
        'phone message/body international',
        'id message/body exact',
        // the HTML body (bytes in the Internet code page): mailto: and a &#64; entity
        'email message/html exact',
        'email message/html html-escaped',
        'name recipient 2/entryId (utf-16le) exact',
        'email recipient 2/entryId (utf-16le) exact',
        'name recipient 2/name exact',
        'email recipient 2/email exact',
        'email recipient 2/smtpAddress exact',
        // an attachment named after the subject
        'name attachment 4/name exact',
        'name attachment 4/fileName exact',
      ].sort(),
    );
  });

  test('attachments and embedded messages are members with their own records; names never shown', async () => {
    const run = await runOnFiles('discover', { 'note.msg': fixture('note.msg') });
    expect(counts(run.records.get(at('note.msg', 'notes.txt')))).toEqual({ name: 1, id: 1 });
    expect(run.records.get(at('note.msg', 'logo.png'))?.status).toBe('scanned');
    expect(run.records.get(at('note.msg', 'Fwd: account.msg'))).toMatchObject({ format: 'msg', matches: { email: 1, phone: 1, name: 0, id: 0 } });
    expect(run.records.get(at('note.msg', '[REDACTED].txt'))?.status).toBe('scanned');
    expect(plainHits(run.reportText)).toEqual([]);
  });

  test('an RTF-only body (HTML encapsulated in compressed RTF, \\\'hh escapes) is decoded and searched', async () => {
    const run = await runOnFiles('discover', { 'rtf-only.msg': fixture('rtf-only.msg') });
    expect(counts(run.records.get(at('rtf-only.msg')))).toEqual({ email: 1, name: 1 });
  });

  test('8-bit strings are read in the code page of the message locale', async () => {
    const request = parseRequest({ subject: { names: ['Зоя Мюллер'] } });
    const run = await runOnFiles('discover', { 'ansi.msg': fixture('ansi-cyrillic.msg') }, { request });
    expect(run.findings.map((f) => f.locator.property)).toEqual(['subject', 'body']);
  });
});

describe('erase: a redacted .eml beside the original path', () => {
  test('the copy is written as <path>.eml, the report says so, and no .msg copy is written', async () => {
    const run = await runOnFiles('erase', { 'note.msg': fixture('note.msg') });
    const record = run.records.get(at('note.msg'))!;
    expect(record.redacted).toMatchObject({ path: `${ENGAGEMENT}/note.msg.eml`, verified: true });
    expect(record.notes).toContain('redacted copy written as .eml (this format cannot be rewritten faithfully)');
    await expect(run.redacted('note.msg')).rejects.toThrow();
    expect((await run.redacted('note.msg.eml')).length).toBe(record.redacted!.bytes);
  });

  test('the .eml is valid RFC 5322 with redacted headers, bodies and attachments', async () => {
    const run = await runOnFiles('erase', { 'note.msg': fixture('note.msg') });
    const raw = await run.redacted('note.msg.eml');
    expect(raw.toString('latin1').split('\r\n').every((line) => line.length <= 998 && !line.includes('\n'))).toBe(true);
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe('Ticket 5531 for [REDACTED:name]');
    expect(mail.from?.value).toEqual([{ name: '[REDACTED:name]', address: '[REDACTED:email]' }]);
    expect(mail.headers.get('mime-version')).toBe('1.0');
    expect(mail.date?.toISOString()).toBe('2026-03-02T10:15:30.000Z');
    expect(mail.messageId).toBe('<5531.reply@mail.example.com>');
    const addresses = (field: ParsedMail['to']) => (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => v.address ?? `${v.name} (group)`));
    expect(addresses(mail.to)).toEqual(['support@example.com']);
    expect(addresses(mail.cc)).toEqual(['[REDACTED:email]']);
    expect(addresses(mail.bcc)).toEqual(['Agent Smith (group)']); // an Exchange-only address has no Internet form
    expect(mail.text).toBe('Hello,\nplease call me on [REDACTED:phone]. My account is [REDACTED:id].\n');
    expect(mail.html).toBe('<html><body><p>Reach me at <a href="mailto:[REDACTED:email]">[REDACTED:email]</a></p></body></html>');

    const byName = new Map(mail.attachments.map((a) => [a.filename, a]));
    // The inline image goes with the HTML (multipart/related), the others after it.
    expect([...byName.keys()].sort()).toEqual(['Fwd: account.msg.eml', '[REDACTED:name].txt', 'logo.png', 'notes.txt']);
    expect(byName.get('notes.txt')!.content.toString()).toBe('device [REDACTED:id] belongs to [REDACTED:name]\n');
    expect(byName.get('logo.png')).toMatchObject({ contentType: 'image/png', cid: 'logo@5531' });
    expect(byName.get('[REDACTED:name].txt')!.content.toString()).toBe('nothing personal inside\n');
    const forwarded = await simpleParser(byName.get('Fwd: account.msg.eml')!.content);
    expect(forwarded.subject).toBe('Fwd: account of [REDACTED:email]');
    expect(forwarded.text).toBe('Her new number is [REDACTED:phone].\n');

    expect(plainHits(await decodedText(mail))).toEqual([]);
  });

  test('an unchanged attachment is carried byte for byte', async () => {
    const run = await runOnFiles('erase', { 'note.msg': fixture('note.msg') });
    const mail = await simpleParser(await run.redacted('note.msg.eml'));
    const logo = mail.attachments.find((a) => a.filename === 'logo.png')!;
    expect(logo.content.equals(Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'))).toBe(true);
  });

  test('the HTML recovered from an RTF-only body is the .eml HTML body, redacted', async () => {
    const run = await runOnFiles('erase', { 'rtf-only.msg': fixture('rtf-only.msg') });
    const mail = await simpleParser(await run.redacted('rtf-only.msg.eml'));
    expect((mail.html as string).trimEnd()).toBe('<html><body><a href="mailto:[REDACTED:email]">Write to [REDACTED:name]</a></body></html>');
  });

  test('a contact keeps its other properties in item-properties.txt, redacted', async () => {
    const run = await runOnFiles('erase', { 'contact.msg': fixture('contact.msg') });
    const mail = await simpleParser(await run.redacted('contact.msg.eml'));
    const properties = mail.attachments.find((a) => a.filename === 'item-properties.txt')!.content.toString();
    expect(properties).toContain('mobileTelephoneNumber: [REDACTED:phone]\r\n');
    expect(properties).toContain('companyName: Contoso\r\n');
    expect(plainHits(await decodedText(mail))).toEqual([]);
  });

  test('a message whose only match sits in a property the .eml does not carry is still replaced, also inside a zip', async () => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(fixture('entry-id-only.msg'), 'entry-id-only.msg');
    zip.end();
    const run = await runOnFiles('erase', { 'alone.msg': fixture('entry-id-only.msg'), 'case.zip': await buffer(zip.outputStream) });
    expect(run.findings.filter((f) => f.artifact === at('alone.msg')).map((f) => f.locator)).toEqual([
      { part: 'message', property: 'senderEntryId', offset: 52, encoding: 'utf-16le' },
    ]);
    expect(run.records.get(at('alone.msg'))?.redacted?.path).toBe(`${ENGAGEMENT}/alone.msg.eml`);
    expect(run.records.get(at('case.zip'))?.redacted?.verified).toBe(true);
    const copy = await yauzl.fromBufferPromise(await run.redacted('case.zip'), { lazyEntries: true });
    const names: string[] = [];
    await new Promise<void>((resolve, reject) => {
      copy.on('entry', (e: yauzl.Entry) => (names.push(e.fileName), copy.readEntry())).on('end', resolve).on('error', reject);
      copy.readEntry();
    });
    expect(names).toEqual(['entry-id-only.msg.eml']);
  });

  test('a .msg inside a zip becomes <name>.msg.eml inside the redacted zip', async () => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(fixture('note.msg'), 'mail/note.msg');
    zip.end();
    const run = await runOnFiles('erase', { 'case.zip': await buffer(zip.outputStream) });
    expect(counts(run.records.get(at('case.zip', 'mail/note.msg!notes.txt')))).toEqual({ name: 1, id: 1 });
    const copy = await yauzl.fromBufferPromise(await run.redacted('case.zip'), { lazyEntries: true });
    const entry = await new Promise<yauzl.Entry>((resolve) => {
      copy.once('entry', resolve);
      copy.readEntry();
    });
    expect(entry.fileName).toBe('mail/note.msg.eml');
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => copy.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))));
    const mail = await simpleParser(await buffer(stream));
    expect(mail.subject).toBe('Ticket 5531 for [REDACTED:name]');
    expect(plainHits(await decodedText(mail))).toEqual([]);
  });
});

describe('RTF bodies', () => {
  test('encapsulated HTML: tags from \\*\\htmltag, text outside \\htmlrtf, bytes in the font charset', () => {
    const rtf =
      "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1{\\fonttbl{\\f0\\fswiss Arial;}{\\f1\\fnil\\fcharset204 Arial Cyr;}}" +
      "{\\*\\htmltag19 <p>}\\htmlrtf {\\b bold rendering only}\\htmlrtf0 Zo\\'eb {\\f1 \\'c7\\'ee\\'ff} \\u8364? end\\par{\\*\\htmltag27 </p>}}";
    expect(rtfBody(Buffer.from(rtf, 'latin1'))).toEqual({ kind: 'html', content: '<p>Zoë Зоя € end\r\n</p>' });
  });

  test('plain RTF: the text, without font tables and other destinations', () => {
    const rtf = "{\\rtf1\\ansi\\fromtext{\\fonttbl{\\f0 Arial;}}{\\*\\generator x;}\\pard Call Zo\\'eb\\tab now\\par}";
    expect(rtfBody(Buffer.from(rtf, 'latin1'))).toEqual({ kind: 'text', content: 'Call Zoë\tnow\r\n' });
  });

  test('the matcher sees identifiers written with RTF escapes once decoded', () => {
    const { content } = rtfBody(Buffer.from("{\\rtf1\\ansi Zo\\'eb M\\'fcller}", 'latin1'));
    expect(matcher.findAll(content).map((m) => identifiers[m.id]!.kind)).toEqual(['name']);
  });
});
