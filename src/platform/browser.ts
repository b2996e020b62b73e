/**
 * The browser side of the platform layer (same exports as ./node.ts; scripts/build-browser.js bundles this
 * one). WebAssembly kernels are fetched next to the bundle (`./wasm/*.wasm` relative to the module's URL)
 * and compiled asynchronously when the bundle loads — until then, and where the page is not cross-origin
 * isolated (the kernels use shared memory), the CPU backend runs its TypeScript kernels. The parallel
 * matmul's workers are Web Workers (cross-origin isolated pages only). Paths are POSIX-style strings.
 */
import { WA } from '../backends/cpu/wasm/webassembly';
import * as memfs from './memfs';
import type { DeviceThread, StartedWorker, WasmLoad } from './types';

export type { DeviceThread, StartedWorker, WasmLoad } from './types';

/** The bundle's own URL, set by the bundle's banner (`import.meta.url`). */
declare const __tgModuleUrl: string | undefined;
const MODULE_URL = (typeof __tgModuleUrl === 'string' ? __tgModuleUrl : '').split(/[?#]/)[0] as string;

interface BrowserGlobals {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
  fetch?: (url: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;
  Blob: new (parts: string[], o: { type: string }) => unknown;
  URL: {
    createObjectURL(b: unknown): string;
    new (u: string, base?: string): { href: string; pathname: string };
  };
  Worker: new (url: string) => { postMessage(m: unknown): void; terminate(): void };
}
const g = globalThis as unknown as BrowserGlobals;

/** Which build runs. */
export const PLATFORM: 'node' | 'browser' = 'browser';

/** A page's main thread may not block in Atomics.wait (workers spin-wait on it instead). */
export const canBlock = false;

/** Logical processors the browser reports. */
export function cpuCount(): number {
  return g.navigator?.hardwareConcurrency ?? 1;
}

/** Shared memory needs a cross-origin isolated page (COOP `same-origin` + COEP `require-corp`). */
export function sharedMemory(): boolean {
  return g.crossOriginIsolated === true;
}

function normalizeParts(parts: string[], absolute: boolean): string[] {
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else out.push(p);
  }
  return out;
}

/** A path's root: `'scheme://'` (e.g. `indexeddb://`), `'/'`, or `''` (relative). */
function rootOf(p: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\//i.exec(p);
  return m ? m[0] : p.startsWith('/') ? '/' : '';
}

/**
 * POSIX path functions (the subset the library uses) for the page's in-memory file system; a
 * `scheme://` prefix (`indexeddb://`) is a root of its own, like `/`.
 */
export const path = {
  sep: '/',
  isAbsolute: (p: string): boolean => rootOf(p) !== '',
  normalize(p: string): string {
    const root = rootOf(p);
    const s = normalizeParts(p.slice(root.length).split('/'), root !== '').join('/');
    return root + s || '.';
  },
  join: (...ps: string[]): string => path.normalize(ps.filter((p) => p !== '').join('/')),
  resolve(...ps: string[]): string {
    let r = '';
    for (const p of ps) r = rootOf(p) ? p : `${r}/${p}`;
    return path.normalize(rootOf(r) ? r : `/${r}`);
  },
  dirname(p: string): string {
    const root = rootOf(p);
    const rest = p.slice(root.length).replace(/\/+$/, '');
    const i = rest.lastIndexOf('/');
    return i < 0 ? root || '.' : root + rest.slice(0, i);
  },
  basename(p: string, ext?: string): string {
    const b = p.slice(rootOf(p).length).replace(/\/+$/, '').split('/').pop() ?? '';
    return ext && b.endsWith(ext) ? b.slice(0, -ext.length) : b;
  },
  relative(from: string, to: string): string {
    const [f, t] = [path.resolve(from), path.resolve(to)];
    if (rootOf(f) !== rootOf(t)) return t;
    const a = normalizeParts(f.slice(rootOf(f).length).split('/'), true);
    const b = normalizeParts(t.slice(rootOf(t).length).split('/'), true);
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
  },
};

/** The page's file system: in memory, `indexeddb://` paths persisted to IndexedDB (./memfs.ts). */
export { memfs as fs };

/** A name for event files. */
export function hostname(): string {
  return 'browser';
}

/** `n` random bytes as hex (temp-file names). */
export function randomHex(n: number): string {
  const b = new Uint8Array(n);
  (globalThis as unknown as { crypto: { getRandomValues(a: Uint8Array): void } }).crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Largest file a restore reads. */
export const MAX_FILE_BYTES = 2 ** 31 - 1;

/** `file:///a/b` → `/a/b`. */
export function fileURLToPath(u: string): string {
  return decodeURIComponent(new g.URL(u).pathname);
}

const WASM_NAMES = ['kernels.wasm', 'kernels-relaxed.wasm', 'depthwise.wasm'];
const wasmCache = new Map<string, WasmLoad>();
let wasmPreload: Promise<void> | undefined;

/** Fetches and compiles the kernel modules next to the bundle (started when the bundle loads). */
export function ready(): Promise<void> {
  if (!wasmPreload) {
    wasmPreload = Promise.all(
      WASM_NAMES.map(async (name) => {
        if (!MODULE_URL || !g.fetch) {
          wasmCache.set(name, { error: 'no module URL or fetch to load WebAssembly kernels' });
          return;
        }
        const url = new g.URL(`./wasm/${name}`, MODULE_URL).href;
        try {
          const res = await g.fetch(url);
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          const bytes = new Uint8Array(await res.arrayBuffer());
          if (!WA.validate(bytes)) throw new Error('not valid on this engine');
          const api = WA as unknown as { compile(b: Uint8Array): Promise<unknown> };
          wasmCache.set(name, { module: (await api.compile(bytes)) as never, file: url });
        } catch (e) {
          wasmCache.set(name, { error: `${url}: ${(e as Error).message}` });
        }
      }),
    ).then(() => memfs.load());
  }
  return wasmPreload;
}
void ready();

/** The compiled module `name` (fetched by `ready()`), or why not (pending while the fetch runs). */
export function loadWasm(name: string, explicit?: string): WasmLoad {
  if (explicit) return { error: `TENSORGRAPH_WASM_FILE is Node-only (${explicit})` };
  return wasmCache.get(name) ?? { error: `${name} is still loading (await tf.ready())`, pending: true };
}

/** Starts a Web Worker running `body` (JavaScript that reads `workerData`) with `data`. */
export function startWorker(body: string, data: object): StartedWorker {
  const src = `self.onmessage = (e) => {\nconst workerData = e.data;\n${body}\n};`;
  const url = g.URL.createObjectURL(new g.Blob([src], { type: 'text/javascript' }));
  const w = new g.Worker(url);
  w.postMessage(data);
  return { terminate: () => w.terminate() };
}

/** Whether a stack frame's URL is this bundle (library code, skipped when locating the user's line). */
export function isLibraryUrl(url: string): boolean {
  const u = url.split(/[?#]/)[0] as string;
  return (MODULE_URL !== '' && u === MODULE_URL) || u.includes('/node_modules/');
}

/** CPU devices beyond the calling thread need blocking message receipt (Node's worker threads). */
export function startDeviceThread(_data: object): DeviceThread {
  throw new Error(
    "CPU devices '/cpu:1', … are Node-only (their executors block on worker threads); the browser build has '/cpu:0' only",
  );
}

/** A monotonic clock in µs (this thread's `performance.now()`). */
export function monotonicMicros(): number {
  return performance.now() * 1000;
}
