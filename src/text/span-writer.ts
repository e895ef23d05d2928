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

  /**
   * Write everything before byte `limit`; `copy(from, to)` writes original bytes [from, to).
   *
   * The position and the end of the last placeholder live in locals, stored once at the end.
   * Updated as fields on every turn, the loop (which ends for any finite limit) was seen to spin
   * with `emitted` at 0 under Node 20, while the same call stepped in the interpreter moved on: a
   * test file hung in 2 of 8 runs, in none of 8 with the optimizing compiler off (--no-opt), and
   * in none of 10 with locals.
   */
  emitTo(limit: number, copy: (from: number, to: number) => void): void {
    const pending = this.pending;
    let emitted = this.emitted;
    let skipUntil = this.skipUntil;
    while (emitted < limit) {
      // A span that starts under the last placeholder is merged into it.
      while (pending.length > 0 && pending[0]!.byteStart < skipUntil) skipUntil = Math.max(skipUntil, pending.shift()!.byteEnd);
      const next = pending[0];
      if (emitted < skipUntil) {
        // Bytes under a placeholder are dropped.
        emitted = Math.min(skipUntil, limit);
      } else if (next && next.byteStart < limit) {
        if (next.byteStart > emitted) copy(emitted, next.byteStart);
        this.out(this.encode(next.text));
        this.spans++;
        emitted = next.byteStart;
        skipUntil = next.byteEnd;
        pending.shift();
      } else {
        copy(emitted, limit);
        emitted = limit;
      }
    }
    this.emitted = emitted;
    this.skipUntil = skipUntil;
  }
}
