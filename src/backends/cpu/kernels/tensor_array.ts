// TensorArray ops on the CPU (src/ops/control/tensor_array.ts): a TensorArray is a dense buffer
// [size, ...elementShape] and an int32 vector marking the written elements.
import { registerKernel } from '../../backend';
import { InvalidArgumentError } from '../../../errors';
import type { DType, TypedArray } from '../../../graph/dtype';
import { Shape, shapeToString, sizeOf } from '../../../graph/shape';
import { NDArray } from '../../../ndarray';

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The placeholder element shape of an unwritten buffer: unknown dims (and an unknown rank) are 0. */
function placeholderElem(elem: Shape): number[] {
  return elem === null ? [0] : elem.map((d) => d ?? 0);
}

function anyWritten(mask: NDArray): boolean {
  for (const v of mask.data) if (v !== 0) return true;
  return false;
}

/** TF1 names the array in its messages: the op that created it (or, without it, this op). */
function taName(ctx: { op: { name: string }; attrs: Readonly<Record<string, unknown>> }): string {
  const n = ctx.attrs.tensor_array_name;
  return `TensorArray ${typeof n === 'string' ? n : ctx.op.name}`;
}

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
  const n = (size as NDArray).data[0] as number;
  if (n < 0) throw new InvalidArgumentError(`TensorArray size must be non-negative, got ${n}`);
  const dtype = ctx.attrs.dtype as DType;
  const elem = placeholderElem(ctx.attrs.element_shape as Shape);
  return [
    new NDArray(ctx.alloc(dtype, n * sizeOf(elem)), [n, ...elem], dtype),
    new NDArray(ctx.alloc('int32', n), [n], 'int32'),
  ];
});

registerKernel('cpu', 'TensorArrayScatter', ([flow, mask, indices, value], ctx) => {
  const buf = flow as NDArray;
  const m = mask as NDArray;
  const idx = indices as NDArray;
  const v = value as NDArray;
  const single = idx.shape.length === 0;
  const elem = single ? v.shape : v.shape.slice(1);
  const k = idx.size;
  if (!single && v.shape[0] !== k)
    throw new InvalidArgumentError(
      `Expected len(indices) == values.shape[0], but saw: ${k} vs. ${v.shape[0]}`,
    );
  const name = taName(ctx);
  const known = ctx.attrs.element_shape as Shape;
  if (known !== null && (known.length !== elem.length || known.some((d, i) => d !== null && d !== elem[i]))) {
    throw new InvalidArgumentError(
      `${name}: Could not write to TensorArray index ${single ? (idx.data[0] as number) : 0} because the value shape is ${shapeToString(elem)} which is incompatible with the TensorArray's inferred element shape: ${shapeToString(known)} (consider setting infer_shape=False).`,
    );
  }
  const written = anyWritten(m);
  const rows = buf.shape[0] as number;
  if (written && !sameShape(buf.shape.slice(1), elem)) {
    throw new InvalidArgumentError(
      `${name}: Could not write to TensorArray index ${single ? (idx.data[0] as number) : 0} because the value shape is ${shapeToString(elem)} which is incompatible with the shape ${shapeToString(buf.shape.slice(1))} of the elements already written (a TensorArray holds elements of one shape)`,
    );
  }
  let newRows = rows;
  const seen = new Set<number>();
  for (let j = 0; j < k; j++) {
    const i = idx.data[j] as number;
    if (i < 0 || (i >= rows && !ctx.attrs.dynamic_size))
      throw new InvalidArgumentError(`${name}: Tried to write to index ${i} but array size is: ${rows}`);
    if ((i < rows && m.data[i] !== 0) || seen.has(i)) {
      throw new InvalidArgumentError(
        `${name}: Could not write to TensorArray index ${i} because it has already been written to.`,
      );
    }
    seen.add(i);
    newRows = Math.max(newRows, i + 1);
  }
  const len = sizeOf(elem);
  const targets = Array.from(idx.data, Number);
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
  const out = ctx.alloc('int32', newRows);
  out.set(m.data);
  targets.forEach((i, j) => {
    (st as Storage).data.set(v.data.subarray(j * len, (j + 1) * len), i * len);
    (st as Storage).phys[i] = 1;
    out[i] = 1;
  });
  const data = newRows === st.capacity ? st.data : st.data.subarray(0, newRows * len);
  return [new NDArray(data, [newRows, ...elem], buf.dtype), new NDArray(out, [newRows], 'int32')];
});

registerKernel('cpu', 'TensorArrayGather', ([flow, mask, indices], ctx) => {
  const buf = flow as NDArray;
  const m = mask as NDArray;
  const mode = ctx.attrs.mode as string;
  const name = taName(ctx);
  const rows = buf.shape[0] as number;
  let idx: number[];
  if (mode === 'read' || mode === 'gather') idx = Array.from((indices as NDArray).data, Number);
  else idx = Array.from({ length: rows }, (_v, i) => i);
  const known = ctx.attrs.element_shape as Shape;
  let elem = buf.shape.slice(1);
  if (!anyWritten(m)) {
    // Nothing written: the buffer's element shape is a placeholder unless the TensorArray's is known.
    if (idx.length === 0 && mode !== 'read') {
      if (known === null || known.some((d) => d === null)) {
        throw new InvalidArgumentError(
          `${name}: TensorArray has size zero, but element shape ${shapeToString(known)} is not fully defined. Currently only static shapes are supported when packing zero-size TensorArrays.`,
        );
      }
      elem = known as number[];
    }
  }
  for (const i of idx) {
    if (i < 0 || i >= rows)
      throw new InvalidArgumentError(`${name}: Tried to read from index ${i} but array size is: ${rows}`);
    if (m.data[i] === 0) {
      throw new InvalidArgumentError(
        `${name}: Could not read from TensorArray index ${i} because it has not yet been written to.`,
      );
    }
  }
  const len = sizeOf(elem);
  const data = ctx.alloc(buf.dtype, idx.length * len);
  idx.forEach((i, j) => data.set(buf.data.subarray(i * len, (i + 1) * len), j * len));
  let shape: number[];
  if (mode === 'read') shape = elem;
  else if (mode === 'concat') {
    if (elem.length === 0)
      throw new InvalidArgumentError(
        `${name}: Concat saw a scalar shape at index 0 but requires at least vectors.`,
      );
    shape = [idx.length * (elem[0] as number), ...elem.slice(1)];
  } else shape = [idx.length, ...elem];
  return [new NDArray(data, shape, buf.dtype)];
});

registerKernel('cpu', 'TensorArrayClearRows', ([x, like, indices], ctx) => {
  const a = x as NDArray;
  const l = like as NDArray;
  const out = ctx.alloc(l.dtype, l.size);
  const elem = l.shape.slice(1);
  if (a.shape.length >= 1 && l.shape.length >= 1 && sameShape(a.shape.slice(1), elem)) {
    const len = sizeOf(elem);
    const rows = Math.min(a.shape[0] as number, l.shape[0] as number);
    out.set(a.data.subarray(0, rows * len));
    for (const i of (indices as NDArray).data) {
      const r = i as number;
      if (r >= 0 && r < rows) out.fill(0, r * len, (r + 1) * len);
    }
  }
  return [new NDArray(out, l.shape.slice(), l.dtype)];
});
