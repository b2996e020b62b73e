import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { broadcastShapes, Shape, shapeToString } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { defineElementwise } from '../elementwise';
import { convertToTensor, defineOp, makeTensor } from '../op_def';
import { declare, kinds, param } from '../../graph/signature';
import { toNDArray } from '../../ndarray';

/**
 * The two primitives behind central unbroadcasting (DESIGN.md): gradient rules never deal with
 * broadcasting; gradients.ts sums each input's gradient back to the input's shape with SumToShapeOf.
 */
defineOp({
  type: 'SumToShapeOf',
  infer: (ctx) => {
    const [g, like] = ctx.shapes as [Shape, Shape];
    if (ctx.runtime && g && like && broadcastShapes(g, like) === undefined) {
      throw new InvalidArgumentError(`Incompatible shapes: ${shapeToString(g)} vs. ${shapeToString(like)}`);
    }
    return [{ shape: like, dtype: ctx.dtypes[0] as DType }];
  },
  grad: (op, [dy]) => [dy ? makeTensor('BroadcastToShapeOf', [dy, op.inputs[0] as Tensor], {}) : null, null],
});

defineOp({
  type: 'BroadcastToShapeOf',
  infer: (ctx) => {
    const [x, like] = ctx.shapes as [Shape, Shape];
    const out = broadcastShapes(x, like);
    if (out === undefined) ctx.fail(`Cannot broadcast ${shapeToString(x)} to ${shapeToString(like)}`);
    return [{ shape: like, dtype: ctx.dtypes[0] as DType }];
  },
  grad: (op, [dy]) => [dy ? makeTensor('SumToShapeOf', [dy, op.inputs[0] as Tensor], {}) : null, null],
});

defineElementwise({ type: 'ZerosLike', vars: ['x'], formula: '0', grads: 'none' });
defineElementwise({ type: 'OnesLike', vars: ['x'], formula: '1', grads: 'none' });

function filledLike(
  what: string,
  type: string,
  value: number,
  a: { tensor: unknown; dtype: DType | null; name?: string; optimize: boolean },
): Tensor {
  const x = a.tensor as TensorLike;
  const t = x instanceof Tensor ? x : convertToTensor(x);
  // `optimize` only chooses TF1's graph structure (a constant when the shape is static); values agree.
  if (a.dtype === null || a.dtype === t.dtype) return makeTensor(type, [t], {}, a.name ?? what);
  const scalar = makeTensor('Const', [], { value: toNDArray(value, a.dtype, true), dtype: a.dtype }, 'Const');
  return makeTensor(
    'Fill',
    [makeTensor('Shape', [t], { out_type: 'int32' }, 'Shape'), scalar],
    {},
    a.name ?? what,
  );
}

const likeParams = [
  param('tensor', kinds.tensor),
  param('dtype', kinds.nullable(kinds.dtype), { default: null }),
  param('name', kinds.name, { default: undefined as string | undefined }),
  param('optimize', kinds.bool, { default: true }),
] as const;

/** Zeros with the shape (and dtype, unless given) of `tensor` — TF1's `tf.zerosLike(tensor, dtype=None, name=None, optimize=True)`. @example tf.zerosLike(W) */
export const zerosLike = declare('zerosLike', likeParams, (a): Tensor =>
  filledLike('zeros_like', 'ZerosLike', 0, a),
);

/** Ones with the shape (and dtype, unless given) of `tensor` — TF1's `tf.onesLike(tensor, dtype=None, name=None, optimize=True)`. @example tf.onesLike(loss) */
export const onesLike = declare('onesLike', likeParams, (a): Tensor =>
  filledLike('ones_like', 'OnesLike', 1, a),
);

/** Sums `grad` over the axes along which `like` was broadcast, giving `like`'s shape. */
export function sumToShapeOf(grad: Tensor, like: Tensor): Tensor {
  return makeTensor('SumToShapeOf', [grad, like], {}, 'SumToShapeOf');
}

/** Broadcasts `x` to the runtime shape of `like` (the gradient of SumToShapeOf). */
export function broadcastToShapeOf(x: Tensor, like: Tensor): Tensor {
  return makeTensor('BroadcastToShapeOf', [x, like], {}, 'BroadcastToShapeOf');
}

/** Element sum of several same-shaped tensors (gradient fan-in). */
defineOp({
  type: 'AddN',
  elementwise: {
    vars: (attrs) => Array.from({ length: attrs.N as number }, (_v, i) => `x${i}`),
    formula: (attrs) => Array.from({ length: attrs.N as number }, (_v, i) => `x${i}`).join(' + '),
  },
  infer: (ctx) => {
    let shape: Shape | undefined = ctx.shapes[0] ?? null;
    for (const s of ctx.shapes) {
      shape = broadcastShapes(shape ?? null, s);
      if (shape === undefined) ctx.fail('Shapes of all inputs must match');
    }
    return [{ shape: shape ?? null, dtype: ctx.dtypes[0] as DType }];
  },
  grad: (op, [dy]) => op.inputs.map(() => dy ?? null),
});

/** Adds all tensors elementwise — TF1's `tf.addN(inputs, name=None)`. @example tf.addN([a, b, c]) */
export const addN = declare(
  'addN',
  [
    param('inputs', kinds.tensors),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
  (a): Tensor => {
    const inputs = a.inputs as TensorLike[];
    if (inputs.length === 0) throw new InvalidArgumentError('addN: inputs must not be empty');
    if (inputs.length === 1 && inputs[0] instanceof Tensor && a.name === undefined) return inputs[0];
    return makeTensor('AddN', inputs, { N: inputs.length }, a.name ?? 'AddN');
  },
);
