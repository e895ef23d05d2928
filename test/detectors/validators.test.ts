/**
 * Checksums against published examples (card test numbers, the ISO 13616 IBAN examples, the
 * official PESEL, henkilötunnus, NHS and codice fiscale examples) and one-character changes of them.
 */
import { expect, test } from 'vitest';
import * as v from '../../detectors/pii/validators.js';

test.each([
  ['creditCard', '4111 1111 1111 1111', true],
  ['creditCard', '378282246310005', true],
  ['creditCard', '6011-0009-9013-9424', true],
  ['creditCard', '4111 1111 1111 1112', false],
  ['creditCard', '1234567890123452', false], // passes Luhn, but no card network starts with 1
  ['creditCard', '0000000000000000', false],
  ['iban', 'GB82 WEST 1234 5698 7654 32', true],
  ['iban', 'FR14 2004 1010 0505 0001 3M02 606', true],
  ['iban', 'GB82 WEST 1234 5698 7654 33', false],
  ['iban', 'GB82 WEST 1234 5698 7654 3', false], // one character short for GB
  ['usSsn', '536-22-1234', true],
  ['usSsn', '666-22-1234', false],
  ['usSsn', '536-00-1234', false],
  ['usSsn', '078-05-1120', false],
  ['ukNhs', '943 476 5919', true],
  ['ukNhs', '943 476 5918', false],
  ['esNif', '12345678Z', true],
  ['esNif', '12345678A', false],
  ['esNie', 'X1234567L', true],
  ['esNie', 'Y1234567L', false],
  ['itFiscalCode', 'RSSMRA85T10A562S', true],
  ['itFiscalCode', 'RSSMRA85T10A562T', false],
  ['plPesel', '44051401359', true],
  ['plPesel', '44051401358', false],
  ['plPesel', '44153401351', false], // month 15 does not exist
  ['fiPersonalIdentityCode', '131052-308T', true],
  ['fiPersonalIdentityCode', '131052-308U', false],
  ['ipv4', '203.0.113.24', true],
  ['ipv4', '256.1.1.1', false],
  ['ipv4', '127.0.0.1', false],
  ['ipv4', '255.255.255.0', false],
  ['ipv4', '0.0.0.255', false],
  ['ipv6', '2001:db8::8a2e:370:7334', true],
  ['ipv6', '::1', false],
  ['ipv6', 'ab::cd', false],
  ['jwt', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.abc', true],
  ['jwt', 'eyJub3RfYV9qd3QiOjF9.eyJzdWIiOiIxIn0.abc', false],
  ['secretValue', 'hunter2', true],
  ['secretValue', '********', false],
  ['secretValue', '${DB_PASSWORD}', false],
  ['secretValue', '<redacted>', false],
  ['secretValue', 'changeme', false],
] as const)('%s(%j) is %s', (name, value, expected) => {
  expect((v as Record<string, (s: string) => unknown>)[name]!(value)).toBe(expected);
});
