import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { broadcastShapes, Shape, shapeToString } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { defineElementwise } from '../elementwise';
import { defineOp, makeTensor } from '../op_def';

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

/** Zeros with the shape and dtype of `x`. @example tf.zerosLike(W) */
export function zerosLike(x: TensorLike, name?: string): Tensor {
  return makeTensor('ZerosLike', [x], {}, name);
}

/** Ones with the shape and dtype of `x`. @example tf.onesLike(loss) */
export function onesLike(x: TensorLike, name?: string): Tensor {
  return makeTensor('OnesLike', [x], {}, name);
}

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

/** Adds all tensors elementwise. @example tf.addN([a, b, c]) */
export function addN(inputs: TensorLike[], name?: string): Tensor {
  if (inputs.length === 1 && inputs[0] instanceof Tensor) return inputs[0];
  return makeTensor('AddN', inputs, { N: inputs.length }, name ?? 'AddN');
}
