// CPU kernel of Where (one-argument tf.where): the coordinates of the non-zero elements (registered on import).
import { registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { stridesOf } from '../../../graph/shape';

registerKernel('cpu', 'Where', ([x], ctx) => {
  const c = x as NDArray;
  const rank = c.shape.length;
  const strides = stridesOf(c.shape);
  let n = 0;
  for (let i = 0; i < c.data.length; i++) if (c.data[i] !== 0) n++;
  const out = ctx.alloc('int32', n * rank);
  let row = 0;
  for (let i = 0; i < c.data.length; i++) {
    if (c.data[i] === 0) continue;
    let rem = i;
    for (let k = 0; k < rank; k++) {
      const s = strides[k] as number;
      const q = Math.floor(rem / s);
      out[row * rank + k] = q;
      rem -= q * s;
    }
    row++;
  }
  return [new NDArray(out, [n, rank], 'int32')];
});
