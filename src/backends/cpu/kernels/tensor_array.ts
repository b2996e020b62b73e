// TensorArray ops on the CPU (src/ops/control/tensor_array.ts): a TensorArray is a dense buffer
// [size, ...elementShape] and an int32 vector marking the written elements. Which writes and reads are
// allowed, and the shapes they give, are the op layer's rules (src/ops/control/tensor_array_rules.ts);
// these kernels move the elements.
import { registerKernel } from '../../backend';
import type { DType, TypedArray } from '../../../graph/dtype';
import { Shape, sizeOf } from '../../../graph/shape';
import { NDArray } from '../../../ndarray';
import {
  clearedRows,
  newTensorArrayShape,
  planTensorArrayRead,
  planTensorArrayWrite,
  sameShape,
} from '../../../ops/control/tensor_array_rules';

/**
 * The storage behind TensorArray buffers, so that a write costs one element, not a copy of the buffer.
 * A buffer is a view of the first rows of a storage; `phys` marks the storage rows holding a written
 * element. A write into rows that are free in the storage writes in place and returns a new view:
 * earlier views never read those rows (their own written-element masks mark them unwritten, and reads
 * check the mask), so their values are unchanged. A write into a row another write already filled (two
 * writes from one TensorArray, e.g. in both branches of a cond, or a loop's gradient replaying its
 * body), or past the capacity, copies the storage first. Storages are kept per run (never across runs).
 */
interface Storage {
  data: TypedArray;
  elem: number[];
  /** Rows the storage holds (dynamic TensorArrays double it when they grow). */
  capacity: number;
  phys: Uint8Array;
}

const storages = new WeakMap<object, WeakMap<ArrayBufferLike, Storage>>();

/** The storage `buf` is a view of (same memory from its start, same element shape), if any. */
function storageOf(state: object, buf: NDArray, elem: number[]): Storage | undefined {
  const st = storages.get(state)?.get(buf.data.buffer);
  if (!st || st.data.byteOffset !== buf.data.byteOffset || !sameShape(st.elem, elem)) return undefined;
  return st;
}

registerKernel('cpu', 'TensorArrayNew', ([size], ctx) => {
  const shape = newTensorArrayShape((size as NDArray).data[0] as number, ctx.attrs.element_shape as Shape);
  const n = shape[0] as number;
  const dtype = ctx.attrs.dtype as DType;
  return [
    new NDArray(ctx.alloc(dtype, sizeOf(shape)), shape, dtype),
    new NDArray(ctx.alloc('int32', n), [n], 'int32'),
  ];
});

registerKernel('cpu', 'TensorArrayScatter', ([flow, mask, indices, value], ctx) => {
  const buf = flow as NDArray;
  const m = mask as NDArray;
  const v = value as NDArray;
  const w = planTensorArrayWrite(ctx, buf.shape, m.data, indices as NDArray, v.shape, (n) =>
    ctx.alloc('int32', n),
  );
  const { elem, rows, newRows, written, targets } = w;
  const len = sizeOf(elem);
  // Write in place into the storage behind the buffer when the target rows are free there (see Storage).
  let st = written ? storageOf(ctx.state, buf, elem) : undefined;
  if (st && (newRows > st.capacity || targets.some((i) => st?.phys[i] === 1))) st = undefined;
  if (!st) {
    const capacity = ctx.attrs.dynamic_size ? Math.max(newRows, 2 * rows) : newRows;
    const data = ctx.alloc(buf.dtype, capacity * len);
    const phys = new Uint8Array(capacity);
    if (written) {
      data.set(buf.data.subarray(0, rows * len));
      for (let r = 0; r < rows; r++) if (m.data[r] !== 0) phys[r] = 1;
    }
    st = { data, elem: elem.slice(), capacity, phys };
    let byBuffer = storages.get(ctx.state);
    if (!byBuffer) storages.set(ctx.state, (byBuffer = new WeakMap()));
    byBuffer.set(data.buffer, st);
  }
  targets.forEach((i, j) => {
    (st as Storage).data.set(v.data.subarray(j * len, (j + 1) * len), i * len);
    (st as Storage).phys[i] = 1;
  });
  const data = newRows === st.capacity ? st.data : st.data.subarray(0, newRows * len);
  return [new NDArray(data, [newRows, ...elem], buf.dtype), new NDArray(w.mask, [newRows], 'int32')];
});

registerKernel('cpu', 'TensorArrayGather', ([flow, mask, indices], ctx) => {
  const buf = flow as NDArray;
  const { idx, elem, shape } = planTensorArrayRead(
    ctx,
    buf.shape,
    (mask as NDArray).data,
    () => (indices as NDArray).data,
  );
  const len = sizeOf(elem);
  const data = ctx.alloc(buf.dtype, idx.length * len);
  idx.forEach((i, j) => data.set(buf.data.subarray(i * len, (i + 1) * len), j * len));
  return [new NDArray(data, shape, buf.dtype)];
});

registerKernel('cpu', 'TensorArrayClearRows', ([x, like, indices], ctx) => {
  const a = x as NDArray;
  const l = like as NDArray;
  const out = ctx.alloc(l.dtype, l.size);
  const keep = clearedRows(a.shape, l.shape, () => (indices as NDArray).data);
  if (keep) {
    const len = sizeOf(keep.elem);
    out.set(a.data.subarray(0, keep.rows * len));
    for (const r of keep.cleared) if (r >= 0 && r < keep.rows) out.fill(0, r * len, (r + 1) * len);
  }
  return [new NDArray(out, l.shape.slice(), l.dtype)];
});
