import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { badOutputCount, Dim, Shape, shapeToString } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { defineOp, GradFn, InferContext, OutputSpec } from '../op_def';
import { declare, kinds, param, TensorValue } from '../../graph/signature';
import { zerosLike } from './broadcast';
import { concat, scalarAxis } from './concat';
import {
  buildOp,
  checkAxis,
  intTensor,
  intValues,
  requireInt,
  unknownDims,
  valueTensor,
  vectorLength,
} from './util';

/** Output specs of splitting `x` along `axis` into `n` pieces whose sizes along it `size(i, d)` gives. */
function pieces(
  ctx: InferContext,
  x: Shape,
  axis: number | null,
  n: number,
  sizes: (d: Dim) => Dim[] | null,
): OutputSpec[] {
  const dtype = ctx.dtypes[ctx.type === 'Split' ? 1 : 0] as DType;
  const all = (shape: Shape): OutputSpec[] =>
    new Array(n).fill(0).map(() => ({ shape: shape && shape.slice(), dtype }));
  if (x === null) return all(null);
  if (axis === null) return all(unknownDims(x.length));
  const ax = checkAxis(ctx, axis, x.length, 'split_dim');
  const ds = sizes(x[ax] as Dim);
  return all(x).map((o, i) => ({
    shape: (o.shape as Dim[]).map((d, k) => (k === ax ? (ds ? (ds[i] as Dim) : null) : d)),
    dtype,
  }));
}

/** The gradient of a split: the pieces' gradients (zeros where unused) concatenated back. */
const splitGrad =
  (axisInput: number, valueInput: number): GradFn =>
  (op, dys) => {
    const parts = dys.map((d, i) => d ?? zerosLike(op.outputs[i] as Tensor));
    const grads: (Tensor | null)[] = op.inputs.map(() => null);
    grads[valueInput] = concat(parts, op.inputs[axisInput] as Tensor);
    return grads;
  };

/** Split(split_dim:int32, value) with attr num_split: equal pieces. */
defineOp({
  type: 'Split',
  defaultName: 'split',
  infer: (ctx) => {
    const n = ctx.attrs.num_split as number;
    const bad = badOutputCount(n);
    if (bad !== undefined) ctx.fail(`num_split: ${bad}`);
    return pieces(ctx, ctx.shapes[1] as Shape, scalarAxis(ctx, 0), n, (d) => {
      if (d !== null && d % n !== 0) ctx.fail(`Dimension size must be evenly divisible by ${n} but is ${d}`);
      return d === null ? null : new Array<Dim>(n).fill(d / n);
    });
  },
  grad: splitGrad(0, 1),
});

/** SplitV(value, size_splits:int32, split_dim:int32) with attr num_split: pieces of the given sizes (one may be -1). */
defineOp({
  type: 'SplitV',
  defaultName: 'split',
  infer: (ctx) => {
    const n = ctx.attrs.num_split as number;
    const bad = badOutputCount(n);
    if (bad !== undefined) ctx.fail(`num_split: ${bad}`);
    requireInt(ctx, 1, 'size_splits');
    const len = vectorLength(ctx, 1, 'size_splits');
    if (len !== null && len !== n) ctx.fail(`Dimension must be ${n} but is ${len}`);
    const given = intValues(ctx, 1);
    return pieces(ctx, ctx.shapes[0] as Shape, scalarAxis(ctx, 2), n, (d) => {
      if (!given) return null;
      const minus = given.flatMap((s, i) => (s === -1 ? [i] : []));
      if (minus.length > 1)
        ctx.fail(`Only one dimensions can have a value of -1. Second one found at dimension ${minus[1]}`);
      const known = given.reduce((a, s) => (s === -1 ? a : a + s), 0);
      if (given.some((s) => s < -1))
        ctx.fail(`Split sizes must be non-negative or -1, got [${given.join(',')}]`);
      if (d === null) return given.map((s) => (s === -1 ? null : s));
      if ((minus.length === 0 && known !== d) || known > d) {
        ctx.fail(
          `Determined shape must either match input shape along split_dim exactly if fully specified, or be less than the size of the input along split_dim if not fully specified.  Got: ${known}`,
        );
      }
      return given.map((s) => (s === -1 ? d - known : s));
    });
  },
  grad: splitGrad(2, 0),
});

/**
 * Splits `value` along `axis` (default 0) into `numOrSizeSplits` equal pieces, or into pieces of the
 * listed sizes (one may be -1) — TF1's `tf.split(value, num_or_size_splits, axis=0, num=None,
 * name='split')`. `num` is needed only when the sizes are a tensor of unknown length.
 *
 * @example
 * const [a, b, c] = tf.split(x, 3, 1);            // [2,6] → three [2,2]
 * const [head, rest] = tf.split(x, [1, -1]);       // sizes along axis 0
 */
export const split = declare(
  'split',
  [
    param('value', kinds.tensor),
    param('numOrSizeSplits', kinds.tensor),
    param('axis', kinds.tensor, { default: 0 as TensorValue }),
    param('num', kinds.nullable(kinds.nonNegInt), { default: null }),
    param('name', kinds.name, { default: 'split' }),
  ] as const,
  (a): Tensor[] => {
    const x = a.value as TensorLike;
    const ax = a.axis as TensorLike;
    const nss = a.numOrSizeSplits as TensorLike;
    if (typeof nss === 'number') {
      const bad = badOutputCount(nss);
      if (bad !== undefined) throw new InvalidArgumentError(`split: num_split ${bad}`);
      return buildOp('Split', 'split', a.name, [x, ax], (g) => ({
        inputs: [intTensor(ax, 'split_dim', g), valueTensor(x, g)],
        attrs: { num_split: nss },
      })).outputs.slice();
    }
    return buildOp('SplitV', 'split', a.name, [x, nss, ax], (g) => {
      const sizes = intTensor(nss, 'size_splits', g);
      const n = sizes.shape?.length === 1 ? sizes.shape[0] : null;
      if (n !== null && n !== undefined && a.num !== null && a.num !== n)
        throw new InvalidArgumentError(`split: num = ${a.num} but size_splits has ${n} entries`);
      const num = n ?? a.num;
      if (num === undefined || num === null)
        throw new InvalidArgumentError(`Cannot infer num from shape ${shapeToString(sizes.shape)}`);
      return { inputs: [valueTensor(x, g), sizes, intTensor(ax, 'split_dim', g)], attrs: { num_split: num } };
    }).outputs.slice();
  },
);
