import { registerKernel } from '../../backend';
import { InvalidArgumentError } from '../../../errors';
import type { DType } from '../../../graph/dtype';
import { Shape, shapeToString, sizeOf } from '../../../graph/shape';
import type { Operation, Tensor } from '../../../graph/tensor';
import { NDArray } from '../../../ndarray';
import { asGpu, asHost, GpuKernelContext } from '../registry';
import type { GpuTensor } from '../tensor';
import { assemble, Run, runsOf, zeros } from './rows';

/**
 * TensorArray ops (src/ops/control/tensor_array.ts) on the GPU backend. A TensorArray is a dense buffer
 * (`flow`, [size, ...elementShape]) and an int32 mask of the written elements (`handle`). Float32
 * buffers stay on the device: a write is one kernel building the new buffer from the old one and the
 * element (rows chosen on the host, baked into the kernel), a read or gather one kernel picking rows, a
 * stack or concat a view of the buffer — so a tf.whileLoop body writing a TensorArray reads nothing back
 * per iteration. The mask, the indices and the size are host int32 values (as every int32 tensor under
 * this backend): the written-element checks, the element shape settled by the first write and the growth
 * of dynamic arrays are decided on the host from them, with the CPU kernels' rules and messages.
 * TensorArrays of other dtypes run their CPU kernels on the host.
 */
const NOT_FLOAT = 'int32/bool TensorArray: its elements are kept and checked on the host';
const hostUnlessFloat =
  (dtype: (op: Operation) => DType | undefined) =>
  (op: Operation): string | undefined =>
    dtype(op) === 'float32' ? undefined : NOT_FLOAT;
const inputDtype = (k: number) => (op: Operation) => (op.inputs[k] as Tensor | undefined)?.dtype;

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function anyWritten(mask: NDArray): boolean {
  for (const v of mask.data) if (v !== 0) return true;
  return false;
}

/** TF1 names the array in its messages: the op that created it (or, without it, this op). */
function taName(ctx: GpuKernelContext): string {
  const n = ctx.attrs.tensor_array_name;
  return `TensorArray ${typeof n === 'string' ? n : ctx.op.name}`;
}

/** The placeholder element shape of an unwritten buffer: unknown dims (and an unknown rank) are 0. */
function placeholderElem(elem: Shape): number[] {
  return elem === null ? [0] : elem.map((d) => d ?? 0);
}

registerKernel('gpu', 'TensorArrayNew', {
  hostInputs: [0],
  hostWhen: hostUnlessFloat((op) => op.attrs.dtype as DType),
  run: ([size], ctx) => {
    const n = asHost(size).data[0] as number;
    if (n < 0) throw new InvalidArgumentError(`TensorArray size must be non-negative, got ${n}`);
    const dtype = ctx.attrs.dtype as DType;
    const elem = placeholderElem(ctx.attrs.element_shape as Shape);
    return [zeros(ctx, [n, ...elem], dtype), new NDArray(new Int32Array(n), [n], 'int32')];
  },
});

registerKernel('gpu', 'TensorArrayScatter', {
  hostInputs: [1, 2],
  hostWhen: hostUnlessFloat(inputDtype(0)),
  run: ([flow, mask, indices, value], ctx) => {
    const buf = asGpu(flow);
    const m = asHost(mask);
    const idx = asHost(indices);
    const v = asGpu(value);
    const single = idx.shape.length === 0;
    const elem = single ? v.shape : v.shape.slice(1);
    const k = idx.size;
    if (!single && v.shape[0] !== k)
      throw new InvalidArgumentError(
        `Expected len(indices) == values.shape[0], but saw: ${k} vs. ${v.shape[0]}`,
      );
    const name = taName(ctx);
    const known = ctx.attrs.element_shape as Shape;
    if (
      known !== null &&
      (known.length !== elem.length || known.some((d, i) => d !== null && d !== elem[i]))
    ) {
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
    const out = new Int32Array(newRows);
    out.set(m.data);
    for (const i of seen) out[i] = 1;
    // The new buffer: the written element(s) at their rows, the old buffer's other rows (when it holds
    // written elements; an unwritten buffer's element shape may be a placeholder), zeros elsewhere.
    const targets = [...seen];
    const fromValue = runsOf(
      targets.map((i, j) => [i, j] as const),
      v,
    );
    const kept: [number, number][] = [];
    if (written) for (let r = 0; r < rows; r++) if (!seen.has(r)) kept.push([r, r]);
    const runs: Run[] = [...runsOf(kept, buf), ...fromValue];
    return [assemble(ctx, runs, len, [newRows, ...elem], buf.dtype), new NDArray(out, [newRows], 'int32')];
  },
});

registerKernel('gpu', 'TensorArrayGather', {
  hostInputs: [1, 2],
  hostWhen: hostUnlessFloat(inputDtype(0)),
  run: ([flow, mask, indices], ctx) => {
    const buf = asGpu(flow);
    const m = asHost(mask);
    const mode = ctx.attrs.mode as string;
    const name = taName(ctx);
    const rows = buf.shape[0] as number;
    let idx: number[];
    if (mode === 'read' || mode === 'gather') idx = Array.from(asHost(indices).data, Number);
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
    let shape: number[];
    if (mode === 'read') shape = elem;
    else if (mode === 'concat') {
      if (elem.length === 0)
        throw new InvalidArgumentError(
          `${name}: Concat saw a scalar shape at index 0 but requires at least vectors.`,
        );
      shape = [idx.length * (elem[0] as number), ...elem.slice(1)];
    } else shape = [idx.length, ...elem];
    const picks = runsOf(
      idx.map((i, j) => [j, i] as const),
      buf,
    );
    return [assemble(ctx, picks, sizeOf(elem), shape, buf.dtype)];
  },
});

registerKernel('gpu', 'TensorArrayClearRows', {
  shapeInputs: [1],
  hostInputs: [2],
  hostWhen: hostUnlessFloat(inputDtype(1)),
  run: ([x, like, indices], ctx) => {
    const a = asGpu(x);
    const l = like as GpuTensor | NDArray;
    const elem = l.shape.slice(1);
    const shape = l.shape.slice();
    if (a.shape.length >= 1 && l.shape.length >= 1 && sameShape(a.shape.slice(1), elem)) {
      const rows = Math.min(a.shape[0] as number, l.shape[0] as number);
      const cleared = new Set(Array.from(asHost(indices).data, Number));
      const kept: [number, number][] = [];
      for (let r = 0; r < rows; r++) if (!cleared.has(r)) kept.push([r, r]);
      return [assemble(ctx, runsOf(kept, a), sizeOf(elem), shape, l.dtype)];
    }
    return [zeros(ctx, shape, l.dtype)];
  },
});
