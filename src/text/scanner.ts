/**
 * Text scanning: the fast anchored path where the finder and encoding allow it, the plain
 * streaming scan otherwise (UTF-16 text, and finders without anchors: the detectors of access and
 * discover --detect).
 * Both give the same findings and redacted bytes.
 */
import { Matcher, type SpanFinder } from '../scan/matcher.js';
import { chooseEncoding, SNIFF_BYTES } from './decoder.js';
import { FastTextScanner, textView } from './fast-scanner.js';
import { TextStreamScanner, type TextMatch } from './stream-scanner.js';

export interface TextScanner {
  push(chunk: Buffer): void;
  end(): void;
  /** Placeholders written into the redacted copy. */
  readonly spans: number;
  /** The text encoding, as report.json states it. */
  describe(): string;
}

export interface TextScannerOptions {
  onMatch: (m: TextMatch) => void;
  output?: (chunk: Buffer) => void;
  placeholder?: (id: number) => string | null;
}

export function createTextScanner(finder: SpanFinder, options: TextScannerOptions): TextScanner {
  let head: Buffer[] = [];
  let headBytes = 0;
  let inner: TextScanner | undefined;

  const start = (final: boolean) => {
    const data = Buffer.concat(head);
    head = [];
    const { encoding, bomLength } = chooseEncoding(data);
    const fast = finder instanceof Matcher && (encoding === 'utf-8' || encoding === 'windows-1252');
    if (fast) inner = new FastTextScanner(finder, textView(encoding), bomLength, options);
    else {
      const plain = new TextStreamScanner(finder, options);
      inner = { push: (c) => plain.push(c), end: () => plain.end(), get spans() { return plain.spans; }, describe: () => plain.decoder.describe() };
    }
    if (data.length) inner.push(data);
    if (final) inner.end();
  };

  return {
    push(chunk: Buffer) {
      if (inner) return inner.push(chunk);
      head.push(chunk);
      headBytes += chunk.length;
      // The encoding is chosen from a fixed amount of text, whatever the read size.
      if (headBytes >= SNIFF_BYTES) start(false);
    },
    end() {
      if (inner) inner.end();
      else start(true);
    },
    get spans() {
      return inner?.spans ?? 0;
    },
    describe() {
      return inner?.describe() ?? 'utf-8';
    },
  };
}
