/**
 * The pieces the e-mail layer writes with: quoted-printable, base64, encoded-words, charsets and
 * the byte-preserving MIME tree. Each is checked against an independent decoder where one exists
 * (mailparser's libmime/libqp, Node's base64, iconv-lite).
 */
import iconv from 'iconv-lite';
import libmime from 'libmime';
import libqp from 'libqp';
import { describe, expect, test } from 'vitest';
import { decodeText } from '../../src/formats/email/charset.js';
import { decodeValue, rewriteValue } from '../../src/formats/email/header-words.js';
import { looksLikeMessage } from '../../src/formats/email/header.js';
import { parseEntity, serialize } from '../../src/formats/email/mime.js';
import { MboxSplitter } from '../../src/formats/email/mbox.js';
import { decodeQuotedPrintable, encodeQuotedPrintable, encodeTransfer, readBase64 } from '../../src/formats/email/transfer.js';

describe('quoted-printable', () => {
  const samples = [
    'plain ascii line',
    'Zoë Müller = 100% sure\r\nsecond line with trailing space \r\nthird\t',
    'x'.repeat(300),
    `${'é'.repeat(80)}\r\n`,
    'From the start\r\nFrom here too\r\n',
    'a=b=c\r\n\r\n\r\n',
    '',
  ];

  test.each(samples)('round trip %#, lines within 76, no line starting with "From "', (text) => {
    const bytes = Buffer.from(text, 'utf8');
    const encoded = encodeQuotedPrintable(bytes, '\r\n');
    expect(decodeQuotedPrintable(Buffer.from(encoded, 'latin1')).equals(bytes)).toBe(true);
    // libqp (mailparser's decoder) reads it the same way.
    expect(libqp.decode(encoded).equals(bytes)).toBe(true);
    for (const line of encoded.split('\r\n')) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line.startsWith('From ')).toBe(false);
      expect(/[ \t]$/.test(line)).toBe(false);
    }
  });

  test('soft breaks are joined, with or without CR and with trailing blanks; stray = is kept', () => {
    const raw = Buffer.from('zoe.mul=\r\nler@contoso.com, +1 (415) 555-=  \n0115 =3D =ZZ tail   \r\nend=');
    expect(decodeQuotedPrintable(raw).toString()).toBe('zoe.muller@contoso.com, +1 (415) 555-0115 = =ZZ tail\r\nend');
  });

  test('=XX in either case is a byte; = with fewer than two hex digits after it is kept as written', () => {
    const raw = Buffer.from('=3d=3D=e9=C3=A9 =4G =G4 =F');
    expect(decodeQuotedPrintable(raw).equals(Buffer.concat([Buffer.from([0x3d, 0x3d, 0xe9, 0xc3, 0xa9]), Buffer.from(' =4G =G4 =F')]))).toBe(true);
  });
});

describe('base64', () => {
  test('written in lines as long as the original ones, with the original trailing breaks', () => {
    const content = Buffer.from('x'.repeat(200));
    const original = Buffer.from(`${Buffer.from('y'.repeat(200)).toString('base64').match(/.{1,64}/g)!.join('\n')}\n\n`);
    const encoded = encodeTransfer(content, 'base64', original, '\n').toString('latin1');
    expect(encoded.endsWith('\n\n')).toBe(true);
    const lines = encoded.trimEnd().split('\n');
    expect(lines.slice(0, -1).every((l) => l.length === 64)).toBe(true);
    expect(Buffer.from(encoded, 'base64').equals(content)).toBe(true);
  });

  // The rule, written out: every character outside the alphabet is dropped, then the rest decoded.
  const reference = (text: string) => Buffer.from(text.replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
  const wrapped = Buffer.from('Zoë Müller, +1 (415) 555-0115 and some more text to wrap').toString('base64').match(/.{1,16}/g)!;

  test.each([
    ['lines broken with CRLF, padding, trailing blank lines', `${wrapped.join('\r\n')}\r\n\r\n`, false],
    ['lines broken with LF and blanks', ` ${wrapped.join(' \n\t')}\n`, false],
    ['padding with blanks and a line break inside it', 'YQ=\r\n=\r\n', false],
    ['padding in the middle does not end the data', 'YQ==YmM=', false],
    ['padding before anything', '=YWJj', false],
    ['URL-safe characters are not base64', 'YWJj-_ZGVm', true],
    ['stray characters are skipped', 'YWJj!ZG\u00e9Vm', true],
    ['no data', '\r\n', false],
  ])('%s', (_label, text, stray) => {
    const read = readBase64(text);
    expect(read.bytes.equals(reference(text))).toBe(true);
    expect(read.stray).toBe(stray);
  });
});

describe('header values', () => {
  test('encoded-words are decoded, adjacent ones joined even when a character is split between them', () => {
    // "Zoë" split inside the two bytes of ë, across a folded line.
    const bytes = Buffer.from('Zoë Müller', 'utf8');
    const raw = ` =?UTF-8?B?${bytes.subarray(0, 3).toString('base64')}?=\r\n =?utf-8?B?${bytes.subarray(3).toString('base64')}?= <a@b.example>\r\n`;
    expect(decodeValue(raw).text).toBe(' Zoë Müller <a@b.example>');
  });

  test('a replaced run is encoded again in its charset and encoding; the rest keeps its bytes', () => {
    const raw = ' =?ISO-8859-1?Q?Zo=EB_M=FCller?= <zoe.muller@contoso.com>, Desk <desk@example.com>\r\n';
    const value = decodeValue(raw);
    expect(value.text).toBe(' Zoë Müller <zoe.muller@contoso.com>, Desk <desk@example.com>');
    const out = rewriteValue(value, [{ start: 1, end: 11, text: 'Zoë X' }, { start: 13, end: 35, text: '[REDACTED:email]' }], { addresses: true, eol: '\r\n' });
    expect(out).toBe(' =?ISO-8859-1?Q?Zo=EB_X?= <[REDACTED:email]>, Desk <desk@example.com>\r\n');
    expect(libmime.decodeWords(out)).toBe(' Zoë X <[REDACTED:email]>, Desk <desk@example.com>\r\n');
  });

  test('in address fields a bare placeholder becomes <address> or a quoted name, never a group', () => {
    const raw = ' zoe.muller@contoso.com, Zoe Muller <x@example.com>, "Zoe Muller" <y@example.com> (Zoe Muller)';
    const value = decodeValue(raw);
    const spans = [...value.text.matchAll(/zoe\.muller@contoso\.com|Zoe Muller/g)].map((m) => ({ start: m.index, end: m.index + m[0].length, text: m[0].includes('@') ? '[REDACTED:email]' : '[REDACTED:name]' }));
    const out = rewriteValue(value, spans, { addresses: true, eol: '\r\n' });
    expect(out).toBe(' <[REDACTED:email]>, "[REDACTED:name]" <x@example.com>, "[REDACTED:name]" <y@example.com> ([REDACTED:name])');
    expect(rewriteValue(value, spans, { addresses: false, eol: '\r\n' })).toBe(
      ' [REDACTED:email], [REDACTED:name] <x@example.com>, "[REDACTED:name]" <y@example.com> ([REDACTED:name])',
    );
  });

  test('long replaced runs are split into words of at most 75 characters', () => {
    const raw = ` =?UTF-8?B?${Buffer.from('é'.repeat(60)).toString('base64')}?=`;
    const value = decodeValue(raw);
    const out = rewriteValue(value, [{ start: 1, end: 3, text: 'ü'.repeat(2) }], { addresses: false, eol: '\r\n' });
    const words = out.trim().split(/\r\n /);
    expect(words.length).toBeGreaterThan(1);
    for (const w of words) expect(w.length).toBeLessThanOrEqual(75);
    expect(libmime.decodeWords(out.replace(/\r\n/g, ''))).toBe(` ${'ü'.repeat(2)}${'é'.repeat(58)}`);
  });
});

describe('charsets', () => {
  test.each([
    ['iso-8859-1', 'Zoë Müller, Straße'],
    ['windows-1250', 'Zoë Müller, Łódź'],
    ['koi8-r', 'Зоя Мюллер'],
    ['shift_jis', 'お問い合わせ'],
    ['"UTF-8"', 'Zoë 🎉'],
  ])('%s: decoded, and written back in the same charset', (charset, text) => {
    const bytes = iconv.encode(`${text} CUST48213907.`, charset.replace(/"/g, ''));
    const decoded = decodeText(bytes, charset);
    expect(decoded.text).toBe(`${text} CUST48213907.`);
    const start = decoded.text.indexOf('CUST');
    const out = decoded.replace([{ start, end: start + 12, text: '[REDACTED:id]' }]);
    expect(out.equals(Buffer.concat([iconv.encode(`${text} `, charset.replace(/"/g, '')), Buffer.from('[REDACTED:id].')]))).toBe(true);
  });

  test('an unknown charset is read as UTF-8 / Windows-1252 with a note, and spliced byte for byte', () => {
    const bytes = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9, 0x81]), Buffer.from(' CUST48213907')]);
    const decoded = decodeText(bytes, 'x-klingon');
    expect(decoded.note).toBe('unknown charset x-klingon; read as UTF-8 / Windows-1252');
    const start = decoded.text.indexOf('CUST');
    expect(decoded.replace([{ start, end: start + 12, text: 'X' }]).equals(Buffer.concat([bytes.subarray(0, 5), Buffer.from(' X')]))).toBe(true);
  });
});

describe('the MIME tree keeps every byte', () => {
  test.each([
    ['CRLF multipart with preamble and epilogue', 'A: 1\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\npre\r\n--b\r\nX: y\r\n\r\none\r\n--b \r\n\r\ntwo\r\n--b--\r\nepi\r\n'],
    ['delimiters back to back', 'Content-Type: multipart/mixed; boundary=b\n\n--b\n--b\n\nx\n--b--'],
    ['a boundary that prefixes another', 'Content-Type: multipart/mixed; boundary=b\n\n--b\n\n--b2 is text\n--b--\n'],
    ['no closing delimiter', 'Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\ncut off'],
    ['header only', 'From: a@b.example\r\nSubject: x'],
    ['no header', 'just text\n'],
    ['empty', ''],
  ])('%s', (_what, text) => {
    const bytes = Buffer.from(text, 'latin1');
    expect(serialize(parseEntity(bytes)).equals(bytes)).toBe(true);
  });

  test('parts are split at delimiter lines only', () => {
    const e = parseEntity(Buffer.from('Content-Type: multipart/mixed; boundary=b\n\n--b\n\n--b2 is text\n--b\n\nsecond\n--b--\n'));
    expect(e.multipart!.parts.map((p) => p.entity.body.toString())).toEqual(['--b2 is text', 'second']);
  });

  test('a message is told from other text by its header', () => {
    expect(looksLikeMessage(Buffer.from('Received: from x\r\n\tby y\r\nX-Spam: no\r\n\r\nbody'), false)).toBe(true);
    expect(looksLikeMessage(Buffer.from('Subject: hi'), true)).toBe(true);
    expect(looksLikeMessage(Buffer.from('Subject: hi'), false)).toBe(false);
  });
});

describe('mbox splitting', () => {
  test('separators need a blank line before them and a date; quoted and prose "From" lines stay in the body', () => {
    const text = [
      'From a@b Thu Feb 22 11:20:31 2007',
      'Subject: one',
      '',
      'body',
      'From the start (no blank line before)',
      '',
      'From here on, prose',
      '>From quoted',
      '',
      'From c@d Fri Feb 23 09:00:00 2007',
      'Subject: two',
      '',
      'x',
    ].join('\n');
    const splitter = new MboxSplitter();
    const messages = [...splitter.push(Buffer.from(text)), ...splitter.end()];
    expect(messages.map((m) => m.separator?.toString())).toEqual(['From a@b Thu Feb 22 11:20:31 2007\n', 'From c@d Fri Feb 23 09:00:00 2007\n']);
    expect(Buffer.concat(messages.flatMap((m) => [m.separator!, m.body])).toString()).toBe(text);
  });
});
