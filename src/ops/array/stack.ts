import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { badOutputCount, Dim, mergeShapes, Shape, shapeToString } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { defineOp, firstDtype } from '../op_def';
import { zerosLike } from './broadcast';
import { declare, kinds, param } from '../../graph/signature';
import { buildOp, buildTensor, commonDtype, valueTensor } from './util';

/** Pack(values_0..values_{N-1}) with attrs N, axis: stacks same-shaped tensors along a new axis. */
defineOp({
  type: 'Pack',
  defaultName: 'stack',
  infer: (ctx) => {
    const n = ctx.attrs.N as number;
    const dtype = commonDtype(ctx, 0, n);
    let merged: Shape = null;
    ctx.shapes.forEach((s, i) => {
      const m = mergeShapes(merged, s);
      if (m === undefined) {
        ctx.fail(
          `Shapes of all inputs must match: values[0].shape = ${shapeToString(ctx.shapes[0] as Shape)} != values[${i}].shape = ${shapeToString(s)}`,
        );
      }
      merged = m as Shape;
    });
    const shape = merged as Shape;
    if (shape === null) return [{ shape: null, dtype }];
    const axis = ctx.attrs.axis as number;
    const rank = shape.length + 1;
    if (axis < -rank || axis >= rank) ctx.fail(`axis = ${axis} not in [${-rank}, ${rank})`);
    const at = axis < 0 ? axis + rank : axis;
    return [{ shape: [...shape.slice(0, at), n, ...shape.slice(at)] as Dim[], dtype }];
  },
  grad: (op, [dy]) =>
    dy ? unstack(dy, op.attrs.N as number, op.attrs.axis as number) : op.inputs.map(() => null),
});

/** Unpack(value) with attrs num, axis: the `num` slices of `value` along `axis`, that axis removed. */
defineOp({
  type: 'Unpack',
  defaultName: 'unstack',
  infer: (ctx) => {
    const x = ctx.shapes[0] as Shape;
    const num = ctx.attrs.num as number;
    const axis = ctx.attrs.axis as number;
    const dtype = ctx.dtypes[0] as DType;
    if (num !== 0 && badOutputCount(num) !== undefined) ctx.fail(`num: ${badOutputCount(num)}`);
    if (x === null) return new Array(num).fill(0).map(() => ({ shape: null, dtype }));
    const rank = x.length;
    if (axis < -rank || axis >= rank) ctx.fail(`axis = ${axis} not in [${-rank}, ${rank})`);
    const at = axis < 0 ? axis + rank : axis;
    const d = x[at] as Dim;
    if (d !== null && d !== num) ctx.fail(`Dimension must be ${num} but is ${d}`);
    const shape = x.filter((_d, i) => i !== at);
    return new Array(num).fill(0).map(() => ({ shape: shape.slice(), dtype }));
  },
  grad: (op, dys) => [
    stack(
      dys.map((d, i) => d ?? zerosLike(op.outputs[i] as Tensor)),
      op.attrs.axis as number,
    ),
  ],
});

/**
 * Stacks tensors of one shape along a new axis — TF1's `tf.stack(values, axis=0, name='stack')`.
 *
 * @example
 * tf.stack([a, b, c]);            // three [2,3] → [3,2,3]
 * tf.stack([a, b], 1);            // → [2,2,3]
 * tf.stack([a, b], { axis: 1 });  // the same
 */
export const stack = declare(
  'stack',
  [
    param('values', kinds.tensors),
    param('axis', kinds.int, { default: 0 }),
    param('name', kinds.name, { default: 'stack' }),
  ] as const,
  (a): Tensor => {
    const values = a.values as TensorLike[];
    if (values.length === 0) throw new InvalidArgumentError('stack: values must not be empty');
    return buildTensor('Pack', 'stack', a.name, values, (g) => {
      const dt = firstDtype(values);
      return { inputs: values.map((v) => valueTensor(v, g, dt)), attrs: { N: values.length, axis: a.axis } };
    });
  },
);

/**
 * Splits `value` into its slices along `axis` (default 0), removing that axis — TF1's
 * `tf.unstack(value, num=None, axis=0, name='unstack')`. `num` is needed only when the size of `axis`
 * is unknown at graph-building time; when both are known they must agree.
 *
 * @example
 * const [r0, r1] = tf.unstack(m);            // [2,3] → two [3]
 * const cols = tf.unstack(m, 3, 1);          // three [2]
 * const cols2 = tf.unstack(m, { axis: 1 });  // the same
 */
export const unstack = declare(
  'unstack',
  [
    param('value', kinds.tensor),
    param('num', kinds.nullable(kinds.nonNegInt), { default: null }),
    param('axis', kinds.int, { default: 0 }),
    param('name', kinds.name, { default: 'unstack' }),
  ] as const,
  (a): Tensor[] => {
    const axis = a.axis;
    return buildOp('Unpack', 'unstack', a.name, [a.value], (g) => {
      const xt = valueTensor(a.value, g);
      const s = xt.shape;
      if (s !== null && (axis < -s.length || axis >= s.length)) {
        throw new InvalidArgumentError(`axis = ${axis} not in [${-s.length}, ${s.length})`);
      }
      const d = s === null ? null : (s[axis < 0 ? axis + s.length : axis] as Dim);
      let num = a.num;
      if (num === null) {
        if (d === null) throw new InvalidArgumentError(`Cannot infer num from shape ${shapeToString(s)}`);
        num = d;
      }
      return { inputs: [xt], attrs: { num, axis } };
    }).outputs.slice();
  },
);
