/**
 * Each detector: texts where it must find the value (positives) and texts where it must find
 * nothing of its type (negatives, mostly look-alikes from logs and tickets).
 */
import { describe, expect, test } from 'vitest';
import { loadDetector } from '../../src/detect/load.js';
import type { EntityType } from '../../detectors/pii/types.js';

const detector = await loadDetector();
const found = (text: string) => detector.detect(text).map((e) => [e.type, text.slice(e.start, e.end)]);

const TABLE: Partial<Record<EntityType, { yes: [string, string][]; no: string[] }>> = {
  PERSON: {
    yes: [
      ['Customer Ava Chen opened a ticket.', 'Ava Chen'],
      ['From: Jan Kowalski <jan.kowalski@fabrikam.com>', 'Jan Kowalski'],
      ['Thanks,\nPriya Raman', 'Priya Raman'],
      ['Dear Dr. Anika Patel,', 'Anika Patel'],
      ['{"author":"Hannah Weber","body":"ok"}', 'Hannah Weber'],
      ['<v Helen Park>Hi, I was charged twice.', 'Helen Park'],
      ['AVA CHEN: Good morning, Contoso support.', 'AVA CHEN'],
      ['1003,51022894,Jan Kowalski,jan@example.com,PL', 'Jan Kowalski'],
      ['"Chen, Ava",ava.chen@fabrikam.com,US', 'Chen, Ava'],
      ['"html":"Hello Zo\\u00eb M\\u00fcller, welcome"', 'Zo\\u00eb M\\u00fcller'],
    ],
    no: [
      '[WARN] com.contoso.billing.InvoiceJob - Will retry in 5s',
      'at com.contoso.billing.UserService.getUser(UserService.java:142)',
      'Jenkins build #4512 finished SUCCESS (Docker image contoso/shop:2.14.3)',
      'INFO ERROR WARN DEBUG TRACE',
      'The Washington Post reported on Apple.',
      'Kind regards,\nNorthwind Traders Accounts Payable',
      'Dear customer, your order has shipped.',
      'See /home/Alice/reports and https://wiki.example.com/David_Smith',
    ],
  },
  EMAIL_ADDRESS: {
    yes: [
      ['user=ava.chen@fabrikam.com ip=1.2.3.4', 'ava.chen@fabrikam.com'],
      ['GET /orders?email=jan.kowalski%40fabrikam.com&page=1', 'jan.kowalski%40fabrikam.com'],
      ["VALUES ('k.fischer@example.de')", 'k.fischer@example.de'],
      ['reply to k.tanaka+shop@example.jp.', 'k.tanaka+shop@example.jp'],
      ['<a href="mailto:zoey.muller&#64;contoso.com">', 'zoey.muller&#64;contoso.com'],
    ],
    no: [
      'Message-ID: <CAH7x0qT4f2Lm9@mail.contoso.com>',
      'cid:image001.png@01D9A2B3.4C5D6E70',
      'git@github',
      'user@localhost',
    ],
  },
  PHONE_NUMBER: {
    yes: [
      ['call me at (206) 555-0199 please', '(206) 555-0199'],
      ['Phone: +44 20 7946 0958', '+44 20 7946 0958'],
      ['sms queued to=+1 (415) 555-2414 template=x', '+1 (415) 555-2414'],
      ['1001,30017742,Ava Chen,+1 (206) 555-0199,US', '+1 (206) 555-0199'],
      ['Emergency contact: +61 2 9876 5432', '+61 2 9876 5432'],
      ['my mobile is 4155550132, call after 5', '4155550132'],
    ],
    no: [
      'order_id=4155550115 total=129.00',
      '"GET /api HTTP/1.1" 200 38741 "-"',
      'invoice 2026-000341 due 2026-03-31',
      'order 20260301-0042 shipped',
      'client 10.20.30.40 version 1.9.3.2',
      'psp_ref=8815620347193207 code=05',
    ],
  },
  IP_ADDRESS: {
    yes: [
      ['login ok ip=203.0.113.24 mfa=totp', '203.0.113.24'],
      ['rate limit client=2a02:c7f:7e2c:1f00::2 bucket=api', '2a02:c7f:7e2c:1f00::2'],
      ['remote_addr=135.250.114.142:51544', '135.250.114.142'],
    ],
    no: [
      'GET /metrics from 127.0.0.1',
      'listen=0.0.0.0:8443 mask=255.255.255.0',
      'client_version=1.9.3.2 build 20260227.4',
      'Chrome/122.0.0.0 Safari/537.36',
      'at 10:11:12 mac 00:1a:2b:3c:4d:5e std::vector',
    ],
  },
  CREDIT_CARD: {
    yes: [
      ['card 4111 1111 1111 1111 exp 09/28', '4111 1111 1111 1111'],
      ['Amex 3782 822463 10005', '3782 822463 10005'],
      ['card number 6011-0009-9013-9424 stolen', '6011-0009-9013-9424'],
      ['payment card pan=4012888888881881', '4012888888881881'],
    ],
    no: ['order 1234567890123456', 'card 4111 1111 1111 1112', 'ref 4012888888881881 batch', 'epoch 1709251200000'],
  },
  IBAN_CODE: {
    yes: [
      ['IBAN GB82 WEST 1234 5698 7654 32, sort code', 'GB82 WEST 1234 5698 7654 32'],
      ['payout_iban=BE68539007547034 status=pending', 'BE68539007547034'],
      ['refund to DE89 3704 0044 0532 0130 00 THANKS', 'DE89 3704 0044 0532 0130 00'],
    ],
    no: ['GB82 WEST 1234 5698 7654 33', 'Reference GB82 invoice WEST-1234'],
  },
  US_SSN: {
    yes: [
      ['SSN: 536-22-1234, DOB 1984-07-12', '536-22-1234'],
      ['ssn=772104455 state=CA', '772104455'],
    ],
    no: ['SSN 078-05-1120 (the sample card)', 'serial 987-65-4321', 'part 123-45-6789-B', 'id 000-12-3456', 'run 772104455 rows'],
  },
  UK_NHS: {
    yes: [['NHS number 943 476 5919, GP', '943 476 5919']],
    no: ['NHS number 943 476 5918', 'ticket 9434765919 closed'],
  },
  ES_NIF: { yes: [['DNI 12345678Z, titular', '12345678Z']], no: ['DNI 12345678A', 'Transaction 87654321X approved'] },
  ES_NIE: { yes: [['NIE X1234567L', 'X1234567L']], no: ['NIE X1234567A'] },
  IT_FISCAL_CODE: { yes: [['Codice fiscale: RSSMRA85T10A562S', 'RSSMRA85T10A562S']], no: ['code RSSMRA85T10A562T'] },
  PL_PESEL: { yes: [['PESEL: 44051401359', '44051401359']], no: ['PESEL: 44051401358', 'artifact 44051401359 built'] },
  FI_PERSONAL_IDENTITY_CODE: { yes: [['Henkilötunnus 131052-308T', '131052-308T']], no: ['ref 131052-308U'] },
  URL: {
    yes: [
      ['Runbook: https://wiki.contoso.com/runbooks/checkout-errors.', 'https://wiki.contoso.com/runbooks/checkout-errors'],
      ['([docs](https://example.com/a_(b)))', 'https://example.com/a_(b)'],
      ['see www.contoso.com/help, thanks', 'www.contoso.com/help'],
      ['"url":"https:\\/\\/shop.contoso.com\\/account"', 'https:\\/\\/shop.contoso.com\\/account'],
    ],
    no: ['s3://bucket/key', 'file:///etc/hosts', 'http://'],
  },
  GUID: {
    yes: [['request_id=7c9e6679-7425-40de-944b-e07fc1f90ae7 span', '7c9e6679-7425-40de-944b-e07fc1f90ae7']],
    no: ['nil 00000000-0000-0000-0000-000000000000', 'md5 d41d8cd98f00b204e9800998ecf8427e'],
  },
  SECRET: {
    yes: [
      ['DB_PASSWORD=q7Lk2pVx9mWz', 'q7Lk2pVx9mWz'],
      ['{"client_secret":"9sQ2vX7mK4pL1zR8tW3yB6nC0dF5gH2j"}', '9sQ2vX7mK4pL1zR8tW3yB6nC0dF5gH2j'],
      ['aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'],
      ['export GITHUB_TOKEN=ghp_R2x9Lm4Qp7Vw1Zk8Tn3Bc6Yd0Fh5Js2Ga4Ue', 'ghp_R2x9Lm4Qp7Vw1Zk8Tn3Bc6Yd0Fh5Js2Ga4Ue'],
      ['bot_token: xoxb-3021987465123-5519034781234-Qw8eRt6yUi4oPa2sDf0gHj9k', 'xoxb-3021987465123-5519034781234-Qw8eRt6yUi4oPa2sDf0gHj9k'],
      ['secret_key: sk_live_51HqLyjWDarjtT1zdp7dcXk6B0cQr8sTuVw', 'sk_live_51HqLyjWDarjtT1zdp7dcXk6B0cQr8sTuVw'],
      ['key: "AIzaSyD4fG7hJ2kL9mN0pQ3rS6tU8vW1xY5zA7b"', 'AIzaSyD4fG7hJ2kL9mN0pQ3rS6tU8vW1xY5zA7b'],
      [
        'Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      ],
      ['-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----', '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----'],
      ['dsn=postgres://app:S3cr3t!pw@db.internal:5432/shop ok', 'postgres://app:S3cr3t!pw@db.internal:5432/shop'],
      ['GET https://x.blob.core.windows.net/r/a.csv?sv=2022-11-02&sig=Qm9ndXNTaWduYXR1cmU%3D 200', 'https://x.blob.core.windows.net/r/a.csv?sv=2022-11-02&sig=Qm9ndXNTaWduYXR1cmU%3D'],
      ['I changed my password to Tr0ub4dor&3 and', 'Tr0ub4dor&3'],
      ['mysql -u root -pHunter2Hunter2 -h db shop', 'Hunter2Hunter2'],
    ],
    no: [
      'DB_PASSWORD=changeme',
      'API_KEY=<your-api-key-here>',
      'SMTP_PASSWORD=${SMTP_PASSWORD}',
      '{"password":"********"}',
      'password: <redacted>\ntoken: null',
      'publishable_key: pk_live_51HqLyjWDarjtT1zdp7dcXk6B0cPkLm',
      'the password is incorrect, try again',
      '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----',
      'commit 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b',
    ],
  },
};

describe.each(Object.entries(TABLE))('%s', (type, { yes, no }) => {
  test.each(yes)('finds it in %j', (text, value) => {
    expect(found(text)).toContainEqual([type, value]);
  });
  test.each(no.map((t) => [t]))('finds none in %j', (text) => {
    expect(found(text).filter(([t]) => t === type)).toEqual([]);
  });
});

test('offsets are UTF-16 code units of the text, end exclusive', () => {
  const text = '😀 Ava Chen: call +1 (206) 555-0199';
  const entities = detector.detect(text);
  expect(entities.map((e) => text.slice(e.start, e.end))).toEqual(['Ava Chen', '+1 (206) 555-0199']);
  expect(entities[0]!.start).toBe(3);
});

test('of two entities over the same text the better one stays: a URL with a token is one SECRET', () => {
  const text = 'link https://files.example.com/s?token=Zx8Kq2Lm7Vp4Rt1W expires';
  expect(found(text)).toEqual([['SECRET', 'https://files.example.com/s?token=Zx8Kq2Lm7Vp4Rt1W']]);
});

test('context words decide for weak forms: a bare run of digits is a card only next to "card"', () => {
  expect(found('order 4012888888881881 shipped')).toEqual([]);
  expect(found('card number 4012888888881881')).toEqual([['CREDIT_CARD', '4012888888881881']]);
});

test('a typed placeholder is no context word: re-reading an access copy finds nothing new', () => {
  const original = 'sms queued to=+1 (415) 555-2414 template=order_shipped msg_id=351154519376';
  expect(found(original)).toEqual([['PHONE_NUMBER', '+1 (415) 555-2414']]);
  // "[PHONE_NUMBER]" holds the context word "phone", and stands within reach of the id.
  expect(found('sms queued to=[PHONE_NUMBER] template=order_shipped msg_id=351154519376')).toEqual([]);
});
