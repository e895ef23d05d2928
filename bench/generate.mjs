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
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const CORPUS_DIR = path.join(BENCH_DIR, 'corpus');
const VERSION = 2;
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
  return { version: VERSION, seed, scale, bytes: { log: mb(1024), mail: mb(200), dumps: mb(500), zip: mb(50) } };
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
