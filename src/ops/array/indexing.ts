import { installIndexing, IndexSpec, Tensor } from '../../graph/tensor';
import { stridedSliceOp } from './strided_slice';

/**
 * `tf.newaxis` (TF1's `None` inside `x[...]`): inserts an axis of size 1. @example x.at(tf.newaxis, ':')
 */
export const newaxis: unique symbol = Symbol('tf.newaxis');

const SLICE = /^\s*(-?\d+)?\s*:\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*)?$/;

/**
 * TF1's `x[...]` as one StridedSlice (SPEC §3), built exactly as TF1's `_slice_helper` does: an integer
 * index takes that element and drops the axis (`shrink_axis_mask`; negative counts from the end), a
 * slice string 'start:stop:step' with empty parts masked (`begin_mask`/`end_mask`), '...' the
 * ellipsis and `tf.newaxis` a new axis of 1. Out-of-range integer indices are errors (TF1's wording).
 *
 * @example
 * x.at(0);               // x[0]
 * x.at(':', -1);         // x[:, -1]
 * x.at('1:3', '::-1');   // x[1:3, ::-1]
 * x.at('...', tf.newaxis);
 * tf.shape(x).at(0);     // tf.shape(x)[0]
 */
export function index(x: Tensor, specs: readonly IndexSpec[]): Tensor {
  const begin: number[] = [];
  const end: number[] = [];
  const strides: number[] = [];
  const masks = { begin_mask: 0, end_mask: 0, ellipsis_mask: 0, new_axis_mask: 0, shrink_axis_mask: 0 };
  specs.forEach((s, i) => {
    const bit = 1 << i;
    if (typeof s === 'number') {
      if (!Number.isInteger(s)) {
        throw new TypeError(
          `Only integers, slices (':', '1:3', '::2'), ellipsis ('...') and tf.newaxis are valid indices, got ${s}`,
        );
      }
      begin.push(s);
      end.push(s + 1);
      strides.push(1);
      masks.shrink_axis_mask |= bit;
      return;
    }
    if (s === newaxis) {
      begin.push(0);
      end.push(0);
      strides.push(1);
      masks.new_axis_mask |= bit;
      return;
    }
    if (s === '...') {
      if (masks.ellipsis_mask !== 0) throw new TypeError('Multiple ellipses in slice spec not allowed');
      begin.push(0);
      end.push(0);
      strides.push(1);
      masks.ellipsis_mask |= bit;
      return;
    }
    const m = typeof s === 'string' ? SLICE.exec(s) : null;
    if (!m) {
      throw new TypeError(
        `Only integers, slices (':', '1:3', '::2'), ellipsis ('...') and tf.newaxis are valid indices, got ${
          typeof s === 'string' ? `'${s}'` : String(s)
        }`,
      );
    }
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (step === 0) throw new TypeError(`slice step cannot be zero: '${s as string}'`);
    if (m[1] === undefined) masks.begin_mask |= bit;
    if (m[2] === undefined) masks.end_mask |= bit;
    begin.push(m[1] === undefined ? 0 : Number(m[1]));
    end.push(m[2] === undefined ? 0 : Number(m[2]));
    strides.push(step);
  });
  if (specs.length === 0) {
    // TF1's x[()] on a tensor: the tensor itself through an empty strided slice (same values).
    return stridedSliceOp(x, [0], [0], [1], { ...masks, ellipsis_mask: 1 }, undefined);
  }
  return stridedSliceOp(x, begin, end, strides, masks, undefined);
}

installIndexing(index);
