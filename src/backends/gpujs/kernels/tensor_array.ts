import { registerKernel } from '../../backend';
import type { DType } from '../../../graph/dtype';
import { Shape, sizeOf } from '../../../graph/shape';
import type { Operation, Tensor } from '../../../graph/tensor';
import { NDArray } from '../../../ndarray';
import {
  clearedRows,
  newTensorArrayShape,
  planTensorArrayRead,
  planTensorArrayWrite,
} from '../../../ops/control/tensor_array_rules';
import { asGpu, asHost } from '../registry';
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
 * of dynamic arrays are decided on the host from them by the op layer's rules, which the CPU kernels
 * share (src/ops/control/tensor_array_rules.ts).
 * TensorArrays of other dtypes run their CPU kernels on the host.
 */
const NOT_FLOAT = 'int32/bool TensorArray: its elements are kept and checked on the host';
const hostUnlessFloat =
  (dtype: (op: Operation) => DType | undefined) =>
  (op: Operation): string | undefined =>
    dtype(op) === 'float32' ? undefined : NOT_FLOAT;
const inputDtype = (k: number) => (op: Operation) => (op.inputs[k] as Tensor | undefined)?.dtype;

registerKernel('gpu', 'TensorArrayNew', {
  hostInputs: [0],
  hostWhen: hostUnlessFloat((op) => op.attrs.dtype as DType),
  run: ([size], ctx) => {
    const shape = newTensorArrayShape(asHost(size).data[0] as number, ctx.attrs.element_shape as Shape);
    const n = shape[0] as number;
    return [zeros(ctx, shape, ctx.attrs.dtype as DType), new NDArray(new Int32Array(n), [n], 'int32')];
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
    const w = planTensorArrayWrite(ctx, buf.shape, m.data, idx, v.shape);
    const { elem, rows, newRows, targets } = w;
    // The new buffer: the written element(s) at their rows, the old buffer's other rows (when it holds
    // written elements; an unwritten buffer's element shape may be a placeholder), zeros elsewhere.
    const fromValue = runsOf(
      targets.map((i, j) => [i, j] as const),
      v,
    );
    const kept: [number, number][] = [];
    const target = new Set(targets);
    if (w.written) for (let r = 0; r < rows; r++) if (!target.has(r)) kept.push([r, r]);
    const runs: Run[] = [...runsOf(kept, buf), ...fromValue];
    return [
      assemble(ctx, runs, sizeOf(elem), [newRows, ...elem], buf.dtype),
      new NDArray(w.mask, [newRows], 'int32'),
    ];
  },
});

registerKernel('gpu', 'TensorArrayGather', {
  hostInputs: [1, 2],
  hostWhen: hostUnlessFloat(inputDtype(0)),
  run: ([flow, mask, indices], ctx) => {
    const buf = asGpu(flow);
    const { idx, elem, shape } = planTensorArrayRead(
      ctx,
      buf.shape,
      asHost(mask).data,
      () => asHost(indices).data,
    );
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
    const shape = l.shape.slice();
    const keep = clearedRows(a.shape, l.shape, () => asHost(indices).data);
    if (keep) {
      const kept: [number, number][] = [];
      for (let r = 0; r < keep.rows; r++) if (!keep.cleared.has(r)) kept.push([r, r]);
      return [assemble(ctx, runsOf(kept, a), sizeOf(keep.elem), shape, l.dtype)];
    }
    return [zeros(ctx, shape, l.dtype)];
  },
});
