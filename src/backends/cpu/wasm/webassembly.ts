/**
 * The slice of the WebAssembly JS API the kernels use. The project compiles without the DOM lib (where
 * TypeScript declares `WebAssembly`), so it is typed here and read from globalThis.
 */
export interface WasmModule {
  readonly __wasmModule?: never;
}

export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

export const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
