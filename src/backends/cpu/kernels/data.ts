import { KernelContext, registerKernel } from '../../backend';
import { InvalidArgumentError, OutOfRangeError } from '../../../errors';
import type { DType } from '../../../graph/dtype';
import type { FuncDef } from '../../../graph/func_graph';
import { isCompatible, Shape, shapeToString } from '../../../graph/shape';
import type { Operation, Tensor } from '../../../graph/tensor';
import { NDArray } from '../../../ndarray';
import type { Random } from '../../../util/random';
import { buildSource, DatasetDef, notInitializedError, PullContext, Stream } from '../../../data/pipeline';

/**
 * tf.data iterators on the host. An iterator's state must belong to the Session (TF1: a resource of the
 * session's resource manager). The per-run state offers one per-session object per op that persists
 * across runs — the op's random stream — so the iterator state is keyed by that object (a WeakMap: it
 * goes away with the session).
 */
const iterators = new WeakMap<Random, { stream: Stream | null }>();

function iteratorState(iteratorOp: Operation, ctx: KernelContext): { stream: Stream | null } {
  const key = ctx.state.random(iteratorOp);
  let st = iterators.get(key);
  if (!st) iterators.set(key, (st = { stream: null }));
  return st;
}

/** Copies values the pipeline keeps across runs (computed inputs may be buffers the session recycles). */
function owned(op: Operation, inputs: readonly NDArray[], offset: number): NDArray[] {
  return inputs.map((v, i) => {
    const src = op.inputs[i + offset] as Tensor;
    return src.op.type === 'Const' ? v : new NDArray(v.data.slice(), v.shape.slice(), v.dtype);
  });
}

function open(def: DatasetDef, values: NDArray[]): Stream {
  return buildSource(def, values).open();
}

registerKernel('cpu', 'IteratorV2', (_inputs, ctx) => {
  iteratorState(ctx.op, ctx);
  return [new NDArray(Int32Array.of(0), [], 'int32')];
});

registerKernel('cpu', 'OneShotIterator', (inputs, ctx) => {
  const st = iteratorState(ctx.op, ctx);
  if (!st.stream) st.stream = open(ctx.attrs.dataset as unknown as DatasetDef, owned(ctx.op, inputs, 0));
  return [new NDArray(Int32Array.of(0), [], 'int32')];
});

registerKernel('cpu', 'MakeIterator', (inputs, ctx) => {
  const iteratorOp = (ctx.op.inputs[0] as Tensor).op;
  const st = iteratorState(iteratorOp, ctx);
  st.stream = open(ctx.attrs.dataset as unknown as DatasetDef, owned(ctx.op, inputs.slice(1), 1));
  return [];
});

registerKernel('cpu', 'IteratorGetNext', (_inputs, ctx) => {
  const st = iteratorState((ctx.op.inputs[0] as Tensor).op, ctx);
  if (!st.stream) throw notInitializedError();
  const element = st.stream.next(pullContext(ctx));
  if (!element) throw new OutOfRangeError('End of sequence');
  const types = ctx.attrs.output_types as DType[];
  const shapes = ctx.attrs.output_shapes as Shape[];
  return element.map((v, i) => {
    if (v.dtype !== types[i] || !isCompatible(shapes[i] ?? null, v.shape)) {
      throw new InvalidArgumentError(
        `Iterator element component ${i} has dtype ${v.dtype} and shape ${shapeToString(v.shape)}, but the iterator expects ${String(types[i])} and ${shapeToString(shapes[i] ?? null)}`,
      );
    }
    // A fresh copy: elements may be views of the dataset's inputs, replayed in later epochs.
    const data = ctx.alloc(v.dtype, v.size);
    data.set(v.data);
    return new NDArray(data, v.shape.slice(), v.dtype);
  });
});

/** Runs graph functions (map, filter) with the executor (the run's backend and state). */
function pullContext(ctx: KernelContext): PullContext {
  const float64 = ctx.alloc('float32', 0) instanceof Float64Array;
  return {
    alloc: (dtype, size) => ctx.alloc(dtype, size),
    call(def: FuncDef, args: NDArray[]): NDArray[] {
      if (!ctx.callFunction) throw new Error(`internal: no function runner for ${ctx.op.name}`);
      const out = ctx.callFunction(
        def,
        args.map((a) => convert(a, float64)),
      );
      if (out instanceof Promise) throw new Error(`internal: ${ctx.op.name} ran a function asynchronously`);
      return out;
    },
  };
}

/** Float inputs in the run's storage (Float64Array in the CPU reference mode). */
function convert(v: NDArray, float64: boolean): NDArray {
  if (v.dtype !== 'float32' || v.data instanceof Float64Array === float64) return v;
  const data = float64 ? Float64Array.from(v.data) : Float32Array.from(v.data);
  return new NDArray(data, v.shape, v.dtype);
}
