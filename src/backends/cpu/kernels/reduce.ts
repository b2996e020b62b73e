// CPU kernels of the reduce op family (registered on import).
import { KernelContext, registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf } from '../../../graph/shape';
import type { TypedArray } from '../../../graph/dtype';
import type { Operation } from '../../../graph/tensor';
import { axesOf } from '../../../ops/reduce/axes';

/**
 * How a reduction walks its input. When the reduced axes form one contiguous block (size-1 dims ignored)
 * the input is viewed as [outer, red, inner] and reduced with tight loops, no permutation; otherwise
 * `map` gives each input element's output index (one odometer pass, cached per op and shape).
 */
interface Layout {
  outSize: number;
  red: number;
  outer: number;
  inner: number;
  map?: Int32Array;
}

function computeLayout(shape: readonly number[], axes: readonly number[]): Layout {
  const rank = shape.length;
  const reduced = shape.map((_d, i) => axes.includes(i));
  let red = 1;
  let outSize = 1;
  let first = -1;
  let last = -1;
  shape.forEach((d, i) => {
    if (reduced[i]) red *= d;
    else outSize *= d;
    if (reduced[i] && d !== 1) {
      if (first < 0) first = i;
      last = i;
    }
  });
  if (first < 0) return { outSize, red, outer: outSize, inner: 1 };
  let contiguous = true;
  for (let i = first + 1; i < last; i++) if (!reduced[i] && shape[i] !== 1) contiguous = false;
  if (contiguous) {
    return { outSize, red, outer: sizeOf(shape.slice(0, first)), inner: sizeOf(shape.slice(last + 1)) };
  }
  const outStrides = new Array<number>(rank).fill(0);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    if (!reduced[i]) {
      outStrides[i] = s;
      s *= shape[i] as number;
    }
  }
  const n = sizeOf(shape);
  const map = new Int32Array(n);
  const idx = new Array<number>(rank).fill(0);
  let off = 0;
  for (let k = 0; k < n; k++) {
    map[k] = off;
    for (let ax = rank - 1; ax >= 0; ax--) {
      idx[ax] = (idx[ax] as number) + 1;
      off += outStrides[ax] as number;
      if ((idx[ax] as number) < (shape[ax] as number)) break;
      off -= (outStrides[ax] as number) * (shape[ax] as number);
      idx[ax] = 0;
    }
  }
  return { outSize, red, outer: 0, inner: 0, map };
}

const layouts = new WeakMap<Operation, { key: string; layout: Layout }>();

/** The layout of reducing `shape` over the op's `axis` attr, cached per op for the last shape seen. */
function layoutFor(op: Operation, shape: readonly number[]): Layout {
  const key = shape.join(',');
  const hit = layouts.get(op);
  if (hit && hit.key === key) return hit.layout;
  const layout = computeLayout(shape, axesOf(op.attrs.axis, shape.length));
  layouts.set(op, { key, layout });
  return layout;
}

function sumInto(x: TypedArray, out: TypedArray, L: Layout): void {
  out.fill(0); // buffers may be recycled by the memory plan: never assume zeros
  if (L.map) {
    const m = L.map;
    for (let i = 0; i < x.length; i++)
      out[m[i] as number] = (out[m[i] as number] as number) + (x[i] as number);
    return;
  }
  const { outer, red, inner } = L;
  if (inner === 1) {
    for (let o = 0, base = 0; o < outer; o++, base += red) {
      let acc = 0;
      for (let r = 0; r < red; r++) acc += x[base + r] as number;
      out[o] = acc;
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    for (let r = 0; r < red; r++) {
      const xb = (o * red + r) * inner;
      for (let i = 0; i < inner; i++) out[ob + i] = (out[ob + i] as number) + (x[xb + i] as number);
    }
  }
}

type Combine = (acc: number, v: number) => number;

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const max: Combine = (a, b) => (b > a || b !== b ? b : a);
const min: Combine = (a, b) => (b < a || b !== b ? b : a);
const mul: Combine = (a, b) => a * b;

function combineInto(x: TypedArray, out: TypedArray, L: Layout, init: number, f: Combine): void {
  out.fill(init);
  if (L.map) {
    const m = L.map;
    for (let i = 0; i < x.length; i++) out[m[i] as number] = f(out[m[i] as number] as number, x[i] as number);
    return;
  }
  const { outer, red, inner } = L;
  if (inner === 1) {
    // Rows of contiguous elements: the hot case (last-axis max/min), with the comparison inlined.
    for (let o = 0, b = 0; o < outer; o++, b += red) out[o] = foldRow(x, b, red, init, f);
    return;
  }
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    for (let r = 0; r < red; r++) {
      const xb = (o * red + r) * inner;
      for (let i = 0; i < inner; i++) out[ob + i] = f(out[ob + i] as number, x[xb + i] as number);
    }
  }
}

function foldRow(x: TypedArray, b: number, red: number, init: number, f: Combine): number {
  let acc = init;
  if (f === max) {
    for (let r = 0; r < red; r++) {
      const v = x[b + r] as number;
      if (v > acc || v !== v) acc = v;
    }
  } else if (f === min) {
    for (let r = 0; r < red; r++) {
      const v = x[b + r] as number;
      if (v < acc || v !== v) acc = v;
    }
  } else {
    for (let r = 0; r < red; r++) acc = f(acc, x[b + r] as number);
  }
  return acc;
}

type Kind = 'Sum' | 'Mean' | 'Max' | 'Min' | 'Prod';

function reduceKernel(kind: Kind) {
  return ([x]: NDArray[], ctx: KernelContext): NDArray[] => {
    const v = x as NDArray;
    const spec = ctx.outputs[0] as { shape: number[]; dtype: NDArray['dtype'] };
    const L = layoutFor(ctx.op, v.shape);
    const out = ctx.alloc(spec.dtype, L.outSize);
    const isInt = spec.dtype === 'int32';
    if (kind === 'Sum' || kind === 'Mean') {
      sumInto(v.data, out, L);
      if (kind === 'Mean') {
        if (isInt) for (let i = 0; i < out.length; i++) out[i] = Math.trunc((out[i] as number) / L.red);
        else for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / L.red;
      }
    } else if (kind === 'Max') combineInto(v.data, out, L, isInt ? INT_MIN : -Infinity, max);
    else if (kind === 'Min') combineInto(v.data, out, L, isInt ? INT_MAX : Infinity, min);
    else combineInto(v.data, out, L, 1, isInt ? Math.imul : mul);
    return [new NDArray(out, spec.shape, spec.dtype)];
  };
}
for (const kind of ['Sum', 'Mean', 'Max', 'Min', 'Prod'] as const)
  registerKernel('cpu', kind, reduceKernel(kind));

/** ArgMax/ArgMin over one axis, viewed as [outer, n, inner]; the first index wins ties; NaN wins. */
function argKernel(isMax: boolean) {
  return ([x]: NDArray[], ctx: KernelContext): NDArray[] => {
    const v = x as NDArray;
    const rank = v.shape.length;
    const a = ctx.attrs.axis as number;
    const axis = a < 0 ? a + rank : a;
    const n = v.shape[axis] as number;
    const outer = sizeOf(v.shape.slice(0, axis));
    const inner = sizeOf(v.shape.slice(axis + 1));
    const spec = ctx.outputs[0] as { shape: number[] };
    const out = ctx.alloc('int32', outer * inner);
    const src = v.data;
    out.fill(0);
    // Comparisons are inlined, not callbacks: a shared call site would go megamorphic (ArgMax vs ArgMin).
    if (inner === 1) {
      for (let o = 0, b = 0; o < outer; o++, b += n) {
        let bv = src[b] as number;
        for (let r = 1; r < n; r++) {
          const val = src[b + r] as number;
          if ((isMax ? val > bv : val < bv) || (val !== val && bv === bv)) {
            bv = val;
            out[o] = r;
          }
        }
      }
      return [new NDArray(out, spec.shape, 'int32')];
    }
    const best = new Float64Array(inner);
    for (let o = 0; o < outer; o++) {
      const ob = o * inner;
      for (let i = 0; i < inner; i++) best[i] = src[o * n * inner + i] as number;
      for (let r = 1; r < n; r++) {
        const xb = (o * n + r) * inner;
        for (let i = 0; i < inner; i++) {
          const val = src[xb + i] as number;
          const bv = best[i] as number;
          if ((isMax ? val > bv : val < bv) || (val !== val && bv === bv)) {
            best[i] = val;
            out[ob + i] = r;
          }
        }
      }
    }
    return [new NDArray(out, spec.shape, 'int32')];
  };
}
registerKernel('cpu', 'ArgMax', argKernel(true));
registerKernel('cpu', 'ArgMin', argKernel(false));

/** Broadcasts dy back over the reduced axes of `like` (divided by the count for Mean's gradient). */
registerKernel('cpu', 'BroadcastReduced', ([dy, like], ctx) => {
  const shape = (like as NDArray).shape;
  const L = layoutFor(ctx.op, shape);
  const dtype = (dy as NDArray).dtype;
  const out = ctx.alloc(dtype, sizeOf(shape));
  const src = (dy as NDArray).data;
  const scale = ctx.attrs.mean === true ? 1 / L.red : 1;
  if (L.map) {
    const m = L.map;
    for (let i = 0; i < out.length; i++) out[i] = (src[m[i] as number] as number) * scale;
  } else if (L.inner === 1) {
    for (let o = 0; o < L.outer; o++) out.fill((src[o] as number) * scale, o * L.red, (o + 1) * L.red);
  } else {
    const { outer, red, inner } = L;
    for (let o = 0; o < outer; o++) {
      for (let r = 0; r < red; r++) {
        const xb = (o * red + r) * inner;
        for (let i = 0; i < inner; i++) out[xb + i] = (src[o * inner + i] as number) * scale;
      }
    }
  }
  return [new NDArray(out, shape.slice(), dtype)];
});

/** Input indices listed group by group (each group: the `red` elements reduced into one output). */
function groupOrder(L: Layout, n: number): Int32Array {
  const order = new Int32Array(n);
  if (L.map) {
    const filled = new Int32Array(L.outSize);
    for (let i = 0; i < n; i++) {
      const g = L.map[i] as number;
      order[g * L.red + (filled[g] as number)] = i;
      filled[g] = (filled[g] as number) + 1;
    }
    return order;
  }
  let k = 0;
  for (let o = 0; o < L.outer; o++) {
    for (let i = 0; i < L.inner; i++)
      for (let r = 0; r < L.red; r++) order[k++] = (o * L.red + r) * L.inner + i;
  }
  return order;
}

/** Product of the other elements of each group: exclusive prefix times exclusive suffix products. */
registerKernel('cpu', 'ProdExceptSelf', ([x], ctx) => {
  const v = x as NDArray;
  const L = layoutFor(ctx.op, v.shape);
  const order = groupOrder(L, v.size);
  const out = ctx.alloc(v.dtype, v.size);
  const src = v.data;
  for (let base = 0; base < v.size; base += L.red) {
    let p = 1;
    for (let k = 0; k < L.red; k++) {
      const idx = order[base + k] as number;
      out[idx] = p;
      p *= src[idx] as number;
    }
    p = 1;
    for (let k = L.red - 1; k >= 0; k--) {
      const idx = order[base + k] as number;
      out[idx] = (out[idx] as number) * p;
      p *= src[idx] as number;
    }
  }
  return [new NDArray(out, v.shape.slice(), v.dtype)];
});
