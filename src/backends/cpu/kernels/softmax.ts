import { registerKernel } from '../../backend';
import type { KernelContext } from '../../backend';
import { NDArray } from '../../../ndarray';
import { InvalidArgumentError } from '../../../errors';
import type { TypedArray } from '../../../graph/dtype';

/**
 * CPU kernels of Softmax, LogSoftmax and the fused softmax cross-entropies. Each works on rows along
 * the op's `axis` (stride `inner` apart), subtracts the row maximum before exponentiating and
 * accumulates in float64, so logits of ±1000 stay finite.
 */
interface Rows {
  outer: number;
  n: number;
  inner: number;
}

function rowsOf(shape: number[], axisAttr: unknown): Rows {
  const rank = shape.length;
  const a = (axisAttr as number | undefined) ?? -1;
  const axis = a < 0 ? a + rank : a;
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i] as number;
  for (let i = axis + 1; i < rank; i++) inner *= shape[i] as number;
  return { outer, n: shape[axis] as number, inner };
}

/** Calls fn(base, stride, rowIndex) for each row; the row's elements are base + k·stride, k < n. */
function forEachRow(r: Rows, fn: (base: number, stride: number, row: number) => void): void {
  for (let o = 0; o < r.outer; o++) {
    for (let i = 0; i < r.inner; i++) fn(o * r.n * r.inner + i, r.inner, o * r.inner + i);
  }
}

/**
 * The row maximum, Σ exp(x − max) and its log. Results are formed from the shifted values x − max
 * only (never max + log Σ, which loses log Σ when |max| is large: softmax([1e20, 1e20]) must be 0.5).
 */
function rowStats(
  x: TypedArray,
  base: number,
  stride: number,
  n: number,
): { max: number; sum: number; logSum: number } {
  let max = -Infinity;
  for (let k = 0; k < n; k++) max = Math.max(max, x[base + k * stride] as number);
  if (max === -Infinity) max = 0;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += Math.exp((x[base + k * stride] as number) - max);
  return { max, sum, logSum: Math.log(sum) };
}

function alloc(ctx: KernelContext, i: number): { shape: number[]; data: TypedArray } {
  const shape = (ctx.outputs[i] as { shape: number[] }).shape;
  return {
    shape,
    data: ctx.alloc(
      'float32',
      shape.reduce((a, b) => a * b, 1),
    ),
  };
}

const result = (...outs: { shape: number[]; data: TypedArray }[]): NDArray[] =>
  outs.map((o) => new NDArray(o.data, o.shape, 'float32'));

registerKernel('cpu', 'Softmax', ([logits], ctx) => {
  const x = (logits as NDArray).data;
  const out = alloc(ctx, 0);
  const r = rowsOf(out.shape, ctx.attrs.axis);
  forEachRow(r, (base, stride) => {
    const { max, sum } = rowStats(x, base, stride, r.n);
    for (let k = 0; k < r.n; k++)
      out.data[base + k * stride] = Math.exp((x[base + k * stride] as number) - max) / sum;
  });
  return result(out);
});

registerKernel('cpu', 'LogSoftmax', ([logits], ctx) => {
  const x = (logits as NDArray).data;
  const out = alloc(ctx, 0);
  const r = rowsOf(out.shape, ctx.attrs.axis);
  forEachRow(r, (base, stride) => {
    const { max, logSum } = rowStats(x, base, stride, r.n);
    for (let k = 0; k < r.n; k++)
      out.data[base + k * stride] = (x[base + k * stride] as number) - max - logSum;
  });
  return result(out);
});

// loss = Σ labels·(lse − x); backprop = ∂loss/∂x = Σlabels·softmax(x) − labels (TF1's softmax − labels
// when the labels sum to 1, and still the exact gradient when they do not).
registerKernel('cpu', 'SoftmaxCrossEntropyWithLogits', ([logits, labels], ctx) => {
  const x = (logits as NDArray).data;
  const z = (labels as NDArray).data;
  const [loss, back] = [alloc(ctx, 0), alloc(ctx, 1)];
  const r = rowsOf(back.shape, ctx.attrs.axis);
  forEachRow(r, (base, stride, row) => {
    const { max, sum, logSum } = rowStats(x, base, stride, r.n);
    let l = 0;
    let total = 0;
    for (let k = 0; k < r.n; k++) {
      const i = base + k * stride;
      const zi = z[i] as number;
      total += zi;
      if (zi !== 0) l += zi * (logSum - ((x[i] as number) - max));
    }
    for (let k = 0; k < r.n; k++) {
      const i = base + k * stride;
      back.data[i] = (total * Math.exp((x[i] as number) - max)) / sum - (z[i] as number);
    }
    loss.data[row] = l;
  });
  return result(loss, back);
});

// loss = lse − x[label]; backprop = softmax(x) − onehot(label). Labels are validated first.
registerKernel('cpu', 'SparseSoftmaxCrossEntropyWithLogits', ([logits, labels], ctx) => {
  const x = (logits as NDArray).data;
  const y = (labels as NDArray).data;
  const [loss, back] = [alloc(ctx, 0), alloc(ctx, 1)];
  const r = rowsOf(back.shape, -1);
  for (let row = 0; row < y.length; row++) {
    const label = y[row] as number;
    if (label < 0 || label >= r.n) {
      const shown = Array.from(y.subarray(0, 32)).join(' ') + (y.length > 32 ? ' ...' : '');
      throw new InvalidArgumentError(
        `Received a label value of ${label} which is outside the valid range of [0, ${r.n}).  Label values: ${shown}`,
      );
    }
  }
  forEachRow(r, (base, stride, row) => {
    const { max, sum, logSum } = rowStats(x, base, stride, r.n);
    const label = y[row] as number;
    for (let k = 0; k < r.n; k++) {
      const i = base + k * stride;
      back.data[i] = Math.exp((x[i] as number) - max) / sum - (k === label ? 1 : 0);
    }
    loss.data[row] = logSum - ((x[base + label * stride] as number) - max);
  });
  return result(loss, back);
});
