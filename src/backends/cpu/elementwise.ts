import type { MathNode } from 'mathjs';
import type { TypedArray } from '../../graph/dtype';
import { parseFormula } from '../../graph/formula';
import { emitFormula } from '../../graph/formula_emit';
import { stridesOf } from '../../graph/shape';
import { CPU_FORMULA_HELPERS, CPU_FORMULA_TABLE } from './formula';

/**
 * The CPU elementwise compiler: a formula over named inputs becomes one JS loop over typed arrays,
 * written from the parsed tree (by the formula emitter with the CPU's table, ./formula.ts) once per
 * (formula, broadcast pattern) and cached. Broadcasting is handled here, once: each input is read
 * either element by element, as a scalar, or through strides.
 */
export type ElementwiseLoop = (inputs: readonly TypedArray[], out: TypedArray) => void;

const cache = new Map<string, ElementwiseLoop>();

export function compileElementwise(
  formula: string,
  vars: readonly string[],
  inputShapes: readonly (readonly number[])[],
  outShape: readonly number[],
): ElementwiseLoop {
  const key = `${formula}|${vars.join(',')}|${inputShapes.map((s) => s.join('x')).join(';')}|${outShape.join('x')}`;
  let fn = cache.get(key);
  if (!fn) {
    fn = build(parseFormula(formula, vars), vars, inputShapes, outShape);
    if (cache.size > 5000) cache.clear();
    cache.set(key, fn);
  }
  return fn;
}

function build(
  node: MathNode,
  vars: readonly string[],
  inputShapes: readonly (readonly number[])[],
  outShape: readonly number[],
): ElementwiseLoop {
  const outSize = outShape.reduce((a, b) => a * b, 1);
  const rank = outShape.length;
  const kinds = inputShapes.map((s) => {
    const size = s.reduce((a, b) => a * b, 1);
    if (size === 1) return 'scalar';
    if (size === outSize) return 'full';
    return 'strided';
  });
  const prologue: string[] = vars.map((_v, i) => `const a${i} = ins[${i}];`);
  kinds.forEach((k, i) => {
    if (k === 'scalar') prologue.push(`const s${i} = a${i}[0];`);
  });
  const strided = kinds.map((k, i) => (k === 'strided' ? i : -1)).filter((i) => i >= 0);
  const index = (i: number): string => {
    const k = kinds[i];
    if (k === 'scalar') return `s${i}`;
    if (k === 'full') return `a${i}[i]`;
    return `a${i}[o${i} + j * l${i}]`;
  };
  const expr = emitFormula(node, CPU_FORMULA_TABLE, (name) => index(vars.indexOf(name)));
  let body: string;
  if (strided.length === 0) {
    body = `for (let i = 0; i < ${outSize}; i++) out[i] = ${expr};`;
  } else {
    // Per-input strides over the output's axes (0 where the input is broadcast).
    const inner = rank === 0 ? 1 : (outShape[rank - 1] as number);
    const consts: string[] = [];
    for (const i of strided) {
      const s = inputShapes[i] as readonly number[];
      const padded = [...new Array<number>(rank - s.length).fill(1), ...s];
      const st = stridesOf(padded).map((v, ax) => ((padded[ax] as number) === 1 ? 0 : v));
      consts.push(`const st${i} = [${st.join(',')}]; const l${i} = ${st[rank - 1] ?? 0};`);
    }
    const offsets = strided.map((i) => `let o${i} = 0;`).join(' ');
    const accum = strided.map((i) => `o${i} += c * st${i}[k];`).join(' ');
    body = `${consts.join('\n')}
      const shape = [${outShape.join(',')}];
      const rows = ${outSize / Math.max(inner, 1)};
      for (let r = 0; r < rows; r++) {
        ${offsets}
        let rem = r;
        for (let k = ${rank - 2}; k >= 0; k--) { const d = shape[k]; const c = rem % d; rem = (rem - c) / d; ${accum} }
        const base = r * ${inner};
        for (let j = 0; j < ${inner}; j++) { const i = base + j; out[i] = ${expr}; }
      }`;
  }
  const src = `return function elementwise(ins, out) {\n${prologue.join('\n')}\n${body}\n};`;
  // `Math` is a parameter, not a global lookup: under a test runner's sandbox (jest's vm context) every
  // global read of `Math` inside the loop is slow (≈ 0.2 µs), which made a 3M-element Adam update take
  // seconds; a parameter is a plain local.
  return new Function('H', 'Math', src)(CPU_FORMULA_HELPERS, Math) as ElementwiseLoop;
}
