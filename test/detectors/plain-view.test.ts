/** The decoded view the tagger reads, and the way back to original offsets. */
import { expect, test } from 'vitest';
import { plainView } from '../../detectors/pii/plain-view.js';

test.each([
  ['<cite>Zo&euml; M&uuml;ller</cite>', '\nZoë Müller\n', 'Zoë Müller', 'Zo&euml; M&uuml;ller'],
  ['"body":"Hello Zo\\u00eb,\\nthanks"', '"body":"Hello Zoë, thanks"', 'Zoë', 'Zo\\u00eb'],
  ['Ava&#32;Chen &amp; co', 'Ava Chen & co', 'Ava Chen', 'Ava&#32;Chen'],
  ['plain text stays as it is', 'plain text stays as it is', 'text', 'text'],
  ['not a tag: a < b & c', 'not a tag: a < b & c', 'b & c', 'b & c'],
])('%j', (original, text, inView, inOriginal) => {
  const view = plainView(original);
  expect(view.text).toBe(text);
  const at = view.text.indexOf(inView);
  expect(original.slice(view.start[at]!, view.end[at + inView.length - 1]!)).toBe(inOriginal);
});
