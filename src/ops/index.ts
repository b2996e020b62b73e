// Loads every op definition and installs the Tensor operator methods.
import { installTensorMethods, Tensor } from '../graph/tensor';
import { makeTensor } from './op_def';
import * as math from './math';
import { binaryOp, trueDiv } from './math/impl';
import * as array from './array';
import * as reduce from './reduce';
import { matmul } from './linalg/matmul';
import './state/placeholder';
import './control/basic';

installTensorMethods({
  binary: (type, a, b, name) => (type === 'RealDiv' ? trueDiv(a, b, name) : binaryOp(type, a, b, name)),
  unary: (type, a, name) => makeTensor(type, [a], {}, name),
  matmul: (a, b, name) => matmul(a, b, name),
  reshape: (a, shape, name) => {
    const fn = (array as Record<string, unknown>).reshape as
      ((x: Tensor, s: unknown, n?: string) => Tensor) | undefined;
    if (!fn) throw new Error('reshape is not available');
    return fn(a, shape, name);
  },
  cast: (a, dtype, name) => math.cast(a, dtype, name),
  reduce: (type, a, axis, keepDims) => {
    const fns: Record<string, string> = {
      Sum: 'reduceSum',
      Mean: 'reduceMean',
      Max: 'reduceMax',
      Min: 'reduceMin',
    };
    const fn = (reduce as Record<string, unknown>)[fns[type] ?? ''] as
      ((x: Tensor, axis?: number | number[], o?: { keepDims?: boolean }) => Tensor) | undefined;
    if (!fn) throw new Error(`${type} reduction is not available`);
    return fn(a, axis, { keepDims });
  },
});
