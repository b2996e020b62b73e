import { registerKernel } from '../../backend';
import { castNDArray, NDArray } from '../../../ndarray';
import type { Tensor } from '../../../graph/tensor';

const convertedConsts = new WeakMap<NDArray, NDArray>();

/** Float constants are stored exactly (float64) when built from JS numbers; float32 mode rounds them once. */
registerKernel('cpu', 'Const', (_inputs, ctx) => {
  const value = ctx.attrs.value as NDArray;
  if (value.dtype !== 'float32') return [value];
  const wantWide = ctx.alloc('float32', 0) instanceof Float64Array;
  if (wantWide === value.data instanceof Float64Array) return [value];
  let converted = convertedConsts.get(value);
  if (!converted) {
    const data = wantWide ? Float64Array.from(value.data) : Float32Array.from(value.data);
    converted = new NDArray(data, value.shape, 'float32');
    convertedConsts.set(value, converted);
  }
  return [converted];
});

registerKernel('cpu', 'Placeholder', (_inputs, ctx) => {
  throw new Error(`You must feed a value for placeholder tensor '${ctx.op.name}'`);
});

registerKernel('cpu', 'VariableV2', (_inputs, ctx) => [ctx.state.readVariable(ctx.op)]);

registerKernel('cpu', 'Assign', ([, value], ctx) => {
  const v = value as NDArray;
  ctx.state.writeVariable((ctx.op.inputs[0] as Tensor).op, v);
  return [v];
});

function accumulate(sign: 1 | -1) {
  return ([, delta]: NDArray[], ctx: Parameters<Parameters<typeof registerKernel>[2]>[1]): NDArray[] => {
    const varOp = (ctx.op.inputs[0] as Tensor).op;
    const cur = ctx.state.readVariable(varOp);
    const d = delta as NDArray;
    if (d.size !== cur.size && d.size !== 1) {
      throw new Error(`Incompatible shapes: [${cur.shape.join(',')}] vs. [${d.shape.join(',')}]`);
    }
    const out = ctx.alloc(cur.dtype, cur.size);
    const a = cur.data;
    const b = d.data;
    if (b.length === 1)
      for (let i = 0; i < out.length; i++) out[i] = (a[i] as number) + sign * (b[0] as number);
    else for (let i = 0; i < out.length; i++) out[i] = (a[i] as number) + sign * (b[i] as number);
    const next = new NDArray(out, cur.shape, cur.dtype);
    ctx.state.writeVariable(varOp, next);
    return [next];
  };
}
registerKernel('cpu', 'AssignAdd', accumulate(1));
registerKernel('cpu', 'AssignSub', accumulate(-1));

registerKernel('cpu', 'Identity', ([x]) => [x as NDArray]);
registerKernel('cpu', 'StopGradient', ([x]) => [x as NDArray]);
registerKernel('cpu', 'NoOp', () => []);

export { castNDArray };
