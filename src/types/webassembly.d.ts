// The part of the WebAssembly JavaScript API that the prefilter uses (src/text/prefilter.ts).
// Node provides it globally; TypeScript declares it only in the DOM libraries, which this
// project does not include.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: object);
    readonly exports: Record<string, unknown>;
  }
  class Global {
    readonly value: number;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}
