import type { WasmModule } from '../backends/cpu/wasm/webassembly';

/** A compiled WebAssembly kernel module, or why there is none (`pending`: the browser is still fetching it). */
export type WasmLoad = { module: WasmModule; file: string } | { error: string; pending?: boolean };

/** A started worker (a Node worker thread or a browser Web Worker). */
export interface StartedWorker {
  terminate(): void;
}

/**
 * A thread running a CPU device's executor (src/session/devices/worker_main.ts): messages go out with
 * `post` and come back through `receive`, which never waits (the caller blocks with Atomics.wait on the
 * shared counters it handed the thread).
 */
export interface DeviceThread {
  post(message: unknown): void;
  /** The next message from the thread, or undefined when none has arrived. */
  receive(): unknown;
  terminate(): void;
}
