import { Tensor, TensorLike } from '../../graph/tensor';
import { convertToTensor, firstDtype, graphOf, makeOp, makeTensor } from '../op_def';

/**
 * Internal builders behind the public math functions and the Tensor operator methods (not exported from
 * the package).
 */

/** Builds a binary elementwise op: a plain operand takes the dtype of the tensor operand (SPEC §2). */
export function binaryOp(type: string, x: TensorLike, y: TensorLike, name?: string): Tensor {
  if (type === 'Pow') return powOp(x, y, name);
  return makeTensor(type, [x, y], {}, name, firstDtype([x, y]));
}

/** True division; int32 operands are cast to float32 first (TF1 casts integers to float). */
export function trueDiv(x: TensorLike, y: TensorLike, name?: string): Tensor {
  const dt = firstDtype([x, y]);
  if (dt !== 'int32') return makeTensor('RealDiv', [x, y], {}, name, dt);
  const g = graphOf([x, y]);
  return g.asDefault(() =>
    g.nameScope(name ?? 'truediv', () => {
      const scope = g.currentScope;
      const xt = convertToTensor(x, 'int32', g);
      const yt = convertToTensor(y, 'int32', g);
      if (xt.dtype !== yt.dtype) {
        throw new TypeError(`truediv: x and y must have the same dtype, got ${xt.dtype} != ${yt.dtype}`);
      }
      const xf = makeTensor('Cast', [xt], { DstT: 'float32' });
      const yf = makeTensor('Cast', [yt], { DstT: 'float32' });
      return makeOp('RealDiv', [xf, yf], {}, undefined, g, { exactName: scope.replace(/\/$/, '') })
        .outputs[0] as Tensor;
    }),
  );
}

export function powOp(x: TensorLike, y: TensorLike, name?: string): Tensor {
  const dt = firstDtype([x, y]);
  // The int32 form checks its exponents at run time (the `T` attr selects the formula).
  return makeTensor('Pow', [x, y], dt === 'int32' ? { T: 'int32' } : {}, name, dt);
}
