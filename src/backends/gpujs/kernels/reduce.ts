import type { DType } from '../../../graph/dtype';
import { sizeOf, stridesOf } from '../../../graph/shape';
import { NDArray } from '../../../ndarray';
import { axesOf } from '../../../ops/reduce/axes';
import { coords, ilit, linear, lit, makeProgram, useHelper } from '../program';
import { registerKernel } from '../../backend';
import { asGpu, GpuKernelContext, GpuRun } from '../registry';
import type { Program } from '../runtime';
import type { GpuTensor } from '../tensor';

/**
 * Reductions on the GPU: one thread per output element loops over its group (nested loops with
 * constant bounds, one per reduced axis), so any set of axes reduces in one kernel without transposes.
 * NaN propagates through max/min as on the CPU; ArgMax/ArgMin keep the first extreme index.
 */
type Out = { shape: number[]; dtype: DType };
type Kind = 'sum' | 'prod' | 'max' | 'min';

/** Loops over the reduced axes of `shape`: `visit(offset)` is the loop body's statements. */
function loops(shape: readonly number[], axes: readonly number[], visit: (offset: string) => string): string {
  const st = stridesOf(shape);
  const reduced = axes.filter((a) => (shape[a] as number) > 1);
  const open = reduced.map((a, k) => `for (let r${k} = 0; r${k} < ${ilit(shape[a] as number)}; r${k}++) {`);
  const offset = linear(
    reduced.map((_a, k) => `r${k}`),
    reduced.map((a) => st[a] as number),
  );
  return [...open, visit(offset), ...reduced.map(() => '}')].join('\n');
}

/** Statements declaring `base`, the offset of output element i's group (kept axes in order). */
function groupBase(shape: readonly number[], axes: readonly number[]): string {
  const st = stridesOf(shape);
  const kept = shape.map((_d, a) => a).filter((a) => !axes.includes(a));
  const keptShape = kept.map((a) => shape[a] as number);
  const names = kept.map((_a, k) => `k${k}`);
  return `${coords(keptShape, 'i', 'k')}\nconst base = ${linear(
    names,
    kept.map((a) => st[a] as number),
  )};`;
}

/**
 * Reduces `x` over `axes` with `kind`; `pre` maps each element, `post` the result (sources over `v` and
 * `acc`).
 */
export function reduceProgram(shape: number[], axes: number[], kind: Kind, pre = 'v', post = 'acc'): Program {
  const outSize = sizeOf(shape.filter((_d, a) => !axes.includes(a)));
  const helpers = new Set<string>();
  const combine =
    kind === 'sum'
      ? 'acc += v;'
      : kind === 'prod'
        ? 'acc *= v;'
        : `acc = ${useHelper(helpers, kind === 'max' ? 'tgMax' : 'tgMin')}(acc, v);`;
  // max/min start from the group's first element (folding it in again changes nothing).
  const init = kind === 'sum' ? '0.0' : kind === 'prod' ? '1.0' : 'x[base]';
  const body = [
    groupBase(shape, axes),
    `let acc = ${init};`,
    loops(
      shape,
      axes,
      (off) => `const v0 = x[base + ${off}];\nconst v = ${pre.replace(/\bv\b/g, 'v0')};\n${combine}`,
    ),
    `return ${post};`,
  ].join('\n');
  return makeProgram(outSize, ['x'], body, helpers);
}

/** The value of an empty reduction (a reduced axis of size 0): constant, made on the host. */
export function emptyReduction(ctx: GpuKernelContext, out: Out, value: number): GpuTensor {
  const data = new Float32Array(sizeOf(out.shape)).fill(value);
  return ctx.upload(
    new NDArray(out.dtype === 'float32' ? data : Int32Array.from(data), out.shape, out.dtype),
  );
}

function reduce(kind: Kind, mean: boolean): GpuRun {
  return ([x], ctx) => {
    const v = asGpu(x);
    const out = ctx.outputs[0] as Out;
    const axes = axesOf(ctx.attrs.axis, v.shape.length);
    const red = sizeOf(axes.map((a) => v.shape[a] as number));
    if (sizeOf(out.shape) === 0) return [emptyReduction(ctx, out, 0)];
    if (red === 0) {
      const init = { sum: 0, prod: 1, max: -Infinity, min: Infinity }[kind];
      return [emptyReduction(ctx, out, mean ? NaN : init)];
    }
    if (red === 1) return [v.share(out.shape)];
    const p = reduceProgram(v.shape, axes, kind, 'v', mean ? `acc / ${lit(red)}` : 'acc');
    return [ctx.run(p, [v], out.shape, out.dtype)];
  };
}
registerKernel('gpu', 'Sum', { run: reduce('sum', false) });
registerKernel('gpu', 'Mean', { run: reduce('sum', true) });
registerKernel('gpu', 'Max', { run: reduce('max', false) });
registerKernel('gpu', 'Min', { run: reduce('min', false) });
registerKernel('gpu', 'Prod', { run: reduce('prod', false) });

registerKernel('gpu', 'ArgMax', { run: arg(true) });
registerKernel('gpu', 'ArgMin', { run: arg(false) });
function arg(isMax: boolean): GpuRun {
  return ([x], ctx) => {
    const v = asGpu(x);
    const out = ctx.outputs[0] as Out;
    const a = ctx.attrs.axis as number;
    const axis = a < 0 ? a + v.shape.length : a;
    const n = v.shape[axis] as number;
    const stride = stridesOf(v.shape)[axis] as number;
    const cmp = isMax ? 'u > best' : 'u < best';
    const body = [
      groupBase(v.shape, [axis]),
      'let best = x[base];',
      'let pos = 0.0;',
      'let at = 0.0;',
      `for (let r = 0; r < ${ilit(n)}; r++) {`,
      `  const u = x[base + r * ${ilit(stride)}];`,
      `  if ((${cmp}) || (u !== u && best === best)) { best = u; pos = at; }`,
      '  at += 1.0;',
      '}',
      'return pos;',
    ].join('\n');
    return [ctx.run(makeProgram(sizeOf(out.shape), ['x'], body), [v], out.shape, out.dtype)];
  };
}

/** dy (a Sum/Mean result) broadcast back over the reduced axes of `like`, divided by the count for Mean. */
registerKernel('gpu', 'BroadcastReduced', {
  shapeInputs: [1],
  run: ([dy], ctx) => {
    const g = asGpu(dy);
    const out = ctx.outputs[0] as Out;
    const shape = out.shape;
    const axes = axesOf(ctx.attrs.axis, shape.length);
    const red = sizeOf(axes.map((a) => shape[a] as number));
    const kept = shape.map((_d, a) => a).filter((a) => !axes.includes(a));
    const keptStrides = stridesOf(kept.map((a) => shape[a] as number));
    const index = linear(
      kept.map((a) => `c${a}`),
      keptStrides,
    );
    const scale = ctx.attrs.mean === true ? ` * ${lit(1 / red)}` : '';
    if (g.size === 0) return [emptyReduction(ctx, out, 0)];
    const p = makeProgram(sizeOf(shape), ['g'], `${coords(shape)}\nreturn g[${index}]${scale};`);
    return [ctx.run(p, [g], shape, out.dtype)];
  },
});

/** For each element, the product of the other elements of its reduction group (exact with zeros). */
registerKernel('gpu', 'ProdExceptSelf', {
  run: ([x], ctx) => {
    const v = asGpu(x);
    const out = ctx.outputs[0] as Out;
    const axes = axesOf(ctx.attrs.axis, v.shape.length);
    const st = stridesOf(v.shape);
    const names = v.shape.map((_d, a) => `c${a}`);
    const keptStrides = st.map((s, a) => (axes.includes(a) ? 0 : s));
    const redStrides = st.map((s, a) => (axes.includes(a) ? s : 0));
    const body = [
      coords(v.shape),
      `const base = ${linear(names, keptStrides)};`,
      `const self = ${linear(names, redStrides)};`,
      'let acc = 1.0;',
      loops(v.shape, axes, (off) => `const o = ${off};\nif (o !== self) { acc *= x[base + o]; }`),
      'return acc;',
    ].join('\n');
    return [ctx.run(makeProgram(v.size, ['x'], body), [v], out.shape, out.dtype)];
  },
});
