/** The content-stream lexer: operands as written, and byte spans that cover each operation exactly. */
import { describe, expect, test } from 'vitest';
import { ContentSyntaxError, parseContent } from '../../src/formats/pdf/content-lexer.js';

const bytesOf = (s: string) => Buffer.from(s, 'latin1');

describe('strings', () => {
  test.each([
    ['(plain) Tj', 'plain'],
    ['(nested (parens) kept) Tj', 'nested (parens) kept'],
    ['(esc \\(a\\) \\\\ \\n) Tj', 'esc (a) \\ \n'],
    ['(octal \\353\\374 \\0612) Tj', 'octal \xeb\xfc 12'],
    ['(line \\\ncontinued) Tj', 'line continued'],
    ['<7A6F65> Tj', 'zoe'],
    ['<7a 6f\n65> Tj', 'zoe'],
    ['<7A6F6> Tj', 'zo`'],
  ])('%s', (source, text) => {
    const [op] = parseContent(bytesOf(source));
    expect(op!.operator).toBe('Tj');
    expect(op!.operands).toEqual([{ type: 'string', bytes: bytesOf(text) }]);
  });
});

test('a TJ array keeps strings and numbers in order', () => {
  const [op] = parseContent(bytesOf('[(zoe.mu) -20 (ller) 1.5 <40>] TJ'));
  expect(op!.operands).toEqual([
    {
      type: 'array',
      items: [
        { type: 'string', bytes: bytesOf('zoe.mu') },
        { type: 'number', value: -20 },
        { type: 'string', bytes: bytesOf('ller') },
        { type: 'number', value: 1.5 },
        { type: 'string', bytes: bytesOf('@') },
      ],
    },
  ]);
});

test('each operation spans from its first operand to the end of its operator', () => {
  const source = 'BT /F1 12 Tf % a comment (not a string)\n72 700 Td (a) Tj ET';
  const ops = parseContent(bytesOf(source));
  expect(ops.map((o) => o.operator)).toEqual(['BT', 'Tf', 'Td', 'Tj', 'ET']);
  expect(ops.map((o) => source.slice(o.start, o.end))).toEqual(['BT', '/F1 12 Tf', '72 700 Td', '(a) Tj', 'ET']);
});

test('an inline image is one operation, whatever bytes its data holds', () => {
  const source = 'q BI /W 2 /H 1 /BPC 8 /CS /G ID \x00(\xffEIx EI Q (after) Tj';
  const ops = parseContent(bytesOf(source));
  expect(ops.map((o) => o.operator)).toEqual(['q', 'BI', 'Q', 'Tj']);
  expect(ops[3]!.operands).toEqual([{ type: 'string', bytes: bytesOf('after') }]);
});

test.each(['(unterminated Tj', '[(a) TJ', 'BT } ET', '<7Z> Tj'])('invalid syntax is an error, not a guess: %s', (source) => {
  expect(() => parseContent(bytesOf(source))).toThrow(ContentSyntaxError);
});
