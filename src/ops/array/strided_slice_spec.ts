import { Dim } from '../../graph/shape';

/** The five bit masks of TF1's StridedSlice (bit i refers to entry i of begin/end/strides). */
export interface StridedSliceMasks {
  begin_mask: number;
  end_mask: number;
  ellipsis_mask: number;
  new_axis_mask: number;
  shrink_axis_mask: number;
}

/**
 * What a strided slice reads, per input dimension: the first index, the step and the number of elements
 * (`null` where the dimension or the parameters are not known yet), plus the final output shape (new
 * axes inserted, shrunk axes removed). The elements, in row-major order over `sizes`, are the output.
 */
export interface StridedSliceSpec {
  starts: number[];
  steps: number[];
  sizes: Dim[];
  shape: Dim[];
}

const NEW_AXIS = -1;
const bit = (mask: number, i: number): boolean => ((mask >> i) & 1) === 1;

/**
 * TF1's sparse-to-dense resolution of a strided slice (ellipsis, new axes, masks, negative indices,
 * clamping). `begin`/`end`/`strides` may be `null` (values unknown: only the output rank is derived).
 * Returns an error message string instead of throwing, so callers can word it for build or run time.
 */
export function stridedSliceSpec(
  input: readonly Dim[],
  begin: number[] | null,
  end: number[] | null,
  strides: number[] | null,
  count: number,
  masks: StridedSliceMasks,
): StridedSliceSpec | string {
  let ellipsis = masks.ellipsis_mask;
  if ((ellipsis & (ellipsis - 1)) !== 0) return 'Multiple ellipses in slice spec not allowed';
  let sparse = count;
  if (!(ellipsis & ((1 << sparse) - 1))) {
    ellipsis |= 1 << sparse; // an implicit ellipsis at the end covers the unmentioned dims
    sparse++;
  }
  const rank = input.length;
  let ellipsisAt = 0;
  while (!bit(ellipsis, ellipsisAt)) ellipsisAt++;
  let newAfter = 0;
  for (let i = ellipsisAt + 1; i < sparse; i++) if (bit(masks.new_axis_mask, i)) newAfter++;

  interface DenseDim {
    begin: number | null;
    end: number | null;
    stride: number | null;
    beginMasked: boolean;
    endMasked: boolean;
    shrink: boolean;
  }
  const dense: DenseDim[] = [];
  const gather: number[] = [];
  for (let i = 0; i < sparse; i++) {
    if (bit(ellipsis, i)) {
      const next = Math.min(rank - (sparse - i) + 1 + newAfter, rank);
      while (dense.length < next) {
        gather.push(dense.length);
        dense.push({ begin: 0, end: 0, stride: 1, beginMasked: true, endMasked: true, shrink: false });
      }
    } else if (bit(masks.new_axis_mask, i)) {
      gather.push(NEW_AXIS);
    } else {
      if (dense.length === rank)
        return `Index out of range using input dim ${rank}; input has only ${rank} dims`;
      const stride = strides ? (strides[i] as number) : null;
      if (stride === 0) return `strides[${i}] must be non-zero`;
      gather.push(dense.length);
      dense.push({
        begin: begin ? (begin[i] as number) : null,
        end: end ? (end[i] as number) : null,
        stride,
        beginMasked: bit(masks.begin_mask, i),
        endMasked: bit(masks.end_mask, i),
        shrink: bit(masks.shrink_axis_mask, i),
      });
    }
  }

  const starts: number[] = [];
  const steps: number[] = [];
  const sizes: Dim[] = [];
  const emit = (start: number, step: number, size: Dim): void => {
    starts.push(start);
    steps.push(step);
    sizes.push(size);
  };
  for (let i = 0; i < rank; i++) {
    const d = input[i] as Dim;
    const { begin: b, end: e, stride: s, beginMasked, endMasked, shrink } = dense[i] as DenseDim;
    if (shrink) {
      if (d === null || b === null) {
        emit(0, 1, 1);
        continue;
      }
      const at = b < 0 ? b + d : b;
      if (at < 0 || at >= d) return `slice index ${b} of dimension ${i} out of bounds.`;
      emit(at, 1, 1);
      continue;
    }
    if (d === null || s === null || (b === null && !beginMasked) || (e === null && !endMasked)) {
      emit(0, 1, null);
      continue;
    }
    // Canonical bounds as in TF1: masked ends take the full range; others wrap once, then clamp.
    const [lo, hi] = s > 0 ? [0, d] : [-1, d - 1];
    const canonical = (x: number, masked: boolean, isBegin: boolean): number => {
      if (masked) return s > 0 === isBegin ? lo : hi;
      const v = x < 0 ? x + d : x;
      return Math.min(Math.max(v, lo), hi);
    };
    const start = canonical(b ?? 0, beginMasked, true);
    const interval = canonical(e ?? 0, endMasked, false) - start;
    emit(start, s, interval === 0 || interval < 0 !== s < 0 ? 0 : Math.ceil(interval / s));
  }
  const shape: Dim[] = [];
  for (const g of gather) {
    if (g === NEW_AXIS) shape.push(1);
    else if (!(dense[g] as DenseDim).shrink) shape.push(sizes[g] as Dim);
  }
  return { starts, steps, sizes, shape };
}
