/**
 * Loader of the WebAssembly SIMD depthwise convolution (./assembly/depthwise.as, built by `npm run build`
 * into build/wasm/depthwise.wasm): float32 forward with channel multiplier 1. It follows the switch of
 * the other WebAssembly kernels (`wasmAvailable()`: TENSORGRAPH_WASM=0 or setKernelOptions({ wasm: false })
 * turn it off); when the file is missing or fails to load, `wasmDepthwiseForward` returns false and the
 * caller runs the TS kernel in ../linalg/depthwise.ts, which stays the reference.
 */
import { loadWasm } from '../../../platform';
import type { DepthwiseGeometry } from '../../../ops/nn_geometry';
import { wasmAvailable } from './index';
import { WA, WasmMemory } from './webassembly';

interface Exports {
  depthwiseForward(x: number, f: number, out: number, ...geometry: number[]): void;
}

const PAGE = 65536;
/** The module's memory limit (32768 pages, 2 GiB): larger operands run on the TS kernel. */
const MAX_BYTES = 32768 * PAGE;
let loaded: { memory: WasmMemory; exports: Exports } | null | undefined;

function load(): { memory: WasmMemory; exports: Exports } | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  const found = loadWasm('depthwise.wasm');
  if ('error' in found) {
    if (found.pending) loaded = undefined; // the browser is still fetching it
    return null;
  }
  try {
    const module = found.module;
    const memory = new WA.Memory({ initial: 1, maximum: 32768 });
    const instance = new WA.Instance(module, { env: { memory } });
    loaded = { memory, exports: instance.exports as unknown as Exports };
  } catch {
    loaded = null;
  }
  return loaded;
}

/**
 * out = the depthwise convolution of x with f (NHWC float32, multiplier 1) in WebAssembly; false when the
 * module is unavailable or the geometry is not its form (then nothing was written).
 */
export function wasmDepthwiseForward(
  x: Float32Array,
  f: Float32Array,
  out: Float32Array,
  g: DepthwiseGeometry,
): boolean {
  if (g.mult !== 1 || !wasmAvailable()) return false;
  const k = load();
  if (!k) return false;
  const bytes = 4 * (x.length + f.length + out.length);
  if (bytes > MAX_BYTES) return false;
  const have = k.memory.buffer.byteLength;
  if (bytes > have) k.memory.grow(Math.ceil((bytes - have) / PAGE));
  const heap = new Float32Array(k.memory.buffer);
  const [px, pf, po] = [0, x.length, x.length + f.length];
  heap.set(x, px);
  heap.set(f, pf);
  k.exports.depthwiseForward(
    4 * px,
    4 * pf,
    4 * po,
    g.batch,
    g.inH,
    g.inW,
    g.inC,
    g.fH,
    g.fW,
    g.strideH,
    g.strideW,
    g.dilH,
    g.dilW,
    g.outH,
    g.outW,
    g.padTop,
    g.padLeft,
  );
  out.set(heap.subarray(po, po + out.length));
  return true;
}
