#!/usr/bin/env node
// Generates the benchmark corpus under bench/corpus/ (git-ignored).
//
// Deterministic: every byte comes from a seeded PRNG (sfc32), so the same
// BENCH_SEED and BENCH_SCALE always give the same corpus. If bench/corpus/
// already holds a corpus with a matching stamp.json, nothing is regenerated.
//
//   node bench/generate.mjs            # BENCH_SCALE=1.0: ~1.7 GB
//   BENCH_SCALE=0.05 node bench/generate.mjs
//
// Layout:
//   corpus/store/ENG-…/…        the whole corpus (one folder per engagement)
//   corpus/sets/<name>/ENG-…/   one store per dataset (hard links into store/)
//   corpus/requests/            request JSON files and rg literal files
//   corpus/manifest.json        datasets, sizes and every planted identifier
//   corpus/stamp.json           version/seed/scale/sizes, written last

import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { spawnSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const CORPUS_DIR = path.join(BENCH_DIR, 'corpus');
const VERSION = 3;
const MiB = 1 << 20;

export const SUBJECT = {
  emails: ['zoe.muller@contoso.com'],
  phones: ['+1 (415) 555-0115'],
  names: ['Zoë Müller'],
  ids: ['CUST48213907', '6F9619FF-8B86-D011-B42D-00C04FD430C8'],
};
const EMAIL = SUBJECT.emails[0];
const PHONE = SUBJECT.phones[0];
const NAME = SUBJECT.names[0];
const [ACCOUNT, GUID] = SUBJECT.ids;

export function config(env = process.env) {
  const scale = Number(env.BENCH_SCALE ?? 1);
  if (!(scale > 0)) throw new Error(`BENCH_SCALE must be a positive number (got ${env.BENCH_SCALE})`);
  const seed = Number(env.BENCH_SEED ?? 20240314) >>> 0;
  const mb = (n) => Math.max(MiB, Math.round(n * MiB * scale));
  return { version: VERSION, seed, scale, bytes: { log: mb(1024), mail: mb(200), dumps: mb(500), zip: mb(50), pdf: mb(16) } };
}

// ---------------------------------------------------------------- PRNG (sfc32)

class Rng {
  constructor(seed, label) {
    let h = 0x811c9dc5; // FNV-1a of the label, so each part has its own stream
    for (const ch of label) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
    let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = (seed ^ h) >>> 0;
    this.u32 = () => {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      return t >>> 0;
    };
    for (let i = 0; i < 16; i++) this.u32();
  }
  int(n) { return this.u32() % n; }
  range(lo, hi) { return lo + this.int(hi - lo + 1); }
  pick(arr) { return arr[this.u32() % arr.length]; }
  chance(p) { return this.u32() < p * 4294967296; }
  hex(n) {
    let s = '';
    while (s.length < n) s += this.u32().toString(16).padStart(8, '0');
    return s.slice(0, n);
  }
  guid() {
    const h = this.hex(32).toUpperCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

// ---------------------------------------------------------------- vocabulary
// Nothing here can form the subject's identifiers: other users never have the
// first name "zoe", other phone numbers end in 2000-9999, other account ids
// start with CUST1-3 (the absent ids of the 1,000-id request start with CUST7).

const FIRST = ['james', 'mary', 'robert', 'patricia', 'john', 'jennifer', 'michael', 'linda', 'david', 'wei', 'yuki',
  'olga', 'ahmed', 'fatima', 'lucas', 'sofia', 'liam', 'emma', 'noah', 'mia', 'arjun', 'priya', 'mateo', 'chloe',
  'jonas', 'lena', 'pierre', 'ines', 'kofi', 'amara', 'sven', 'ingrid', 'diego', 'valentina', 'zoey', 'anna'];
const LAST = ['smith', 'johnson', 'garcia', 'brown', 'nguyen', 'kim', 'patel', 'schmidt', 'rossi', 'dubois', 'silva',
  'kowalski', 'novak', 'jensen', 'tanaka', 'okafor', 'haddad', 'larsen', 'moreau', 'fischer', 'mueller', 'muller',
  'miller', 'weber', 'costa'];
const DISPLAY = ['José Álvarez', 'Søren Nørgaard', 'Łukasz Wójcik', 'Chloé Lefèvre', 'Anna Müller', 'Wei Zhang',
  'Priya Natarajan', 'Kofi Mensah', 'Ingrid Håkansson', 'Mateo Peña', 'Zoey Miller', 'Liam O\'Brien'];
const DOMAINS = ['contoso.com', 'fabrikam.com', 'northwind.example', 'adventure-works.com', 'tailspin.io',
  'gmail.com', 'outlook.com', 'proton.me', 'wingtiptoys.com', 'litware.net'];
const AREAS = ['212', '305', '312', '415', '503', '617', '646', '702', '808', '917'];
const SERVICES = ['api-gw', 'orders', 'billing', 'auth', 'catalog', 'search', 'notify', 'cart', 'inventory', 'shipping'];
const PATHS = ['/api/v2/orders', '/api/v2/cart/items', '/api/v2/customers/me', '/api/v1/catalog/search',
  '/api/v2/payments/intent', '/health', '/api/v2/shipping/quote', '/static/app.4f3a2c.js', '/api/v2/auth/token'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const STATUSES = [200, 200, 200, 200, 201, 204, 301, 304, 400, 401, 403, 404, 409, 429, 500, 502, 503];
const UAS = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'okhttp/4.12.0', 'curl/8.5.0', 'ContosoShop/5.2.1 (Android 14; Pixel 8)', 'python-requests/2.31.0'];
const EXCEPTIONS = ['java.lang.IllegalStateException: order not found', 'java.net.SocketTimeoutException: Read timed out',
  'org.postgresql.util.PSQLException: deadlock detected', 'java.lang.NullPointerException: cart is null',
  'com.contoso.shop.PaymentDeclinedException: card_declined'];
const FRAMES = ['com.contoso.shop.OrderService.load(OrderService.java:', 'com.contoso.shop.CartController.get(CartController.java:',
  'org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:', 'com.contoso.billing.RetryPolicy.run(RetryPolicy.java:',
  'java.base/java.lang.Thread.run(Thread.java:'];
const WORDS = ('the order was shipped yesterday but tracking still shows label created please advise we have refunded ' +
  'your payment and the invoice is attached could you confirm the delivery address our team escalated the ticket ' +
  'to billing thanks for your patience customer reports login fails after password reset the app crashes on ' +
  'checkout logs from the device are attached below kind regards support engineer account subscription renewal ' +
  'cancelled warehouse replacement item out of stock estimated arrival monday friday').split(' ');

const otherEmail = (r) => {
  const f = r.pick(FIRST), l = r.pick(LAST), d = r.pick(DOMAINS);
  switch (r.int(4)) {
    case 0: return `${f[0]}${l}@${d}`;
    case 1: return `${f}.${l}${r.range(1, 99)}@${d}`;
    default: return `${f}.${l}@${d}`;
  }
};
const otherPhone = (r) => `+1 (${r.pick(AREAS)}) 555-${r.range(2000, 9999)}`;
const otherAccount = (r) => `CUST${r.range(1, 3)}${String(r.int(10000000)).padStart(7, '0')}`;
const ip = (r) => `${r.range(1, 223)}.${r.int(256)}.${r.int(256)}.${r.range(1, 254)}`;
const sentence = (r, n) => {
  let s = r.pick(WORDS);
  for (let i = 1; i < n; i++) s += ' ' + r.pick(WORDS);
  return s[0].toUpperCase() + s.slice(1) + '.';
};

// ---------------------------------------------------------------- log lines

// Forms of the subject's identifiers planted in logs (cycled through).
const LOG_FORMS = ['email', 'email-upper', 'email-urlencoded', 'phone', 'phone-dots', 'account-id', 'guid',
  'guid-lower', 'name', 'email-json'];

class LogGen {
  constructor(rng, startMs) { this.r = rng; this.t = startMs; this.lines = 0; }

  ts() { this.t += this.r.int(40); return new Date(this.t).toISOString(); }

  entry() {
    const r = this.r, ts = this.ts(), k = r.int(100);
    this.lines++;
    if (k < 35) return `${ts} INFO  [http-nio-8080-exec-${r.range(1, 64)}] c.c.shop.RequestLogger - req=${r.hex(16)} ` +
      `${r.pick(METHODS)} ${r.pick(PATHS)} status=${r.pick(STATUSES)} dur=${r.range(1, 900)}ms ip=${ip(r)} user=${otherEmail(r)}\n`;
    if (k < 50) return `${ts} INFO  [gateway] ${ip(r)} - - "GET ${r.pick(PATHS)}?page=${r.range(1, 20)}&email=` +
      `${otherEmail(r).replace('@', '%40')} HTTP/1.1" ${r.pick(STATUSES)} ${r.range(0, 90000)} "-" "${r.pick(UAS)}"\n`;
    if (k < 60) return `${ts} DEBUG [${r.pick(SERVICES)}] session ${r.hex(32)} refreshed for ${otherEmail(r)} from ${ip(r)}\n`;
    if (k < 70) return `${ts} WARN  [billing-worker-${r.range(1, 8)}] payment retry {"account":"${otherAccount(r)}",` +
      `"amount":${r.range(1, 999)}.${r.range(10, 99)},"currency":"${r.pick(['EUR', 'USD', 'GBP'])}","attempt":${r.range(1, 5)}}\n`;
    if (k < 78) return `${ts} INFO  [audit] {"event":"${r.pick(['login', 'logout', 'profile.update', 'password.reset'])}",` +
      `"user":"${otherEmail(r)}","displayName":"${r.pick(DISPLAY)}","ip":"${ip(r)}","mfa":${r.chance(0.5)}}\n`;
    if (k < 84) return `${ts} INFO  [notify] sms queued to=${otherPhone(r)} template=order_shipped msg_id=${r.hex(12)}\n`;
    if (k < 94) return `${ts} TRACE [cache] ${r.chance(0.8) ? 'hit' : 'miss'} key=cart:${r.guid()} ttl=${r.range(30, 3600)}\n`;
    if (k < 98) return `${ts} INFO  [${r.pick(SERVICES)}] ${sentence(r, r.range(5, 14))} account=${otherAccount(r)}\n`;
    // an exception with a short stack trace (several lines)
    let s = `${ts} ERROR [${r.pick(SERVICES)}] Unhandled exception req=${r.hex(16)}: ${r.pick(EXCEPTIONS)}\n`;
    const n = r.range(2, 6);
    for (let i = 0; i < n; i++) s += `\tat ${r.pick(FRAMES)}${r.range(20, 900)})\n`;
    this.lines += n;
    return s;
  }

  plant(form) {
    const r = this.r, ts = this.ts();
    this.lines++;
    switch (form) {
      case 'email': return `${ts} INFO  [http-nio-8080-exec-${r.range(1, 64)}] c.c.shop.RequestLogger - req=${r.hex(16)} ` +
        `GET /api/v2/orders status=200 dur=${r.range(1, 900)}ms ip=${ip(r)} user=${EMAIL}\n`;
      case 'email-upper': return `${ts} INFO  [crm-sync] contact upserted email=${EMAIL.toUpperCase()} source=salesforce id=${r.hex(18)}\n`;
      case 'email-urlencoded': return `${ts} INFO  [gateway] ${ip(r)} - - "GET /api/v2/newsletter/unsubscribe?email=` +
        `${EMAIL.replace('@', '%40')}&token=${r.hex(24)} HTTP/1.1" 302 0 "-" "${r.pick(UAS)}"\n`;
      case 'phone': return `${ts} INFO  [notify] sms queued to=${PHONE} template=order_shipped msg_id=${r.hex(12)}\n`;
      case 'phone-dots': return `${ts} WARN  [support] callback requested phone=415.555.0115 ticket=SUP-${r.range(10000, 99999)} req=${r.hex(16)}\n`;
      case 'account-id': return `${ts} WARN  [billing-worker-2] payment retry {"account":"${ACCOUNT}","amount":49.90,"currency":"USD","attempt":${r.range(1, 5)}}\n`;
      case 'guid': return `${ts} TRACE [cache] miss key=profile:${GUID} ttl=300\n`;
      case 'guid-lower': return `${ts} INFO  [sync] device registered deviceId=${GUID.toLowerCase()} app=ContosoShop/5.2.1\n`;
      case 'name': return `${ts} INFO  [audit] {"event":"profile.update","displayName":"${NAME}","ip":"${ip(r)}","mfa":true}\n`;
      case 'email-json': return `${ts} INFO  [audit] {"event":"login","user":"${EMAIL}","ip":"${ip(r)}","mfa":false}\n`;
    }
    throw new Error(`unknown form ${form}`);
  }
}

async function write(out, chunk) {
  if (!out.write(chunk)) await once(out, 'drain');
}

// Writes a log of about `bytes` bytes with `plants` subject lines at random
// (recorded) byte offsets. Returns the list of planted places.
async function writeLog(file, rel, bytes, rng, plants, startMs, formOffset = 0) {
  const targets = Array.from({ length: plants }, () => Math.floor((rng.u32() / 4294967296) * bytes)).sort((a, b) => a - b);
  const gen = new LogGen(rng, startMs);
  const out = fs.createWriteStream(file);
  const planted = [];
  let written = 0, p = 0, batch = '';
  while (written < bytes || p < targets.length) {
    let line;
    if (p < targets.length && written >= targets[p]) {
      const form = LOG_FORMS[(p + formOffset) % LOG_FORMS.length];
      const lineNo = gen.lines + 1;
      line = gen.plant(form);
      planted.push({ file: rel, line: lineNo, offset: written, form });
      p++;
    } else {
      line = gen.entry();
    }
    written += Buffer.byteLength(line);
    batch += line;
    if (batch.length >= 1 << 20) { await write(out, batch); batch = ''; }
  }
  out.end(batch);
  await finished(out);
  return planted;
}

// ---------------------------------------------------------------- e-mails

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

function quotedPrintable(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const bytes = Buffer.from(line, 'utf8');
    let cur = '';
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      const encode = b === 61 || b > 126 || (b < 32 && b !== 9) || ((b === 32 || b === 9) && i === bytes.length - 1);
      const tok = encode ? '=' + HEX2[b] : String.fromCharCode(b);
      if (cur.length + tok.length > 75) { out.push(cur + '='); cur = ''; }
      cur += tok;
    }
    out.push(cur);
  }
  return out.join('\r\n');
}

const base64 = (text) => Buffer.from(text, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
const encodedWord = (s) => '=?UTF-8?Q?' + quotedPrintable(s).replace(/ /g, '_') + '?=';
const titleCase = (s) => s.split(/[.@]/)[0].replace(/^\w/, (c) => c.toUpperCase());

// Forms of the subject's identifiers planted in e-mails (cycled through).
const MAIL_FORMS = ['header-from', 'header-to', 'qp-body-name', 'qp-body-email-softbreak', 'html-base64',
  'attachment-csv', 'attachment-log', 'quoted-reply'];

function makeMail(r, index, form, startMs) {
  const from = otherEmail(r), to = otherEmail(r);
  const date = new Date(startMs + index * 3_600_000 + r.int(3_600_000)).toUTCString().replace('GMT', '+0000');
  const subj = `Re: [SUP-${r.range(10000, 99999)}] ${sentence(r, r.range(3, 7)).slice(0, -1)}`;
  let fromHeader = `"${titleCase(from)}" <${from}>`, toHeader = `support@contoso.com, ${to}`;
  if (form === 'header-from') fromHeader = `"${encodedWord(NAME)}" <${EMAIL}>`;
  if (form === 'header-to') toHeader = `support@contoso.com, ${EMAIL}`;

  // plain text body
  const paras = [];
  paras.push(`Hello ${r.pick(DISPLAY)},`);
  const n = r.range(3, 40);
  for (let i = 0; i < n; i++) paras.push(sentence(r, r.range(8, 30)) + ' ' + sentence(r, r.range(8, 30)));
  if (form === 'qp-body-name') paras.splice(2, 0, `The customer ${NAME} called again about the refund.`);
  if (form === 'qp-body-email-softbreak') // the address straddles a quoted-printable soft line break
    paras.splice(2, 0, `${'Please reply to the customer directly at her address which is'.padEnd(64, ' ')} ${EMAIL} thanks.`);
  if (form === 'quoted-reply') paras.push('', `On ${date},\n${NAME} <${EMAIL}> wrote:`, `> ${sentence(r, 12)}`, `> ${sentence(r, 9)}`);
  else paras.push('', `On ${date}, ${titleCase(to)} <${to}> wrote:`, `> ${sentence(r, 12)}`);
  paras.push('', '-- ', 'Contoso Support | +1 (800) 555-2368');
  const text = paras.join('\n\n');
  let html = `<html><body>${paras.map((p) => `<p>${p.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`).join('\n')}`;
  if (form === 'html-base64') html += `\n<p>Customer: <a href="mailto:${EMAIL}">${NAME}</a></p>`;
  html += '</body></html>';

  // attachment
  let attachment = null;
  if (form === 'attachment-csv' || (form !== 'attachment-log' && r.chance(0.25))) {
    const rows = ['account_id,email,name,phone,created'];
    const m = r.range(200, 3000);
    for (let i = 0; i < m; i++) rows.push(`${otherAccount(r)},${otherEmail(r)},${r.pick(DISPLAY)},${otherPhone(r)},2023-${String(r.range(1, 12)).padStart(2, '0')}-${String(r.range(1, 28)).padStart(2, '0')}`);
    if (form === 'attachment-csv') rows.splice(r.range(1, m), 0, `${ACCOUNT},${EMAIL},${NAME},${PHONE},2021-06-02`);
    attachment = { name: 'customers-export.csv', type: 'text/csv', body: rows.join('\r\n') + '\r\n' };
  } else if (form === 'attachment-log' || r.chance(0.1)) {
    const gen = new LogGen(r, startMs + index * 60_000);
    let body = '';
    const m = r.range(100, 1500);
    for (let i = 0; i < m; i++) body += gen.entry();
    if (form === 'attachment-log') body += gen.plant('email') + gen.plant('guid');
    attachment = { name: 'device.log', type: 'text/plain', body };
  }

  const b1 = `----=_Part_${r.hex(12)}`, b2 = `----=_Alt_${r.hex(12)}`;
  const alt = [
    `Content-Type: multipart/alternative; boundary="${b2}"`, '',
    `--${b2}`, 'Content-Type: text/plain; charset="utf-8"', 'Content-Transfer-Encoding: quoted-printable', '',
    quotedPrintable(text),
    `--${b2}`, 'Content-Type: text/html; charset="utf-8"', 'Content-Transfer-Encoding: base64', '',
    base64(html),
    `--${b2}--`, ''];
  const head = [
    `Return-Path: <${from}>`,
    `Received: from mail-${r.range(1, 40)}.${from.split('@')[1]} ([${ip(r)}]) by mx1.contoso.com with ESMTPS id ${r.hex(12)}; ${date}`,
    `Message-ID: <${r.hex(24)}@${from.split('@')[1]}>`,
    `Date: ${date}`, `From: ${fromHeader}`, `To: ${toHeader}`, `Subject: ${subj}`, 'MIME-Version: 1.0'];
  const lines = attachment
    ? [...head, `Content-Type: multipart/mixed; boundary="${b1}"`, '', 'This is a multi-part message in MIME format.', '',
      `--${b1}`, ...alt,
      `--${b1}`, `Content-Type: ${attachment.type}; name="${attachment.name}"`,
      `Content-Disposition: attachment; filename="${attachment.name}"`, 'Content-Transfer-Encoding: base64', '',
      base64(attachment.body), `--${b1}--`, '']
    : [...head, ...alt];
  return lines.join('\r\n');
}

async function writeMails(dir, relDir, bytes, rng, startMs) {
  const folders = ['inbox', 'inbox', 'inbox', 'sent', 'archive/2023', 'archive/2024'];
  for (const f of new Set(folders)) fs.mkdirSync(path.join(dir, f), { recursive: true });
  const every = Math.max(3, Math.round(bytes / (100 * 1024) / 60)); // ~80 planted messages at scale 1.0
  const planted = [];
  let written = 0, files = 0;
  for (let i = 0; written < bytes; i++) {
    const form = i % every === every - 1 ? MAIL_FORMS[planted.length % MAIL_FORMS.length] : null;
    const rel = `${rng.pick(folders)}/message-${String(i).padStart(6, '0')}.eml`;
    const body = makeMail(rng, i, form, startMs);
    await fs.promises.writeFile(path.join(dir, rel), body);
    written += Buffer.byteLength(body);
    files++;
    if (form) planted.push({ file: `${relDir}/${rel}`, form });
  }
  return { planted, files };
}

// ---------------------------------------------------------------- binary dumps

const DUMP_STRINGS = ['C:\\Program Files\\Contoso\\Shop\\ContosoShop.exe', 'C:\\Windows\\System32\\ntdll.dll',
  'KERNEL32.DLL', 'api-ms-win-crt-runtime-l1-1-0.dll', 'PATH=C:\\Windows;C:\\Windows\\System32',
  'USERPROFILE=C:\\Users\\svc-shop', 'https://api.contoso.com/api/v2/orders', 'Authorization: Bearer eyJhbGciOi',
  'System.NullReferenceException', 'Object reference not set to an instance of an object.',
  'Microsoft.Data.SqlClient.SqlException', 'SELECT * FROM Orders WHERE Id = @p0', 'ContosoShop.Checkout.Submit',
  'en-US', 'Segoe UI', 'application/json; charset=utf-8'];

const ZEROS = Buffer.alloc(64 * 1024);

function randomBlock(r, n) { // n: multiple of 4
  const u = new Uint32Array(n >>> 2);
  for (let i = 0; i < u.length; i++) u[i] = r.u32();
  return Buffer.from(u.buffer);
}

function pointerBlock(r, n) { // little-endian 64-bit user-mode pointers
  const u = new Uint32Array(n >>> 2);
  const base = 0x7ff6_0000 + r.int(0x1_0000);
  for (let i = 0; i < u.length; i += 2) { u[i] = (r.u32() & ~7) >>> 0; u[i + 1] = r.chance(0.7) ? 0x7ff : base & 0xffff; }
  return Buffer.from(u.buffer);
}

function pad16(buf) {
  const extra = (16 - (buf.length % 16)) % 16;
  return extra ? Buffer.concat([buf, ZEROS.subarray(0, extra)]) : buf;
}

function stringsBlock(r, utf16, planted) {
  const parts = [];
  const n = r.range(20, 120);
  for (let i = 0; i < n; i++) {
    const k = r.int(6);
    parts.push(k < 3 ? r.pick(DUMP_STRINGS) : k === 3 ? otherEmail(r) : k === 4 ? r.pick(DISPLAY) : sentence(r, r.range(3, 10)));
  }
  if (planted) parts.splice(r.int(parts.length), 0, planted);
  const s = parts.join('\0') + '\0';
  return pad16(Buffer.from(s, utf16 ? 'utf16le' : 'latin1'));
}

// Dump plants: which identifier, and in which encoding (cycled through).
const DUMP_FORMS = [
  { form: 'email-utf16le', value: EMAIL, utf16: true },
  { form: 'name-utf16le', value: NAME, utf16: true },
  { form: 'email-ascii', value: EMAIL, utf16: false },
  { form: 'guid-utf16le', value: GUID, utf16: true },
  { form: 'account-id-ascii', value: ACCOUNT, utf16: false },
];

async function writeDump(file, rel, bytes, rng, plants, formOffset) {
  const out = fs.createWriteStream(file);
  const targets = Array.from({ length: plants }, () => Math.floor((rng.u32() / 4294967296) * bytes)).sort((a, b) => a - b);
  const planted = [];
  const header = Buffer.alloc(4096);
  header.write('MDMP', 0, 'latin1');
  header.writeUInt32LE(0xa793, 4);
  randomBlock(rng, 1024).copy(header, 64);
  await write(out, header);
  let written = header.length, p = 0;
  while (written < bytes || p < targets.length) {
    let block;
    if (p < targets.length && written >= targets[p]) {
      const f = DUMP_FORMS[(p + formOffset) % DUMP_FORMS.length];
      block = stringsBlock(rng, f.utf16, f.value);
      const at = block.indexOf(Buffer.from(f.value, f.utf16 ? 'utf16le' : 'latin1'));
      planted.push({ file: rel, offset: written + at, form: f.form });
      p++;
    } else {
      const k = rng.int(100);
      if (k < 25) block = ZEROS.subarray(0, 4096 * rng.range(1, 16));
      else if (k < 55) block = randomBlock(rng, 4096 * rng.range(1, 8));
      else if (k < 70) block = pointerBlock(rng, 16 * rng.range(64, 1024));
      else block = stringsBlock(rng, k >= 85, null);
    }
    await write(out, block);
    written += block.length;
  }
  out.end();
  await finished(out);
  return planted;
}

// ---------------------------------------------------------------- PDFs
// Written by hand as PDF 1.4, the way report engines write statements and exports: the standard
// Type1 fonts Helvetica and Helvetica-Bold (not embedded) with WinAnsiEncoding, one FlateDecode
// content stream per page with several text-showing operators per line (Tj, and TJ arrays with
// kerning between pieces of words), an information dictionary, a classic cross-reference table.

// WinAnsiEncoding is Latin-1 from 0xA0 up, plus these in 0x80–0x9F.
const WIN_ANSI = new Map([['€', 0x80], ['‘', 0x91], ['’', 0x92], ['“', 0x93], ['”', 0x94], ['–', 0x96], ['—', 0x97]]);

/** A literal string: WinAnsi codes, `\`, `(` and `)` escaped, codes above 126 in octal, `?` for what WinAnsi lacks. */
function pdfString(s) {
  let out = '(';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    const code = c < 0x80 || (c >= 0xa0 && c <= 0xff) ? c : WIN_ANSI.get(ch) ?? 0x3f;
    if (code === 0x28 || code === 0x29 || code === 0x5c) out += '\\' + ch;
    else out += code > 126 ? '\\' + code.toString(8) : String.fromCharCode(code);
  }
  return out + ')';
}
const tj = (s) => `${pdfString(s)} Tj`;
const hexTj = (s) => `<${Buffer.from(s, 'latin1').toString('hex').toUpperCase()}> Tj`;

/** A TJ: the text cut every few characters, with kerning adjustments (thousandths of an em) in between. */
function kernedTj(r, s) {
  const items = [];
  for (let at = 0; at < s.length;) {
    const n = r.range(2, 9);
    items.push(pdfString(s.slice(at, at + n)));
    at += n;
    if (at < s.length) items.push(String(r.range(-40, 30) || 10)); // a 0 would be pointless
  }
  return `[${items.join(' ')}] TJ`;
}

/** Running text as two or three operators in a row (no move between them): Tj and kerned TJ. */
function proseShows(r, text) {
  const words = text.split(' ');
  const cuts = [...new Set([0, r.int(words.length), r.int(words.length)])].sort((a, b) => a - b);
  return cuts.map((from, i) => {
    const piece = words.slice(from, cuts[i + 1] ?? words.length).join(' ') + (i < cuts.length - 1 ? ' ' : '');
    return r.chance(0.5) ? kernedTj(r, piece) : tj(piece);
  });
}

const PDF_NAMES = DISPLAY.filter((n) => [...n].every((ch) => ch.codePointAt(0) <= 0xff));
const PAYEES = ['CONTOSO SHOP', 'Fabrikam Energy', 'Northwind Traders', 'Tailspin Toys', 'Wingtip Toys', 'Litware Inc.',
  'Adventure Works Cycles', 'City Parking', 'Coffee Corner'];
const ITEMS = ['Replacement charger', 'USB-C cable 2 m', 'Extended warranty (24 months)', 'Express shipping', 'Wireless mouse',
  'Laptop sleeve 14"', 'Screen protector', 'Support plan — premium', 'Keyboard (DE layout)', 'Restocking fee'];

const day = (r, month) => `2024-${String(month).padStart(2, '0')}-${String(r.range(1, 28)).padStart(2, '0')}`;
const amount = (r, max) => `${r.range(0, max).toLocaleString('en-US')}.${String(r.int(100)).padStart(2, '0')}`;

// Forms of the subject's identifiers planted in PDFs (cycled through), each a line of a page, except
// `title-name`, which is the document's Title. `email-kerned` and `email-split` are cut across
// pieces of a TJ and across two Tj's, `name-split` is two Tj's apart on one line, `account-id-hex`
// a hex string.
const PDF_FORMS = ['email', 'phone-dots', 'name', 'account-id', 'email-kerned', 'name-upper', 'guid-lower', 'email-upper',
  'phone', 'name-split', 'account-id-hex', 'email-split', 'name-ascii', 'title-name'];

/** A planted line: cells of [x, show…], shows being operators that draw text. */
function pdfPlant(r, form) {
  const at = (label, ...shows) => [[50, tj(label)], [170, ...shows]];
  switch (form) {
    case 'email': return at('Contact e-mail:', tj(EMAIL));
    case 'email-upper': return at('Notification sent to:', tj(EMAIL.toUpperCase()));
    case 'email-kerned': return at('Reply-To:', kernedTj(r, EMAIL));
    case 'email-split': return at('Billing contact:', tj(EMAIL.slice(0, 11)), tj(EMAIL.slice(11)));
    case 'phone': return at('Phone:', tj(PHONE));
    case 'phone-dots': return at('Callback number:', tj('415.555.0115'));
    case 'name': return at('Customer:', tj(NAME));
    case 'name-upper': return at('Account holder:', tj(NAME.toUpperCase()));
    case 'name-split': return [[50, tj('Requested by:')], [170, tj(NAME.split(' ')[0])], [190, tj(NAME.split(' ')[1])]];
    case 'name-ascii': return at('Recipient:', tj(NAME.normalize('NFD').replace(/\p{M}/gu, '')));
    case 'account-id': return at('Account number:', tj(ACCOUNT));
    case 'account-id-hex': return at('Customer reference:', hexTj(ACCOUNT));
    case 'guid-lower': return at('Registered device:', tj(GUID.toLowerCase()));
  }
  throw new Error(`unknown form ${form}`);
}

/**
 * The lines of one document: `{ cells, size, bold, gap }`, cells being [x, show…]. Statements,
 * invoices and ticket exports, of one to eight pages.
 */
function pdfLines(r, kind, index) {
  const lines = [];
  const add = (cells, opts = {}) => lines.push({ cells, size: 9, ...opts });
  const text = (x, s) => [x, tj(s)];
  const month = 1 + (index % 12);
  const name = r.pick(PDF_NAMES), email = otherEmail(r), account = otherAccount(r);
  if (kind === 'statement') {
    add([text(50, 'Contoso Bank')], { size: 16, bold: true });
    add([text(50, `Account statement ${month}/2024`)], { size: 12, bold: true, gap: 4 });
    add([text(50, name), text(330, 'Account:'), text(400, account)], { gap: 10 });
    add([text(50, `${r.range(1, 250)} Market Street`), text(330, 'E-mail:'), text(400, email)]);
    add([text(50, `Springfield ${r.range(10000, 99999)}`), text(330, 'Phone:'), text(400, otherPhone(r))]);
    add(['Date', 'Description', 'Reference', 'Amount', 'Balance'].map((h, i) => text([50, 110, 300, 410, 490][i], h)), { bold: true, gap: 12 });
    let balance = r.range(100, 9000);
    const rows = r.range(40, 400);
    for (let i = 0; i < rows; i++) {
      const k = r.int(5);
      const what = k === 0 ? `Transfer to ${r.pick(PDF_NAMES)}` : k === 1 ? `Refund ORDER-${r.range(100000, 999999)}` : `Card payment ${r.pick(PAYEES)}`;
      const sum = amount(r, 900);
      balance += (k === 1 ? 1 : -1) * Number(sum.replace(/,/g, ''));
      add([text(50, day(r, month)), [110, r.chance(0.3) ? kernedTj(r, what) : tj(what)], [300, hexTj(r.hex(10).toUpperCase())],
        [410, kernedTj(r, `${k === 1 ? '' : '-'}${sum} €`)], text(490, `${balance.toFixed(2)} €`)]);
    }
  } else if (kind === 'invoice') {
    add([text(50, 'Fabrikam Ltd')], { size: 16, bold: true });
    add([text(50, `Invoice INV-2024-${String(index).padStart(6, '0')}`), text(400, `Date: ${day(r, month)}`)], { size: 11, bold: true, gap: 4 });
    add([text(50, 'Bill to:'), text(110, name)], { gap: 10 });
    add([text(110, email), text(330, 'Customer no.:'), text(400, account)]);
    add(['Item', 'Qty', 'Unit price', 'Total'].map((h, i) => text([50, 330, 400, 490][i], h)), { bold: true, gap: 12 });
    let total = 0;
    const items = r.range(5, 120);
    for (let i = 0; i < items; i++) {
      const qty = r.range(1, 9), unit = r.range(2, 400) + r.int(100) / 100;
      total += qty * unit;
      add([[50, kernedTj(r, r.pick(ITEMS))], text(330, String(qty)), text(400, `${unit.toFixed(2)} EUR`), text(490, `${(qty * unit).toFixed(2)} EUR`)]);
    }
    add([text(400, 'Total'), text(490, `${total.toFixed(2)} EUR`)], { bold: true, gap: 6 });
    for (let i = r.range(3, 12); i > 0; i--) add([[50, ...proseShows(r, sentence(r, r.range(10, 16)))]], { size: 8 });
  } else {
    add([text(50, `Support ticket SUP-${r.range(10000, 99999)}`)], { size: 14, bold: true });
    add([text(50, sentence(r, r.range(4, 8)))], { size: 11, gap: 4 });
    add([text(50, 'Status:'), text(110, r.pick(['open', 'pending', 'solved', 'closed'])), text(330, 'Requester:'), text(400, email)], { gap: 10 });
    const messages = r.range(4, 40);
    for (let i = 0; i < messages; i++) {
      const from = r.chance(0.5) ? `${name} <${email}>` : `Contoso Support <support@contoso.com>`;
      add([text(50, `From: ${from}`), text(400, `${day(r, month)} ${r.range(8, 19)}:${String(r.int(60)).padStart(2, '0')}`)], { bold: true, gap: 8 });
      for (let j = r.range(2, 9); j > 0; j--) add([[50, ...proseShows(r, sentence(r, r.range(10, 17)))]]);
    }
  }
  return lines;
}

/** One line of text at height `y`: the font, then each cell's move and its text-showing operators. */
function textLine(y, { cells, size, bold }) {
  let x = 0;
  const parts = [`BT /${bold ? 'F2' : 'F1'} ${size} Tf`];
  for (const [cx, ...shows] of cells) {
    parts.push(x === 0 ? `${cx} ${y} Td` : `${cx - x} 0 Td`, ...shows);
    x = cx;
  }
  return parts.join(' ') + ' ET';
}

/** Lines cut into A4 pages with a header and a footer: each page's content stream (text), and the page of each plant. */
function pdfPages(lines, header) {
  const pages = [];
  const planted = [];
  let y = 0;
  for (const line of lines) {
    const height = line.size + 4 + (line.gap ?? 0);
    if (pages.length === 0 || y - height < 60) {
      y = 790;
      pages.push([textLine(810, { cells: [[50, tj(header)]], size: 7 })]);
    }
    y -= height;
    pages.at(-1).push(textLine(y, line));
    if (line.plant) planted.push({ page: pages.length, form: line.plant });
  }
  const contents = pages.map((ops, i) => {
    const footer = { cells: [[50, tj(`${header} — confidential`)], [480, tj(`Page ${i + 1} of ${pages.length}`)]], size: 7 };
    return [...ops, textLine(40, footer)].join('\n') + '\n';
  });
  return { contents, planted };
}

/** A whole PDF file: catalog, page tree, two fonts, the information dictionary, pages with deflated content. */
function pdfFile(contents, info, id) {
  const font = (name) => `<< /Type /Font /Subtype /Type1 /BaseFont /${name} /Encoding /WinAnsiEncoding >>`;
  const pageObj = (i) => 6 + 2 * i;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${contents.map((_, i) => `${pageObj(i)} 0 R`).join(' ')}] /Count ${contents.length} >>`,
    font('Helvetica'),
    font('Helvetica-Bold'),
    `<< ${Object.entries(info).map(([k, v]) => `/${k} ${pdfString(v)}`).join(' ')} >>`,
  ];
  for (const [i, content] of contents.entries()) {
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> ` +
      `/ProcSet [/PDF /Text] >> /Contents ${pageObj(i) + 1} 0 R >>`);
    const data = deflateSync(Buffer.from(content, 'latin1'));
    objects.push(Buffer.concat([Buffer.from(`<< /Length ${data.length} /Filter /FlateDecode >>\nstream\n`), data, Buffer.from('\nendstream')]));
  }
  const parts = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let at = parts[0].length;
  const offsets = objects.map((body, i) => {
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'), Buffer.from('\nendobj\n')]);
    parts.push(obj);
    const offset = at;
    at += obj.length;
    return offset;
  });
  const xref = ['xref', `0 ${objects.length + 1}`, '0000000000 65535 f ', ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `)];
  parts.push(Buffer.from(`${xref.join('\n')}\ntrailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R /ID [<${id}> <${id}>] >>\n` +
    `startxref\n${at}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

const PDF_KINDS = [
  { kind: 'statement', folder: 'statements', title: 'Account statement', author: 'Contoso Bank' },
  { kind: 'invoice', folder: 'invoices', title: 'Invoice', author: 'Fabrikam Ltd' },
  { kind: 'ticket', folder: 'tickets', title: 'Support ticket export', author: 'Contoso Support' },
];

/** One document; `forms`: the subject's forms to plant in it. Returns the file's bytes and where each form went. */
function makePdf(r, index, forms) {
  const { kind, title, author } = PDF_KINDS[index % PDF_KINDS.length];
  const lines = pdfLines(r, kind, index);
  for (const form of forms) {
    if (form !== 'title-name') lines.splice(r.range(1, lines.length), 0, { cells: pdfPlant(r, form), size: 9, plant: form });
  }
  const { contents, planted } = pdfPages(lines, `${author} · ${title}`);
  const info = {
    Title: forms.includes('title-name') ? `${title} for ${NAME}` : `${title} ${index}`,
    Author: author, Creator: 'ContosoDocs ReportServer 7.4', Producer: 'ContosoDocs PDF 3.1',
    CreationDate: `D:2024${String(1 + (index % 12)).padStart(2, '0')}14093000Z`,
  };
  if (forms.includes('title-name')) planted.push({ metadata: 'Title', form: 'title-name' });
  return { bytes: pdfFile(contents, info, r.hex(32).toUpperCase()), planted };
}

const PDF_AVERAGE_BYTES = 9 * 1024; // measured: documents average 3.3 pages of 2.8 KB

async function writePdfs(dir, relDir, bytes, rng) {
  for (const { folder } of PDF_KINDS) fs.mkdirSync(path.join(dir, folder), { recursive: true });
  const every = Math.max(3, Math.round(bytes / PDF_AVERAGE_BYTES / 40)); // ~40 documents with the subject at scale 1.0
  const planted = [];
  let written = 0, files = 0, forms = 0;
  for (let i = 0; written < bytes; i++) {
    const plant = i % every === every - 1 ? [0, 1].map(() => PDF_FORMS[forms++ % PDF_FORMS.length]) : [];
    const doc = makePdf(rng, i, plant);
    const { kind, folder } = PDF_KINDS[i % PDF_KINDS.length];
    const rel = `${folder}/${kind}-${String(i).padStart(6, '0')}.pdf`;
    await fs.promises.writeFile(path.join(dir, rel), doc.bytes);
    written += doc.bytes.length;
    files++;
    for (const p of doc.planted) planted.push({ file: `${relDir}/${rel}`, ...p });
  }
  return { planted, files };
}

// ---------------------------------------------------------------- requests

function writeRequests(dir, rng) {
  fs.mkdirSync(dir, { recursive: true });
  const absent = new Set();
  while (absent.size < 995) absent.add(`CUST7${String(rng.int(10_000_000)).padStart(7, '0')}`);
  const small = { id: 'DSR-BENCH-0005', subject: SUBJECT };
  const large = { id: 'DSR-BENCH-1000', subject: { ...SUBJECT, ids: [...SUBJECT.ids, ...absent] } };
  const literals = (req) => Object.values(req.subject).flat().join('\n') + '\n';
  const files = {};
  for (const [key, req] of Object.entries({ small, large })) {
    const count = Object.values(req.subject).flat().length;
    const base = `subject-${count}`;
    fs.writeFileSync(path.join(dir, `${base}.json`), JSON.stringify(req, null, 2) + '\n');
    fs.writeFileSync(path.join(dir, `${base}.literals.txt`), literals(req));
    files[key] = { identifiers: count, request: `requests/${base}.json`, literals: `requests/${base}.literals.txt` };
  }
  return files;
}

// ---------------------------------------------------------------- driver

function linkTree(src, dst) {
  for (const ent of fs.readdirSync(src, { withFileTypes: true })) {
    const s = path.join(src, ent.name), d = path.join(dst, ent.name);
    if (ent.isDirectory()) { fs.mkdirSync(d, { recursive: true }); linkTree(s, d); }
    else { try { fs.linkSync(s, d); } catch { fs.copyFileSync(s, d); } }
  }
}

function hasCommand(cmd) {
  return !spawnSync(cmd, ['-v'], { stdio: 'ignore' }).error;
}

export async function generate(cfg = config(), dir = CORPUS_DIR, log = console.log) {
  const t0 = performance.now();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const need = Object.values(cfg.bytes).reduce((a, b) => a + b, 0);
  const free = fs.statfsSync(dir).bavail * fs.statfsSync(dir).bsize;
  if (free < need * 1.2) throw new Error(`not enough disk space in ${dir}: need ~${(need / MiB).toFixed(0)} MB, ${(free / MiB).toFixed(0)} MB free`);
  const store = path.join(dir, 'store');
  const start = Date.UTC(2024, 2, 1);
  const datasets = [];
  const planted = {};
  const done = (name, what) => log(`  ${name}: ${what} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  log(`generating corpus in ${path.relative(process.cwd(), dir) || '.'} (scale ${cfg.scale}, seed ${cfg.seed}, ~${(need / MiB).toFixed(0)} MB)`);

  // 1. plain application log
  {
    const eng = 'ENG-1001-webshop-logs';
    fs.mkdirSync(path.join(store, eng), { recursive: true });
    const rel = `${eng}/app.log`;
    planted.log = await writeLog(path.join(store, rel), rel, cfg.bytes.log, new Rng(cfg.seed, 'log'), 200, start);
    datasets.push({ name: 'log', label: 'plain log', engagements: [eng] });
    done('log', `${rel}, ${planted.log.length} planted lines`);
  }
  // 2. e-mails
  {
    const eng = 'ENG-1002-mailbox-export';
    const res = await writeMails(path.join(store, eng), eng, cfg.bytes.mail, new Rng(cfg.seed, 'mail'), start);
    planted.mail = res.planted;
    datasets.push({ name: 'mail', label: 'e-mails (.eml)', engagements: [eng] });
    done('mail', `${res.files} .eml files, ${res.planted.length} with the subject`);
  }
  // 3. binary dumps
  {
    const eng = 'ENG-1003-crash-dumps';
    fs.mkdirSync(path.join(store, eng), { recursive: true });
    const rng = new Rng(cfg.seed, 'dumps');
    const count = Math.max(2, Math.round(25 * cfg.scale));
    planted.dumps = [];
    for (let i = 0; i < count; i++) {
      const rel = `${eng}/ContosoShop-${String(i + 1).padStart(3, '0')}.dmp`;
      const plants = i % 3 === 2 ? 0 : 3; // a third of the dumps hold nothing of the subject
      planted.dumps.push(...await writeDump(path.join(store, rel), rel, Math.round(cfg.bytes.dumps / count), rng, plants, i));
    }
    datasets.push({ name: 'dumps', label: 'binary dumps (.dmp)', engagements: [eng] });
    done('dumps', `${count} .dmp files, ${planted.dumps.length} planted strings`);
  }
  // 4. zip bundle of logs (needs the `zip` command)
  if (hasCommand('zip')) {
    const eng = 'ENG-1004-support-bundle';
    const tmp = path.join(dir, 'tmp-zip');
    fs.mkdirSync(path.join(tmp, 'logs'), { recursive: true });
    fs.mkdirSync(path.join(store, eng), { recursive: true });
    const rng = new Rng(cfg.seed, 'zip');
    const zipName = 'support-bundle-2024-03-14.zip';
    const members = [];
    let contentBytes = 0;
    planted.zip = [];
    for (let i = 0; i < 5; i++) {
      const m = `logs/${['api', 'worker', 'gateway', 'billing', 'mobile-sync'][i]}.log`;
      const found = await writeLog(path.join(tmp, m), `${eng}/${zipName}!${m}`, Math.round(cfg.bytes.zip / 5), rng, 6, start, i);
      fs.utimesSync(path.join(tmp, m), new Date(start), new Date(start)); // fixed times: same bytes every run
      planted.zip.push(...found);
      members.push(m);
      contentBytes += fs.statSync(path.join(tmp, m)).size;
    }
    const zr = spawnSync('zip', ['-q', '-X', '-D', path.join(store, eng, zipName), ...members], { cwd: tmp, stdio: 'inherit' });
    fs.rmSync(tmp, { recursive: true, force: true });
    if (zr.status !== 0) throw new Error(`zip failed (exit ${zr.status})`);
    datasets.push({ name: 'zip', label: 'zip bundle (logs)', engagements: [eng], zipMembers: members.length, zipContentBytes: contentBytes });
    done('zip', `${eng}/${zipName}, ${members.length} members, ${planted.zip.length} planted lines`);
  } else {
    log('  zip: skipped — the `zip` command is not installed (apt-get install zip)');
  }

  // 5. PDFs
  {
    const eng = 'ENG-1005-pdf-statements';
    const res = await writePdfs(path.join(store, eng), eng, cfg.bytes.pdf, new Rng(cfg.seed, 'pdf'));
    planted.pdf = res.planted;
    datasets.push({ name: 'pdf', label: 'PDFs (.pdf)', engagements: [eng] });
    done('pdf', `${res.files} .pdf files, ${res.planted.length} planted places`);
  }

  // per-dataset stores (hard links) and the whole corpus
  for (const ds of datasets) {
    const setDir = path.join(dir, 'sets', ds.name);
    for (const eng of ds.engagements) {
      fs.mkdirSync(path.join(setDir, eng), { recursive: true });
      linkTree(path.join(store, eng), path.join(setDir, eng));
    }
    Object.assign(ds, { store: `sets/${ds.name}`, ...measure(setDir, ds) });
  }
  const all = { name: 'all', label: 'whole corpus', store: 'store', engagements: datasets.flatMap((d) => d.engagements) };
  Object.assign(all, {
    files: datasets.reduce((a, d) => a + d.files, 0), artifacts: datasets.reduce((a, d) => a + d.artifacts, 0),
    diskBytes: datasets.reduce((a, d) => a + d.diskBytes, 0), bytes: datasets.reduce((a, d) => a + d.bytes, 0),
  });
  datasets.push(all);

  const requests = writeRequests(path.join(dir, 'requests'), new Rng(cfg.seed, 'requests'));
  const seconds = (performance.now() - t0) / 1000;
  const manifest = { ...cfg, generatedSeconds: Number(seconds.toFixed(1)), subject: SUBJECT, requests, datasets, planted };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, 'stamp.json'), JSON.stringify(cfg) + '\n');
  log(`corpus ready: ${(all.diskBytes / MiB).toFixed(0)} MB on disk in ${all.files} files, ${seconds.toFixed(1)} s`);
  return manifest;
}

// files on disk; artifacts and bytes count each zip member (uncompressed) as searched content
function measure(dir, ds) {
  let files = 0, diskBytes = 0;
  const walk = (d) => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) walk(p);
      else { files++; diskBytes += fs.statSync(p).size; }
    }
  };
  walk(dir);
  if (!ds.zipMembers) return { files, artifacts: files, diskBytes, bytes: diskBytes };
  return { files, artifacts: ds.zipMembers, diskBytes, bytes: ds.zipContentBytes };
}

// Returns the manifest, generating the corpus first unless the stamp matches.
export async function ensureCorpus(cfg = config(), dir = CORPUS_DIR, log = console.log) {
  try {
    const stamp = fs.readFileSync(path.join(dir, 'stamp.json'), 'utf8');
    if (stamp.trim() === JSON.stringify(cfg)) {
      log(`corpus up to date in ${path.relative(process.cwd(), dir) || '.'} (scale ${cfg.scale}, seed ${cfg.seed})`);
      return JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    }
  } catch { /* no corpus yet */ }
  return generate(cfg, dir, log);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  ensureCorpus().catch((err) => { console.error(`generate: ${err.message}`); process.exit(1); });
}
