/**
 * The DSR request file, validated at the boundary. Every problem is collected and named by its
 * field path (`subject.emails[1]`), never by its value: the values are personal data.
 */
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parsePhone, idShape } from '../detectors/identifiers.js';
import { IDENTIFIER_KINDS, type Identifier, type IdentifierKind } from './types.js';
import { RequestError } from './errors.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const list = z.array(z.string().trim().min(1, 'must not be empty')).default([]);

const RequestSchema = z
  .object({
    id: z.string().min(1).optional(),
    subject: z
      .object({
        emails: list,
        phones: list,
        names: list,
        ids: list,
        /** Region (ISO 3166 alpha-2) for phone numbers given without a country code; default US. */
        phoneRegion: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter region code such as US or GB').optional(),
      })
      .strict(),
    scope: z
      .object({ engagements: z.array(z.string().min(1)).min(1, 'must name at least one engagement') })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((req, ctx) => {
    const s = req.subject;
    if (s.emails.length + s.phones.length + s.names.length + s.ids.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['subject'], message: 'names no identifier: give at least one of emails, phones, names, ids' });
    }
    s.emails.forEach((v, i) => {
      if (!EMAIL.test(v)) ctx.addIssue({ code: 'custom', path: ['subject', 'emails', i], message: 'is not an e-mail address' });
    });
    s.phones.forEach((v, i) => {
      const p = parsePhone(v, s.phoneRegion);
      if (!p || !p.possible) ctx.addIssue({ code: 'custom', path: ['subject', 'phones', i], message: 'is not a phone number' });
    });
    s.names.forEach((v, i) => {
      if (!/\p{L}/u.test(v)) ctx.addIssue({ code: 'custom', path: ['subject', 'names', i], message: 'has no letters' });
    });
    s.ids.forEach((v, i) => {
      if (/\s/.test(v)) ctx.addIssue({ code: 'custom', path: ['subject', 'ids', i], message: 'must not contain spaces' });
      else if (v.length < 4 && idShape(v) !== 'guid') {
        ctx.addIssue({ code: 'custom', path: ['subject', 'ids', i], message: 'is shorter than 4 characters: it would match everywhere' });
      }
    });
  });

export type DsrRequest = z.infer<typeof RequestSchema>;

export interface LoadedRequest {
  request: DsrRequest;
  identifiers: Identifier[];
  /** SHA-256 of the canonical request, to tell runs of different requests apart without storing values. */
  fingerprint: string;
}


function fieldName(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]{0,30}$/.test(key) ? key : '(a key that is not a field name)';
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

export function parseRequest(raw: unknown): LoadedRequest {
  const result = RequestSchema.safeParse(raw);
  if (!result.success) {
    throw new RequestError(
      result.error.issues.map((issue) => {
        const where = fieldPath(issue.path) || '(request)';
        // zod's own messages for type errors may quote the received value; keep only its type words.
        // An unknown key is named when it looks like a misspelt field; a key such as an e-mail
        // address would put the value in the message.
        const message = issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.map(fieldName).join(', ')}` : issue.message;
        return `${where}: ${message}`;
      }),
    );
  }
  const request = result.data;
  const byKind: Record<IdentifierKind, string[]> = {
    email: request.subject.emails,
    phone: request.subject.phones,
    name: request.subject.names,
    id: request.subject.ids,
  };
  const identifiers = IDENTIFIER_KINDS.flatMap((kind) => byKind[kind].map((value, index) => ({ kind, index, value })));
  const fingerprint = createHash('sha256').update(JSON.stringify(request)).digest('hex');
  return { request, identifiers, fingerprint };
}

export async function loadRequest(file: string): Promise<LoadedRequest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new RequestError([`cannot read the request file: ${(err as NodeJS.ErrnoException).code ?? 'error'}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new RequestError(['the request file is not valid JSON']);
  }
  return parseRequest(raw);
}
