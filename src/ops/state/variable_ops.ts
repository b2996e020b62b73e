import { DType } from '../../graph/dtype';
import { isCompatible, mergeShapes, Shape, shapeToString } from '../../graph/shape';
import { Tensor } from '../../graph/tensor';
import { defineOp, InferContext, OutputSpec } from '../op_def';

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
