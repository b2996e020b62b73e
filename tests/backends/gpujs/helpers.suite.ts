import type { IGPUKernelSettings } from 'gpu.js';
import { HELPER_NAMES, helperFunctions, makeProgram, useHelper } from '../../../src/backends/gpujs/program';
import { loadGpuJs } from '../../../src/backends/gpujs/runtime';
import type { GpuMode } from '../../../src/backends/gpujs';

/**
 * The GPU math helpers (program.ts) follow JavaScript's semantics — the CPU backend's — on every tested
 * gpu.js mode, at ordinary values, edge values (±0.5 ties, tiny arguments of expm1/log1p, overflow of
 * tanh/sigmoid), NaN and ±Infinity. GLSL's own pow/tanh/sign/round differ there.
 */
const XS = [-30, -2.5, -1.5, -0.5, -1e-6, 0, 1e-6, 0.5, 1.5, 2.5, 3, 30, 100, NaN, Infinity, -Infinity];
const REFERENCE: Record<string, (x: number, y: number) => number> = {
  tgBool: (x) => (x !== 0 && x === x ? 1 : 0),
  tgSquare: (x) => x * x,
  tgCube: (x) => x * x * x,
  tgMax: (a, b) => (a >= b || a !== a ? a : b),
  tgMin: (a, b) => (a <= b || a !== a ? a : b),
  tgSign: Math.sign,
  tgToInt: (x) => x | 0,
  tgRound: (x) => (Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x)),
  tgExpm1: Math.expm1,
  tgLog1p: Math.log1p,
  tgTanh: Math.tanh,
  tgSinh: Math.sinh,
  tgCosh: Math.cosh,
  tgSigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tgSoftplus: (x) => Math.log1p(Math.exp(x)),
  tgPow: Math.pow,
};
const BINARY = new Set(['tgMax', 'tgMin', 'tgPow']);

export function helperSuite(mode: GpuMode): void {
  test('every helper has a reference here', () => {
    expect([...HELPER_NAMES].sort()).toEqual(Object.keys(REFERENCE).sort());
  });

  describe('GPU math helpers', () => {
    const { GPU } = loadGpuJs();
    const gpu = new GPU({ mode });
    for (const name of HELPER_NAMES) {
      for (const y of BINARY.has(name) ? [2, 3, -1, 0.5, NaN] : [0]) {
        test(`${name}${BINARY.has(name) ? ` (x, ${y})` : ''}`, () => {
          const helpers = new Set<string>();
          useHelper(helpers, name);
          // NaN cannot be a literal: it is read from the input (XS[13]).
          const second = Number.isNaN(y) ? 'a[13]' : Number.isInteger(y) ? `${y}.0` : String(y);
          const p = makeProgram(
            XS.length,
            ['a'],
            `return ${name}(a[i]${BINARY.has(name) ? `, ${second}` : ''});`,
            helpers,
          );
          const kernel = gpu.createKernel(p.source, {
            output: [XS.length],
            precision: 'single',
            tactic: 'precision',
            functions: helperFunctions([...helpers]) as unknown as IGPUKernelSettings['functions'],
          });
          const got = Array.from(kernel(new Float32Array(XS)) as Float32Array);
          const ref = REFERENCE[name] as (x: number, y: number) => number;
          XS.forEach((x, i) => {
            const e = Math.fround(ref(Math.fround(x), y));
            const a = got[i] as number;
            const ok =
              Object.is(a, e) ||
              (Number.isNaN(a) && Number.isNaN(e)) ||
              Math.abs(a - e) <= 1e-5 * Math.max(1, Math.abs(e));
            if (!ok)
              throw new Error(
                `${name}(${x}${BINARY.has(name) ? `, ${y}` : ''}) = ${a} on ${mode}, JavaScript gives ${e}`,
              );
          });
        });
      }
    }
  });
}
