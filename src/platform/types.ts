import type { WasmModule } from '../backends/cpu/wasm/webassembly';

/** A compiled WebAssembly kernel module, or why there is none (`pending`: the browser is still fetching it). */
export type WasmLoad = { module: WasmModule; file: string } | { error: string; pending?: boolean };

/** A started worker (a Node worker thread or a browser Web Worker). */
export interface StartedWorker {
  terminate(): void;
}
