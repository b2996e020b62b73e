import { DType } from '../../graph/dtype';
import { Shape, shapeToString } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { NDArray } from '../../ndarray';
import { declare, kinds, param, TensorValue } from '../../graph/signature';
import { defineOp, InferContext, makeTensor } from '../op_def';
import { buildTensor, valueTensor } from './util';

/**
 * TF1's Range semantics, shared by shape inference and the kernels: the number of elements (TF1's
 * errors for a zero delta or a delta pointing away from the limit), computed in the op's dtype
 * (float32 arithmetic for float32, as TF1's kernel does).
 */
export function rangeSize(start: number, limit: number, delta: number, dtype: DType): number | string {
  if (delta === 0) return `Requires delta != 0: ${delta}`;
  if (delta > 0 && start > limit) return `Requires start <= limit when delta > 0: ${start}/${limit}`;
  if (delta < 0 && start < limit) return `Requires start >= limit when delta < 0: ${start}/${limit}`;
  if (dtype === 'int32') {
    return Math.floor((Math.abs(limit - start) + Math.abs(delta) - 1) / Math.abs(delta));
  }
  const f = Math.fround;
  return Math.ceil(Math.abs(f(f(f(limit) - f(start)) / f(delta))));
}

/** The values of a range: `start`, then repeated additions of `delta` in the op's dtype (TF1's kernel). */
export function rangeValues(
  start: number,
  delta: number,
  n: number,
  dtype: DType,
  out: { [i: number]: number },
): void {
  if (dtype === 'int32') {
    for (let i = 0; i < n; i++) out[i] = start + i * delta;
    return;
  }
  const f = Math.fround;
  let v = f(start);
  const d = f(delta);
  for (let i = 0; i < n; i++) {
    out[i] = v;
    v = f(v + d);
  }
}

function scalarValue(ctx: InferContext, i: number): number | null {
  const v = ctx.value(i);
  return v ? (v.data[0] as number) : null;
}

/** Range(start, limit, delta) with attr Tidx: the 1-D sequence start, start + delta, … up to (excluding) limit. */
defineOp({
  type: 'Range',
  defaultName: 'range',
  infer: (ctx) => {
    const names = ['start', 'limit', 'delta'];
    const dtype = ctx.attrs.Tidx as DType;
    if (dtype !== 'int32' && dtype !== 'float32') {
      ctx.fail(`Value for attr 'Tidx' of ${dtype} is not in the list of allowed values: float32, int32`);
    }
    names.forEach((n, i) => {
      const s = ctx.shapes[i] as Shape;
      if (s !== null && s.length !== 0) ctx.fail(`${n} must be a scalar, not shape ${shapeToString(s)}`);
      if (ctx.dtypes[i] !== dtype) {
        ctx.fail(
          `Input '${n}' of 'Range' Op has type ${ctx.dtypes[i]} that does not match type ${dtype} of argument 'start'.`,
        );
      }
    });
    const [start, limit, delta] = [0, 1, 2].map((i) => scalarValue(ctx, i)) as [
      number | null,
      number | null,
      number | null,
    ];
    if (start === null || limit === null || delta === null) return [{ shape: [null], dtype }];
    const n = rangeSize(start, limit, delta, dtype);
    if (typeof n === 'string') return ctx.fail(n);
    return [{ shape: [n], dtype }];
  },
  grad: 'none',
});

const RANK: Record<string, number> = { int32: 0, float32: 1 };

function argDtype(v: unknown): DType | undefined {
  if (v instanceof Tensor || v instanceof NDArray) return v.dtype;
  if (typeof v === 'number') return Number.isInteger(v) ? 'int32' : 'float32';
  if (v instanceof Int32Array) return 'int32';
  if (v instanceof Float32Array) return 'float32';
  return undefined;
}

/**
 * A 1-D sequence of numbers — TF1's `tf.range(start, limit=None, delta=1, dtype=None, name='range')`;
 * `tf.range(limit)` starts at 0. The dtype is inferred as TF1 does (all integers → int32, any float →
 * float32) unless given. A delta pointing away from the limit is an error, as in TF1; `start == limit`
 * gives an empty range. Arguments may be scalar tensors (the length is then known at run time).
 *
 * @example
 * tf.range(5);                 // [0, 1, 2, 3, 4] int32
 * tf.range(3, 18, 3);          // [3, 6, 9, 12, 15]
 * tf.range(3, 1, -0.5);        // [3, 2.5, 2, 1.5] float32
 * tf.range(tf.shape(x).at(0)); // 0 .. batch-1
 */
export const range = declare(
  'range',
  [
    param('start', kinds.tensor),
    param('limit', kinds.nullable(kinds.tensor), { default: null }),
    param('delta', kinds.tensor, { default: 1 as TensorValue }),
    param('dtype', kinds.nullable(kinds.dtype), { default: null }),
    param('name', kinds.name, { default: 'range' }),
  ] as const,
  (a): Tensor => {
    let start = a.start as TensorLike;
    let limit = a.limit as TensorLike | null;
    if (limit === null) [start, limit] = [0, start];
    const args: [string, TensorLike][] = [
      ['start', start],
      ['limit', limit],
      ['delta', a.delta as TensorLike],
    ];
    const dtypes = args.map(([n, v]) => {
      const dt = argDtype(v);
      if (dt === undefined || !(dt in RANK)) {
        throw new TypeError(
          `range(): argument '${n}' must be a scalar int32 or float32 number or Tensor, got ${
            dt ?? (Array.isArray(v) ? 'an array' : typeof v)
          }`,
        );
      }
      return dt as DType;
    });
    const explicit = a.dtype;
    if (explicit !== null && explicit !== 'int32' && explicit !== 'float32') {
      throw new TypeError(`range(): dtype must be int32 or float32, got ${explicit}`);
    }
    const dtype: DType =
      explicit ??
      dtypes.reduce<DType>((m, d) => ((RANK[d] as number) > (RANK[m] as number) ? d : m), 'int32');
    return buildTensor(
      'Range',
      'range',
      a.name,
      args.map(([, v]) => v),
      (g) => {
        const inputs = args.map(([n, v], i) => {
          if (dtype === 'int32' && !(v instanceof Tensor) && dtypes[i] !== 'int32') {
            throw new TypeError(
              `range(): argument '${n}' = ${String(v)} cannot be converted to int32 exactly`,
            );
          }
          const t = v instanceof Tensor ? v : valueTensor(v, g, dtype);
          {
            if (t.dtype === dtype) return t;
            if (explicit !== null) {
              throw new TypeError(
                `range(): Tensor conversion requested dtype ${dtype} for Tensor with dtype ${t.dtype}: '${t.name}' (argument '${n}')`,
              );
            }
            return makeTensor('Cast', [t], { DstT: dtype }, 'Cast');
          }
        });
        return { inputs, attrs: { Tidx: dtype } };
      },
    );
  },
);
