/**
 * Writes a redacted copy in stream order: original bytes, except that each span to redact is
 * replaced by its placeholder. Overlapping spans become one placeholder. Spans must be added in
 * order of their start, and only once nothing before `emitTo`'s limit can still gain a span.
 */
export interface Span {
  byteStart: number;
  byteEnd: number;
  /** Placeholder text. */
  text: string;
}

export class SpanWriter {
  /** Placeholders written. */
  spans = 0;
  /** Bytes of the original written or replaced so far. */
  emitted = 0;
  private skipUntil = 0;
  private readonly pending: Span[] = [];

  constructor(
    private readonly out: (chunk: Buffer) => void,
    private readonly encode: (text: string) => Buffer,
  ) {}

  add(span: Span): void {
    this.pending.push(span);
  }

  /** Write everything before byte `limit`; `copy(from, to)` writes original bytes [from, to). */
  emitTo(limit: number, copy: (from: number, to: number) => void): void {
    const pending = this.pending;
    for (;;) {
      while (pending.length > 0 && pending[0]!.byteStart < this.skipUntil) {
        this.skipUntil = Math.max(this.skipUntil, pending.shift()!.byteEnd);
      }
      if (this.emitted >= limit) return;
      if (this.emitted < this.skipUntil) {
        this.emitted = Math.min(this.skipUntil, limit);
        continue;
      }
      const next = pending[0];
      if (next && next.byteStart < limit) {
        if (next.byteStart > this.emitted) copy(this.emitted, next.byteStart);
        this.out(this.encode(next.text));
        this.spans++;
        this.emitted = next.byteStart;
        this.skipUntil = next.byteEnd;
        pending.shift();
      } else {
        copy(this.emitted, limit);
        this.emitted = limit;
      }
    }
  }
}
