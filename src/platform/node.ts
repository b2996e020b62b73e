/**
 * The Node.js side of the platform layer: the few places where the library needs the file system,
 * threads or the host's paths go through this module. The browser bundle (scripts/build-browser.js)
 * replaces it with ./browser.ts, which has the same exports.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createHash, randomBytes } from 'crypto';
import * as buffer from 'buffer';
import { fileURLToPath } from 'url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'worker_threads';
import { WA } from '../backends/cpu/wasm/webassembly';
import type { DeviceThread, StartedWorker, WasmLoad } from './types';

export type { DeviceThread, StartedWorker, WasmLoad } from './types';
export { fs, path, fileURLToPath };

/** The host's name (event file names). */
export function hostname(): string {
  return os.hostname();
}

/** `n` random bytes as hex (temp-file names). */
export function randomHex(n: number): string {
  return randomBytes(n).toString('hex');
}

/** Largest file a restore reads (what one Node buffer holds). */
export const MAX_FILE_BYTES = Math.min(buffer.constants.MAX_LENGTH, 2 ** 32);

/** Which build runs. */
export const PLATFORM: 'node' | 'browser' = 'node';

/** Whether the calling thread may block in Atomics.wait (Node's main thread may; a page's may not). */
export const canBlock = true;

/** Cores available to this process. */
export function cpuCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** Whether shared memory (SharedArrayBuffer, shared WebAssembly.Memory) can be used. */
export function sharedMemory(): boolean {
  return true;
}

/** Finds `build/wasm/<name>` or `dist/wasm/<name>` upward from this module (`explicit`: that file). */
function findWasm(name: string, explicit?: string): string | null {
  if (explicit) return fs.existsSync(explicit) ? explicit : null;
  let dir = __dirname;
  for (let up = 0; up < 7; up++) {
    for (const rel of [`build/wasm/${name}`, `dist/wasm/${name}`]) {
      const f = path.join(dir, rel);
      if (fs.existsSync(f)) return f;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

/** Compiles the kernel module `name` (kernels.wasm, kernels-relaxed.wasm, depthwise.wasm) synchronously. */
export function loadWasm(name: string, explicit?: string): WasmLoad {
  const file = findWasm(name, explicit);
  if (!file) return { error: `build/wasm/${name} not found (run \`npm run build\`)` };
  try {
    const bytes = fs.readFileSync(file);
    if (!WA.validate(bytes)) return { error: `${file}: not valid on this engine` };
    return { module: new WA.Module(bytes), file };
  } catch (e) {
    return { error: `${file}: ${(e as Error).message}` };
  }
}

/** Starts a worker thread running `body` (JavaScript that reads `workerData`) with `data`; unref'd. */
export function startWorker(body: string, data: object): StartedWorker {
  const w = new Worker(`const { workerData } = require('worker_threads');\n${body}`, {
    eval: true,
    workerData: data,
  });
  w.unref();
  return { terminate: () => void w.terminate() };
}

/** Whether a stack frame's URL (not a file path) belongs to this library (never in Node). */
export function isLibraryUrl(_url: string): boolean {
  return false;
}

/** Resolves at once in Node (the browser build fetches its WebAssembly kernels here). */
export function ready(): Promise<void> {
  return Promise.resolve();
}

/**
 * The device executor's entry file: compiled JavaScript next to the library (dist/), or — when the
 * library runs from its TypeScript sources (tests, ts-node) — a bundle built once per process with
 * esbuild (a dev dependency) into build/device-worker/.
 */
let deviceEntry: string | undefined;
function deviceWorkerEntry(): string {
  if (deviceEntry) return deviceEntry;
  const js = path.join(__dirname, '../session/devices/worker_main.js');
  if (fs.existsSync(js)) return (deviceEntry = js);
  const ts = path.join(__dirname, '../session/devices/worker_main.ts');
  if (!fs.existsSync(ts)) throw new Error(`device worker entry not found next to ${__dirname}`);
  const root = path.resolve(__dirname, '../..');
  const dir = path.join(root, 'build/device-worker');
  fs.mkdirSync(dir, { recursive: true });
  const esbuild = require('esbuild') as {
    buildSync(o: Record<string, unknown>): { outputFiles: { contents: Uint8Array }[] };
  };
  const built = esbuild.buildSync({
    entryPoints: [ts],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    outfile: path.join(dir, 'worker_main.js'),
    external: ['gpu.js', 'gl', 'esbuild'],
    logLevel: 'silent',
  });
  const code = (built.outputFiles[0] as { contents: Uint8Array }).contents;
  // Named by content: processes share one file per source version; written atomically.
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const out = path.join(dir, `worker_main.${hash}.js`);
  if (!fs.existsSync(out)) {
    const tmp = `${out}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, out);
  }
  return (deviceEntry = out);
}

/** Starts a CPU device's executor thread; `data` is its workerData (the shared counters among it). */
export function startDeviceThread(data: object): DeviceThread {
  const { port1, port2 } = new MessageChannel();
  const w = new Worker(deviceWorkerEntry(), {
    workerData: { ...data, port: port2 },
    transferList: [port2],
  });
  w.unref();
  port1.unref();
  return {
    post: (m) => port1.postMessage(m),
    receive: () => receiveMessageOnPort(port1)?.message,
    terminate: () => {
      port1.close();
      void w.terminate();
    },
  };
}

/** A monotonic clock shared by every thread of the process, in µs (device traces compare threads). */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint()) / 1000;
}
