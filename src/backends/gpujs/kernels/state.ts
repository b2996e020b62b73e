import { InvalidArgumentError } from '../../../errors';
import type { Tensor } from '../../../graph/tensor';
import type { NDArray } from '../../../ndarray';
import { makeProgram } from '../program';
import { registerKernel } from '../../backend';
import { asGpu } from '../registry';

/**
 * Constants, placeholders, variables and assignment on the GPU. A Const is uploaded once per session and
 * stays on the device; a variable's value stays on the device across runs (assignments store device
 * tensors); reading either hands out a new reference, never a copy.
 */
registerKernel('gpu', 'Const', {
  run: (_inputs, ctx) => [ctx.constant(ctx.op, () => ctx.upload(ctx.attrs.value as NDArray))],
});

registerKernel('gpu', 'Placeholder', {
  run: (_inputs, ctx) => {
    throw new InvalidArgumentError(`You must feed a value for placeholder tensor '${ctx.op.name}'`);
  },
});

registerKernel('gpu', 'VariableV2', { run: (_inputs, ctx) => [ctx.variable(ctx.op).share()] });

registerKernel('gpu', 'Assign', {
  run: ([, value], ctx) => {
    const v = asGpu(value);
    ctx.state.writeVariable((ctx.op.inputs[0] as Tensor).op, v.share());
    return [v.share()];
  },
});

for (const [type, sign] of [
  ['AssignAdd', '+'],
  ['AssignSub', '-'],
] as const) {
  registerKernel('gpu', type, {
    run: ([, delta], ctx) => {
      const varOp = (ctx.op.inputs[0] as Tensor).op;
      const cur = ctx.variable(varOp);
      const d = asGpu(delta);
      if (d.size !== cur.size && d.size !== 1) {
        throw new Error(`Incompatible shapes: [${cur.shape.join(',')}] vs. [${d.shape.join(',')}]`);
      }
      const int = cur.dtype === 'int32' ? ['tgToInt'] : [];
      const expr = `a[i] ${sign} b[${d.size === 1 ? '0' : 'i'}]`;
      const p = makeProgram(
        cur.size,
        ['a', 'b'],
        `return ${int.length ? `tgToInt(${expr})` : expr};`,
        new Set(int),
      );
      const next = ctx.run(p, [cur, d], cur.shape, cur.dtype);
      ctx.state.writeVariable(varOp, next);
      return [next.share()];
    },
  });
}

registerKernel('gpu', 'Identity', { run: ([x]) => [asGpu(x).share()] });
registerKernel('gpu', 'StopGradient', { run: ([x]) => [asGpu(x).share()] });
registerKernel('gpu', 'NoOp', { run: () => [] });
