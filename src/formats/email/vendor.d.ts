/** Types for the parts of mailparser's own dependencies that the e-mail layer uses. */
declare module 'libmime' {
  interface HeaderValue {
    value: string;
    params: Record<string, string>;
  }
  const libmime: {
    parseHeaderValue(value: string): HeaderValue;
    buildHeaderValue(structured: HeaderValue): string;
    foldLines(text: string, lineLength?: number, afterSpace?: boolean): string;
    decodeWords(text: string): string;
  };
  export default libmime;
}

declare module 'encoding-japanese' {
  const Encoding: {
    convert(data: ArrayLike<number> | string, options: { to: string; from: string; type?: 'string' | 'array' | 'arraybuffer' }): string | number[];
    stringToCode(text: string): number[];
  };
  export default Encoding;
}

declare module 'libqp' {
  const libqp: { decode(text: string): Buffer; encode(data: Buffer | string): string };
  export default libqp;
}
