import { GpuMode, GpuRuntime, loadGpuJs } from './runtime';

/**
 * Which gpu.js mode runs (SPEC §4): WebGPU where an adapter answers (asynchronous only), else headless
 * WebGL (needs an X display in Node), else browser WebGL2/WebGL, else gpu.js's WebAssembly mode, else its
 * plain-JavaScript mode. Each unavailable mode is reported with the reason, for `session.backendInfo`.
 */
export const MODE_ORDER: readonly GpuMode[] = ['webgpu', 'headlessgl', 'webgl2', 'webgl', 'webasm', 'cpu'];

const DESCRIPTION: Record<GpuMode, string> = {
  webgpu: 'WebGPU (WGSL compute shaders over storage buffers; read-back is asynchronous)',
  headlessgl: 'headless WebGL 1.0 (GLSL ES fragment shaders over float textures, via headless-gl)',
  webgl2: 'WebGL2 (GLSL ES 3.0 fragment shaders over float textures)',
  webgl: 'WebGL (GLSL ES 1.0 fragment shaders over float textures)',
  webasm: "gpu.js's WebAssembly mode (f32x4 SIMD on the CPU)",
  cpu: "gpu.js's plain-JavaScript mode (no accelerator)",
};

/** Why each synchronous mode is unavailable here (absent: available). Probed once per process. */
let syncProbe: Map<GpuMode, string> | undefined;
function unavailableSync(): Map<GpuMode, string> {
  if (syncProbe) return syncProbe;
  const { GPU } = loadGpuJs();
  const why = new Map<GpuMode, string>();
  if (!GPU.isHeadlessGLSupported) {
    const display = process.env.DISPLAY;
    why.set(
      'headlessgl',
      display
        ? `headless-gl could not create a WebGL context on display ${display}`
        : 'no X display for headless-gl (DISPLAY is unset; run under xvfb-run)',
    );
  }
  const browser = typeof (globalThis as { document?: unknown }).document !== 'undefined';
  if (!GPU.isWebGL2Supported)
    why.set('webgl2', browser ? 'the browser gives no WebGL2 context' : 'no browser canvas (Node)');
  if (!GPU.isWebGLSupported)
    why.set('webgl', browser ? 'the browser gives no WebGL context' : 'no browser canvas (Node)');
  if (!GPU.isWebAssemblySupported) why.set('webasm', 'WebAssembly is not available');
  syncProbe = why;
  return why;
}

/** The WebGPU adapter probe (once per process): undefined while pending, else null (available) or why not. */
let webgpuAnswer: string | null | undefined;
let webgpuProbe: Promise<void> | undefined;
export function probeWebGPU(): Promise<void> {
  if (!webgpuProbe) {
    webgpuProbe = findAdapter().then(
      (why) => void (webgpuAnswer = why),
      (e: unknown) => void (webgpuAnswer = `the adapter probe failed: ${(e as Error).message}`),
    );
  }
  return webgpuProbe;
}

async function findAdapter(): Promise<string | null> {
  const { GPU } = loadGpuJs();
  if (GPU.isWebGPUSupported) return (await GPU.isWebGPUAvailable()) ? null : 'navigator.gpu gave no adapter';
  if (typeof process === 'undefined' || !process.versions?.node) return 'no navigator.gpu';
  // Node: the 'webgpu' package (Dawn) provides navigator.gpu where its native binding loads.
  try {
    const importEsm = new Function('s', 'return import(s)') as (
      s: string,
    ) => Promise<{ create(o: string[]): unknown; globals: object }>;
    const dawn = await importEsm('webgpu');
    const gpu = dawn.create([]) as { requestAdapter(): Promise<unknown> };
    if (!(await gpu.requestAdapter())) return 'Dawn (the webgpu package) found no adapter';
    Object.assign(globalThis, dawn.globals);
    const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as { gpu?: unknown };
    nav.gpu = gpu;
    return null;
  } catch (e) {
    return `no navigator.gpu, and the webgpu package (Dawn) did not load: ${firstLine((e as Error).message)}`;
  }
}

function firstLine(s: string): string {
  const line = s.split('\n')[0] ?? s;
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

export interface ModeChoice {
  mode: GpuMode;
  /** For `session.backendInfo`: what runs and why the better modes do not. */
  reason: string;
}

/**
 * Picks the mode: `requested` when given (it must be available), else the best available one. WebGPU
 * is only taken when its asynchronous probe has answered yes and `allowAsync` (a synchronous-only
 * caller never gets it).
 */
export function chooseMode(requested: GpuMode | undefined, allowAsync: boolean): ModeChoice {
  if (requested !== undefined && !MODE_ORDER.includes(requested))
    throw new TypeError(`unknown gpu.js mode '${String(requested)}'; accepted: ${MODE_ORDER.join(', ')}`);
  const why = new Map(unavailableSync());
  if (webgpuAnswer === undefined)
    why.set('webgpu', 'the WebGPU adapter probe had not answered yet (sess.runAsync waits for it)');
  else if (webgpuAnswer !== null) why.set('webgpu', webgpuAnswer);
  else if (!allowAsync)
    why.set(
      'webgpu',
      'an adapter answered, but WebGPU only reads back asynchronously and the first run was synchronous (use sess.runAsync)',
    );
  if (requested) {
    const no = why.get(requested);
    if (no !== undefined && !(requested === 'webgpu' && webgpuAnswer === null)) {
      throw new Error(`gpu.js mode '${requested}' is not available: ${no}`);
    }
    return { mode: requested, reason: `gpu.js mode '${requested}' (requested): ${DESCRIPTION[requested]}` };
  }
  const mode = MODE_ORDER.find((m) => !why.has(m)) as GpuMode;
  const skipped = MODE_ORDER.slice(0, MODE_ORDER.indexOf(mode)).map((m) => `${m}: ${why.get(m) as string}`);
  return {
    mode,
    reason: `gpu.js mode '${mode}': ${DESCRIPTION[mode]}${skipped.length ? `. Better modes unavailable — ${skipped.join('; ')}` : ''}`,
  };
}

/** Every gpu.js mode that can run here (WebGPU only once its probe has answered). */
export function availableModes(): GpuMode[] {
  const why = unavailableSync();
  return MODE_ORDER.filter((m) => (m === 'webgpu' ? webgpuAnswer === null : !why.has(m)));
}

const runtimes = new Map<string, GpuRuntime>();

/** The process-wide runtime of a mode (one gpu.js instance and kernel cache per mode). */
export function runtimeFor(mode: GpuMode, async: boolean): GpuRuntime {
  const key = `${mode}|${async || mode === 'webgpu'}`;
  let rt = runtimes.get(key);
  if (!rt) {
    const { GPU } = loadGpuJs();
    rt = new GpuRuntime(mode, new GPU({ mode }), async || mode === 'webgpu');
    runtimes.set(key, rt);
  }
  return rt;
}
