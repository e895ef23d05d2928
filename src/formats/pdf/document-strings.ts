/**
 * Everything outside page content that can carry text: strings in any object the document still
 * uses (the information dictionary, annotations and their authors, form fields, outline titles)
 * and XMP metadata streams. Matches are replaced by placeholders. Objects the document no longer
 * uses (left behind by incremental updates) are dropped, so that no old revision survives.
 */
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFRef, PDFStream, PDFString, type PDFContext, type PDFObject } from 'pdf-lib';
import { redactSegment } from '../segment.js';
import type { HandlerContext } from '../types.js';
import { decodeStream } from './text-layer.js';

type Ctx = Pick<HandlerContext, 'matcher' | 'placeholder'>;

/** Replace matches in every reachable string and XMP stream; delete unreachable objects. Returns placeholders written. */
export function scrubDocument(context: PDFContext, ctx: Ctx): number {
  let spans = 0;
  const reachable = new Set<string>();

  const scrubString = (value: PDFString | PDFHexString): PDFObject | undefined => {
    const redacted = redactSegment(value.decodeText(), ctx);
    if (redacted.spans === 0) return undefined;
    spans += redacted.spans;
    return PDFHexString.fromText(redacted.text);
  };

  /** A child of a dictionary or array: a string is scrubbed in place (through `set`), anything else visited. */
  const child = (value: PDFObject | undefined, set: (v: PDFObject) => void): void => {
    if (value instanceof PDFString || value instanceof PDFHexString) {
      const replaced = scrubString(value);
      if (replaced) set(replaced);
    } else visit(value);
  };

  const visit = (object: PDFObject | undefined): void => {
    if (object instanceof PDFRef) {
      const key = object.toString();
      if (reachable.has(key)) return;
      reachable.add(key);
      child(context.lookup(object), (v) => context.assign(object, v));
    } else if (object instanceof PDFDict) {
      for (const [key, value] of object.entries()) child(value, (v) => object.set(key, v));
    } else if (object instanceof PDFArray) {
      for (let i = 0; i < object.size(); i++) child(object.get(i), (v) => object.set(i, v));
    } else if (object instanceof PDFStream) {
      visit(object.dict);
    }
  };

  const { Root, Info } = context.trailerInfo;
  visit(Root);
  visit(Info);
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    if (!reachable.has(ref.toString())) context.delete(ref);
    else if (object instanceof PDFStream && object.dict.get(PDFName.of('Type'))?.toString() === '/Metadata') {
      spans += scrubXmp(context, ref, object, ctx);
    }
  }
  return spans;
}

/** XMP is XML text (UTF-8): placeholders are plain text, so the packet stays well-formed. */
function scrubXmp(context: PDFContext, ref: PDFRef, stream: PDFStream, ctx: Ctx): number {
  let xml: string;
  try {
    xml = decodeStream(stream).toString('utf8');
  } catch {
    // An XMP stream that cannot be decoded cannot be checked: drop its contents rather than keep them unread.
    context.assign(ref, context.stream('', { Type: 'Metadata', Subtype: 'XML' }));
    return 0;
  }
  const redacted = redactSegment(xml, ctx);
  if (redacted.spans > 0) context.assign(ref, context.stream(redacted.text, { Type: 'Metadata', Subtype: 'XML' }));
  return redacted.spans;
}
