import { defineOp } from '../op_def';

/**
 * Where(condition): the coordinates of the true (non-zero) elements of `condition`, an int32 tensor of
 * shape [n, rank] in row-major order (TF1's one-argument `tf.where`). n is known only at run time; the
 * op is not differentiable.
 */
defineOp({
  type: 'Where',
  defaultName: 'Where',
  infer: (ctx) => {
    const s = ctx.shapes[0] ?? null;
    if (ctx.runtime) {
      const v = ctx.value(0);
      if (v && s) {
        let n = 0;
        for (let i = 0; i < v.data.length; i++) if (v.data[i] !== 0) n++;
        return [{ shape: [n, s.length], dtype: 'int32' }];
      }
    }
    return [{ shape: [null, s === null ? null : s.length], dtype: 'int32' }];
  },
  grad: 'none',
});
