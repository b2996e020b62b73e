import { DType } from '../../graph/dtype';
import { isCompatible, mergeShapes, Shape, shapeToString } from '../../graph/shape';
import { Tensor } from '../../graph/tensor';
import { defineOp, InferContext, makeOp, makeTensor, OutputSpec } from '../op_def';
import { declare, kinds, param } from '../../graph/signature';
import { InvalidArgumentError } from '../../errors';

/** The variable itself: reading it yields the session's current value. */
defineOp({
  type: 'VariableV2',
  defaultName: 'Variable',
  stateful: true,
  infer: (ctx) => [{ shape: ctx.attrs.shape as Shape, dtype: ctx.attrs.dtype as DType }],
  grad: 'none',
});

function inferAssign(ctx: InferContext): OutputSpec[] {
  const [ref, value] = ctx.shapes as [Shape, Shape];
  if (ctx.dtypes[0] !== ctx.dtypes[1]) {
    ctx.fail(
      `Input 'value' of '${ctx.type}' Op has type ${ctx.dtypes[1]} that does not match type ${ctx.dtypes[0]} of argument 'ref'`,
    );
  }
  const merged = mergeShapes(ref, value);
  if (merged === undefined || (ctx.runtime && value && ref && !isCompatible(ref, value as number[]))) {
    ctx.fail(
      `Shapes must be equal rank and compatible, but are ${shapeToString(ref)} and ${shapeToString(value)}`,
    );
  }
  return [{ shape: merged ?? null, dtype: ctx.dtypes[0] as DType }];
}

for (const type of ['Assign', 'AssignAdd', 'AssignSub']) {
  defineOp({ type, stateful: true, refInputs: [0], infer: inferAssign, grad: 'none' });
}

/** Throws unless `t` is a Variable's own tensor (what assign ops write to). */
export function checkRef(t: Tensor, what: string): void {
  if (t.op.type !== 'VariableV2') {
    throw new Error(`${what} needs a Variable as its first argument, got ${t.name} (op type ${t.op.type})`);
  }
}

const refKind = kinds.custom<Tensor>(
  'a Variable',
  (v) => v instanceof Tensor && v.op.type === 'VariableV2',
  // A bare variable node in the default graph (for the generated API tests).
  () => makeOp('VariableV2', [], { shape: [], dtype: 'float32' }).outputs[0],
);
const nameParam = param('name', kinds.nullable(kinds.name), { default: null as string | null });
const useLockingParam = param('useLocking', kinds.nullable(kinds.bool), { default: null as boolean | null });

/**
 * Sets `ref` to `value` and yields the new value — TF1's `tf.assign(ref, value, validate_shape=None,
 * use_locking=None, name=None)`. `useLocking` is accepted either way: a session runs its ops one after
 * another. `validateShape: false` (changing a variable's shape) is not supported and is an error unless
 * the shapes are statically equal.
 *
 * @example
 * sess.run(tf.assign(W, tf.zeros([784, 10])));
 */
export const assign = declare(
  'assign',
  [
    param('ref', refKind),
    param('value', kinds.tensor),
    param('validateShape', kinds.nullable(kinds.bool), { default: null as boolean | null }),
    useLockingParam,
    nameParam,
  ] as const,
  (a): Tensor => {
    const value = a.value instanceof Tensor ? a.value : undefined;
    if (a.validateShape === false) {
      const same =
        value !== undefined &&
        a.ref.shape !== null &&
        value.shape !== null &&
        a.ref.shape.length === value.shape.length &&
        a.ref.shape.every((d, i) => d !== null && d === value.shape?.[i]);
      if (!same) {
        throw new InvalidArgumentError(
          `assign: validate_shape=False (changing the shape of ${a.ref.name}) is not supported`,
        );
      }
    }
    return makeTensor('Assign', [a.ref, a.value], {}, a.name ?? 'Assign', a.ref.dtype);
  },
);

function updateBuilder(fn: string, type: string) {
  return declare(
    fn,
    [param('ref', refKind), param('value', kinds.tensor), useLockingParam, nameParam] as const,
    (a): Tensor => makeTensor(type, [a.ref, a.value], {}, a.name ?? type, a.ref.dtype),
  );
}

/** `ref += value`, yielding the new value — TF1's `tf.assign_add(ref, value, use_locking=None, name=None)`. @example sess.run(tf.assignAdd(step, 1)) */
export const assignAdd = updateBuilder('assignAdd', 'AssignAdd');
/** `ref -= value` — TF1's `tf.assign_sub(ref, value, use_locking=None, name=None)`. @example tf.assignSub(W, tf.multiply(lr, g)) */
export const assignSub = updateBuilder('assignSub', 'AssignSub');
