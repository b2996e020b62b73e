import { InvalidArgumentError, UnimplementedError } from '../../errors';
import { DType } from '../../graph/dtype';
import { getDefaultGraph } from '../../graph/graph';
import { mergeShapes, Shape, shapeToString } from '../../graph/shape';
import { bindCall, kinds, param, declareConstructor, CallForms, Signature } from '../../graph/signature';
import { Operation, Tensor, TensorLike } from '../../graph/tensor';
import { NDArray } from '../../ndarray';
import { gather } from '../array/gather';
import { range } from '../array/range';
import { reshape } from '../array/reshape';
import { shape as shapeOf, size as sizeOp } from '../fill/shape';
import { convertToTensor, defineOp, InferContext, makeOp, makeTensor } from '../op_def';
import { identity, noOp } from './basic';
import { COMPOSITE, Composite, CompositeParts } from './nest';

/*
 * tf.TensorArray as a value (TF2's functional TensorArray, with TF1's checks): a TensorArray is two
 * tensors that flow through the graph — `flow`, a dense buffer of shape [size, ...elementShape] holding
 * the elements, and `handle`, an int32 vector of length size marking the written elements. `write` and
 * `scatter` are functional row updates returning new tensors (hence TF1's `ta = ta.write(i, x)`), `read`,
 * `gather`, `stack` and `concat` pick rows. Before the first write of a TensorArray whose element shape
 * is not fully known, the buffer's element shape is a placeholder; the first write sets it, so the
 * buffer's static shape is unknown (null) there, which lets it be a whileLoop variable whose element
 * shape is learnt in the body. With `dynamicSize`, writes past the end grow the buffer.
 */

/** int32 scalar or vector indices of a TensorArray op (input `i`). */
function checkIndices(ctx: InferContext, i: number, what: string): void {
  if (ctx.dtypes[i] !== 'int32') ctx.fail(`TensorArray ${what} indices must be int32, got ${ctx.dtypes[i]}`);
}

/** The element shape a buffer of static shape `s` holds, merged with the TensorArray's known one. */
function elementOf(s: Shape, known: Shape): Shape {
  if (s === null) return known;
  return mergeShapes(s.slice(1), known) ?? known;
}

function withRows(rows: number | null, elem: Shape): Shape {
  return elem === null ? null : [rows, ...elem];
}

/**
 * TensorArrayNew(size) → (flow, handle): an empty TensorArray of `size` elements (attrs: dtype,
 * element_shape, dynamic_size). Unknown element dims are 0 in the placeholder buffer until the first write.
 */
defineOp({
  type: 'TensorArrayNew',
  defaultName: 'TensorArray',
  shapesFromKernel: true,
  infer: (ctx) => {
    if (ctx.dtypes[0] !== 'int32') ctx.fail(`TensorArray size must be int32, got ${ctx.dtypes[0]}`);
    const s = ctx.shapes[0];
    if (s !== null && s !== undefined && s.length !== 0)
      ctx.fail(`TensorArray size must be a scalar, got shape ${shapeToString(s)}`);
    const v = ctx.value(0);
    const n = v ? (v.data[0] as number) : null;
    if (n !== null && n < 0) ctx.fail(`TensorArray size must be non-negative, got ${n}`);
    const rows = ctx.attrs.dynamic_size ? null : n;
    const elem = ctx.attrs.element_shape as Shape;
    return [
      { dtype: ctx.attrs.dtype as DType, shape: withRows(rows, elem) },
      { dtype: 'int32', shape: [rows] },
    ];
  },
  grad: 'none',
});

/**
 * TensorArrayScatter(flow, handle, indices, value) → (flow, handle): writes element `value` at a scalar
 * index (TF1's write) or the rows of `value` at vector indices (scatter, unstack). Attrs: element_shape
 * (known so far), dynamic_size, infer_shape, rows (static size or null).
 */
defineOp({
  type: 'TensorArrayScatter',
  defaultName: 'TensorArrayWrite',
  shapesFromKernel: true,
  infer: (ctx) => {
    const [bs, , is, vs] = ctx.shapes;
    checkIndices(ctx, 2, 'write');
    if (ctx.dtypes[3] !== ctx.dtypes[0]) {
      ctx.fail(`TensorArray dtype is ${ctx.dtypes[0]} but Op is trying to write dtype ${ctx.dtypes[3]}`);
    }
    if (is !== null && is !== undefined && is.length > 1)
      ctx.fail(`TensorArray indices must be a scalar or a vector, got shape ${shapeToString(is)}`);
    let elem: Shape = null;
    if (is !== null && is !== undefined && vs !== null && vs !== undefined) {
      if (is.length === 0) elem = vs.slice();
      else {
        if (vs.length === 0) ctx.fail('TensorArray scatter: value must have rank at least 1');
        const [k] = is;
        const [m] = vs;
        if (k !== null && k !== undefined && m !== null && m !== undefined && k !== m)
          ctx.fail(`Expected len(indices) == values.shape[0], but saw: ${k} vs. ${m}`);
        elem = vs.slice(1);
      }
    }
    const known = ctx.attrs.element_shape as Shape;
    const merged = ctx.attrs.infer_shape ? mergeShapes(elem, known) : elem;
    if (merged === undefined) {
      ctx.fail(
        `Inconsistent shapes: saw ${shapeToString(elem)} but expected ${shapeToString(known)} (and infer_shape=True)`,
      );
    }
    const rows = ctx.attrs.dynamic_size
      ? null
      : ((ctx.attrs.rows as number | null) ?? (bs === null || bs === undefined ? null : (bs[0] ?? null)));
    return [
      { dtype: ctx.dtypes[0] as DType, shape: withRows(rows, merged ?? null) },
      { dtype: 'int32', shape: [rows] },
    ];
  },
  grad: (op, [dFlow]) => {
    if (!dFlow) return [null, null, null, null];
    const [flow, , indices] = op.inputs as Tensor[];
    return [
      clearRows(dFlow, flow as Tensor, indices as Tensor),
      null,
      null,
      gather(dFlow, indices as Tensor),
    ];
  },
});

/**
 * TensorArrayGather(flow, handle[, indices]) → value. Attr `mode`: 'read' (scalar index: one element),
 * 'gather' (vector of indices: stacked elements), 'stack' (every element, no indices input) or 'concat'
 * (every element, concatenated along their first dimension). Reading an unwritten element is an error.
 */
defineOp({
  type: 'TensorArrayGather',
  defaultName: 'TensorArrayRead',
  shapesFromKernel: true,
  infer: (ctx) => {
    const mode = ctx.attrs.mode as string;
    const bs = ctx.shapes[0] ?? null;
    const elem = elementOf(bs, ctx.attrs.element_shape as Shape);
    const rows = (ctx.attrs.rows as number | null) ?? (bs === null ? null : (bs[0] ?? null));
    const dtype = ctx.dtypes[0] as DType;
    if (mode === 'read' || mode === 'gather') {
      checkIndices(ctx, 2, mode);
      const is = ctx.shapes[2] ?? null;
      if (is !== null && is.length !== (mode === 'read' ? 0 : 1))
        ctx.fail(`TensorArray ${mode}: index must be a ${mode === 'read' ? 'scalar' : 'vector'}`);
      if (mode === 'read') return [{ dtype, shape: elem }];
      return [{ dtype, shape: withRows(is === null ? null : (is[0] ?? null), elem) }];
    }
    if (mode === 'stack') return [{ dtype, shape: withRows(rows, elem) }];
    if (elem !== null && elem.length === 0)
      ctx.fail('Concat saw a scalar shape at index 0 but requires at least vectors');
    if (elem === null) return [{ dtype, shape: null }];
    const [d0] = elem;
    const total = rows !== null && d0 !== null && d0 !== undefined ? rows * d0 : null;
    return [{ dtype, shape: [total, ...elem.slice(1)] }];
  },
  grad: (op, [dy]) => {
    if (!dy) return op.inputs.map(() => null);
    const [flow, , indices] = op.inputs as Tensor[];
    const mode = op.attrs.mode as string;
    let dFlow: Tensor;
    if (mode === 'read' || mode === 'gather')
      dFlow = makeTensor(
        'GatherGrad',
        [dy, flow as Tensor, indices as Tensor, convertToTensor(0, 'int32')],
        {},
        'GatherGrad',
      );
    else if (mode === 'stack')
      dFlow = clearRows(dy, flow as Tensor, convertToTensor(new NDArray(new Int32Array(0), [0], 'int32')));
    else dFlow = reshape(dy, shapeOf(flow as Tensor));
    return [dFlow, ...op.inputs.slice(1).map(() => null)];
  },
});

/**
 * TensorArrayClearRows(x, like, indices) → a tensor shaped like `like`: the rows of `x` (those both
 * have) except rows `indices`, which are zero; all zeros when their element shapes differ (`like` is
 * then an unwritten TensorArray buffer). The gradient of a write with respect to the buffer written
 * into; linear in `x`, and its own adjoint: ClearRows(dy, x, indices).
 */
defineOp({
  type: 'TensorArrayClearRows',
  infer: (ctx) => {
    checkIndices(ctx, 2, 'gradient');
    if (ctx.dtypes[0] !== ctx.dtypes[1]) ctx.fail(`dtypes differ: ${ctx.dtypes[0]} and ${ctx.dtypes[1]}`);
    return [{ dtype: ctx.dtypes[1] as DType, shape: ctx.shapes[1] ?? null }];
  },
  grad: (op, [dy]) => {
    if (!dy) return [null, null, null];
    const [x, , indices] = op.inputs as Tensor[];
    return [clearRows(dy, x as Tensor, indices as Tensor), null, null];
  },
});

function clearRows(x: Tensor, like: Tensor, indices: Tensor): Tensor {
  return makeTensor('TensorArrayClearRows', [x, like, indices], {}, 'TensorArrayClearRows');
}

// ---- the TensorArray class ------------------------------------------------------------------------------

/** What TensorArrays sharing one handle lineage know (TF1 shares `_element_shape` between them). */
interface TaMeta {
  dtype: DType;
  dynamicSize: boolean;
  clearAfterRead: boolean;
  inferShape: boolean;
  colocateWithFirstWriteCall: boolean;
  /** Static size (null when unknown or dynamic). */
  rows: number | null;
  /** The element shape learnt so far (shared by every TensorArray of the lineage). */
  box: { shape: Shape };
  /** Name of the op that created the TensorArray (run-time messages name it, as TF1 names the array). */
  name: string;
}

/** Metadata by handle tensor, so `new TensorArray(dtype, { handle, flow })` finds its TensorArray. */
const metaByHandle = new WeakMap<Tensor, TaMeta>();

const shapeKind = kinds.nullable(
  kinds.custom<(number | null)[]>(
    'a shape: an array of sizes (null or -1 for unknown), or null for an unknown shape',
    (v) =>
      Array.isArray(v) &&
      v.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d) && d >= -1)),
    () => [2],
  ),
);
const tensorKind = kinds.nullable(kinds.custom<Tensor>('a Tensor', (v) => v instanceof Tensor));

const TA_PARAMS = [
  param('dtype', kinds.dtype),
  param('size', kinds.nullable(kinds.tensor), { default: null }),
  param('dynamicSize', kinds.nullable(kinds.bool), { default: null }),
  param('clearAfterRead', kinds.nullable(kinds.bool), { default: null }),
  param('tensorArrayName', kinds.nullable(kinds.string), { default: null }),
  param('handle', tensorKind, { default: null }),
  param('flow', tensorKind, { default: null }),
  param('inferShape', kinds.bool, { default: true }),
  param('elementShape', shapeKind, { default: null }),
  param('colocateWithFirstWriteCall', kinds.bool, { default: true }),
  param('name', kinds.name, { default: undefined as string | undefined }),
] as const;
const TA_SIG: Signature<typeof TA_PARAMS> = declareConstructor(
  'TensorArray',
  TA_PARAMS,
  (...args: unknown[]) => new TensorArray(...(args as CallForms<typeof TA_PARAMS>)),
);

const nameParam = param('name', kinds.name, { default: undefined as string | undefined });
const METHOD_SIGS = {
  read: { fn: 'TensorArray.read', params: [param('index', kinds.tensor), nameParam] as const },
  write: {
    fn: 'TensorArray.write',
    params: [param('index', kinds.tensor), param('value', kinds.tensor), nameParam] as const,
  },
  gather: { fn: 'TensorArray.gather', params: [param('indices', kinds.tensor), nameParam] as const },
  scatter: {
    fn: 'TensorArray.scatter',
    params: [param('indices', kinds.tensor), param('value', kinds.tensor), nameParam] as const,
  },
  unstack: { fn: 'TensorArray.unstack', params: [param('value', kinds.tensor), nameParam] as const },
  named: { fn: 'TensorArray method', params: [nameParam] as const },
};

function normShape(s: (number | null)[] | null): Shape {
  return s === null ? null : s.map((d) => (d === null || d < 0 ? null : d));
}

/**
 * TF1's `tf.TensorArray(dtype, size=None, dynamic_size=None, clear_after_read=None,
 * tensor_array_name=None, handle=None, flow=None, infer_shape=True, element_shape=None,
 * colocate_with_first_write_call=True, name=None)`: a list of `size` tensors of one dtype and shape,
 * written once each and read back, usable as a `tf.whileLoop` variable and differentiable. As in TF1
 * graphs, `write`, `scatter` and `unstack` return a new TensorArray (`ta = ta.write(i, x)`); `read`,
 * `gather`, `stack` and `concat` return tensors. Reading an element that was not written, writing one
 * twice, or writing past the end of a TensorArray without `dynamicSize` is an error at run time, with
 * TF1's messages. Elements must all have one shape (`inferShape: false` only stops the build-time shape
 * merging; elements of different shapes are a run-time error here). `clearAfterRead` is accepted but
 * not enforced (reading an element twice gives the same value, where TF1 raises); it changes no value.
 * `colocateWithFirstWriteCall` is a placement hint (one device: no effect). `handle` and `flow` rebuild
 * a TensorArray from another one's `handle` and a new `flow`.
 *
 * @example
 * let ta = new tf.TensorArray(tf.float32, 3);
 * ta = ta.write(0, x0).write(1, x1).write(2, x2);
 * const all = ta.stack(); // [3, ...x0.shape]
 * const [, out] = tf.whileLoop((i) => tf.less(i, n), (i, acc) => [tf.add(i, 1), acc.write(i, f(i))],
 *   [0, new tf.TensorArray('float32', { size: n })]);
 */
export class TensorArray implements Composite {
  /** The element dtype. */
  readonly dtype: DType;
  /**
   * The dense buffer of the elements, [size, ...elementShape] (TF1's flow tensor). Rows not written in
   * this TensorArray hold unspecified values (writes share storage; see the CPU kernel).
   */
  readonly flow: Tensor;
  /** int32 vector marking the written elements (stands for TF1's resource handle). */
  readonly handle: Tensor;
  private readonly meta: TaMeta;

  constructor(...args: CallForms<typeof TA_PARAMS>) {
    const a = bindCall(TA_SIG, args);
    if (a.handle !== null) {
      if (a.tensorArrayName !== null)
        throw new InvalidArgumentError('Cannot construct with both handle and tensor_array_name');
      if (a.size !== null)
        throw new InvalidArgumentError('Cannot provide both a handle and size at the same time');
      if (a.elementShape !== null)
        throw new InvalidArgumentError('Cannot provide both a handle and element_shape at the same time');
      if (a.dynamicSize !== null)
        throw new InvalidArgumentError('Cannot provide both a handle and dynamic_size at the same time');
      if (a.clearAfterRead !== null)
        throw new InvalidArgumentError('Cannot provide both a handle and clear_after_read at the same time');
      if (a.flow === null) throw new InvalidArgumentError('flow must be provided with a handle');
      const meta = metaByHandle.get(a.handle);
      if (!meta)
        throw new InvalidArgumentError(
          `TensorArray: handle ${a.handle.name} is not the handle of a TensorArray (use ta.handle)`,
        );
      if (meta.dtype !== a.dtype || a.flow.dtype !== a.dtype)
        throw new InvalidArgumentError(
          `TensorArray: dtype ${a.dtype} does not match the handle's TensorArray (${meta.dtype}) or the flow (${a.flow.dtype})`,
        );
      this.dtype = a.dtype;
      this.flow = a.flow;
      this.handle = a.handle;
      this.meta = meta;
      return;
    }
    if (a.size === null) throw new InvalidArgumentError('Size must be provided if handle is not provided');
    if (a.flow !== null) throw new InvalidArgumentError('flow must be provided only with a handle');
    const graph = getDefaultGraph();
    const size = convertToTensor(a.size, 'int32', graph);
    const dynamicSize = a.dynamicSize ?? false;
    const elem = normShape(a.elementShape);
    const op = makeOp(
      'TensorArrayNew',
      [size],
      { dtype: a.dtype, element_shape: elem, dynamic_size: dynamicSize },
      a.name ?? a.tensorArrayName ?? 'TensorArray',
      graph,
    );
    const sv = size.op.type === 'Const' ? ((size.op.attrs.value as NDArray).data[0] as number) : null;
    this.dtype = a.dtype;
    this.flow = op.outputs[0] as Tensor;
    this.handle = op.outputs[1] as Tensor;
    this.meta = {
      dtype: a.dtype,
      dynamicSize,
      clearAfterRead: a.clearAfterRead ?? true,
      inferShape: a.inferShape,
      colocateWithFirstWriteCall: a.colocateWithFirstWriteCall,
      rows: dynamicSize ? null : sv,
      box: { shape: elem },
      name: op.name,
    };
    metaByHandle.set(this.handle, this.meta);
  }

  /** A TensorArray of the same lineage with new tensors. */
  private derive(flow: Tensor, handle: Tensor): TensorArray {
    metaByHandle.set(handle, this.meta);
    return new TensorArray(this.dtype, { handle, flow });
  }

  /** nest's composite protocol: flattens to [flow, handle] (whileLoop variables, cond results). */
  [COMPOSITE](): CompositeParts {
    return {
      typeName: 'TensorArray',
      components: [this.flow, this.handle],
      rebuild: (c) => this.derive(c[0] as Tensor, c[1] as Tensor),
    };
  }

  /** The element shape known so far (from `elementShape` and the writes), null when unknown. */
  get elementShape(): Shape {
    const s = this.meta.box.shape;
    return s === null ? null : s.slice();
  }
  get dynamicSize(): boolean {
    return this.meta.dynamicSize;
  }
  get clearAfterRead(): boolean {
    return this.meta.clearAfterRead;
  }
  get inferShape(): boolean {
    return this.meta.inferShape;
  }
  get colocateWithFirstWriteCall(): boolean {
    return this.meta.colocateWithFirstWriteCall;
  }

  private gatherOp(mode: string, indices: TensorLike[], name: string): Tensor {
    return makeTensor(
      'TensorArrayGather',
      [this.flow, this.handle, ...indices],
      { mode, element_shape: this.meta.box.shape, rows: this.meta.rows, tensor_array_name: this.meta.name },
      name,
      'int32',
    );
  }

  private scatterOp(indices: TensorLike, value: TensorLike, name: string): TensorArray {
    const v = convertToTensor(value, this.dtype);
    if (v.dtype !== this.dtype) {
      throw new InvalidArgumentError(
        `TensorArray dtype is ${this.dtype} but Op is trying to write dtype ${v.dtype}`,
      );
    }
    const op = makeOp(
      'TensorArrayScatter',
      [this.flow, this.handle, indices, v],
      {
        element_shape: this.meta.box.shape,
        dynamic_size: this.meta.dynamicSize,
        infer_shape: this.meta.inferShape,
        rows: this.meta.rows,
        tensor_array_name: this.meta.name,
      },
      name,
      undefined,
      { dtypeHint: 'int32' },
    );
    const flow = op.outputs[0] as Tensor;
    if (this.meta.inferShape && flow.shape !== null) this.meta.box.shape = flow.shape.slice(1);
    return this.derive(flow, op.outputs[1] as Tensor);
  }

  /**
   * The element at `index` (TF1's `read(index, name=None)`).
   *
   * @example
   * const x1 = ta.read(1);
   */
  read(index: TensorLike, name?: string | { name?: string }): Tensor {
    const a = bindCall(METHOD_SIGS.read, [index, ...(name === undefined ? [] : [name])]);
    return this.gatherOp('read', [a.index], a.name ?? 'TensorArrayReadV3');
  }

  /**
   * Writes `value` at `index` and returns the new TensorArray (TF1's `write(index, value, name=None)`).
   *
   * @example
   * ta = ta.write(i, tf.square(x));
   */
  write(index: TensorLike, value: TensorLike, name?: string | { name?: string }): TensorArray {
    const a = bindCall(METHOD_SIGS.write, [index, value, ...(name === undefined ? [] : [name])]);
    return this.scatterOp(a.index, a.value, a.name ?? 'TensorArrayWriteV3');
  }

  /**
   * Every element stacked along a new first dimension (TF1's `stack(name=None)`).
   *
   * @example
   * const all = ta.stack(); // [size, ...elementShape]
   */
  stack(name?: string | { name?: string }): Tensor {
    const a = bindCall(METHOD_SIGS.named, name === undefined ? [] : [name]);
    return this.gatherOp('stack', [], a.name ?? 'TensorArrayStack');
  }

  /**
   * The elements at `indices`, stacked (TF1's `gather(indices, name=None)`).
   *
   * @example
   * const firstAndLast = ta.gather([0, 4]);
   */
  gather(indices: TensorLike, name?: string | { name?: string }): Tensor {
    const a = bindCall(METHOD_SIGS.gather, [indices, ...(name === undefined ? [] : [name])]);
    return this.gatherOp('gather', [a.indices], a.name ?? 'TensorArrayGatherV3');
  }

  /**
   * Every element concatenated along its first dimension (TF1's `concat(name=None)`).
   *
   * @example
   * const joined = ta.concat(); // [size * d0, ...rest]
   */
  concat(name?: string | { name?: string }): Tensor {
    const a = bindCall(METHOD_SIGS.named, name === undefined ? [] : [name]);
    return this.gatherOp('concat', [], a.name ?? 'TensorArrayConcatV3');
  }

  /**
   * Writes the rows of `value` as elements 0, 1, … (TF1's `unstack(value, name=None)`: a scatter at
   * `range(value.shape[0])`, so a longer value than the size is an error, a shorter one is not).
   *
   * @example
   * const ta = new tf.TensorArray(tf.float32, 3).unstack(x); // x: [3, ...]
   */
  unstack(value: TensorLike, name?: string | { name?: string }): TensorArray {
    const a = bindCall(METHOD_SIGS.unstack, [value, ...(name === undefined ? [] : [name])]);
    const v = convertToTensor(a.value, this.dtype);
    if (v.shape !== null && v.shape.length === 0)
      throw new InvalidArgumentError('TensorArray.unstack: value must have rank at least 1, got a scalar');
    const d0 = v.shape?.[0];
    const n: TensorLike = d0 === null || d0 === undefined ? gather(shapeOf(v), 0) : d0;
    return this.scatterOp(range(0, n), v, a.name ?? 'TensorArrayUnstack');
  }

  /**
   * Writes the rows of `value` at `indices` (TF1's `scatter(indices, value, name=None)`).
   *
   * @example
   * ta = ta.scatter([0, 2], rows); // rows: [2, ...]
   */
  scatter(indices: TensorLike, value: TensorLike, name?: string | { name?: string }): TensorArray {
    const a = bindCall(METHOD_SIGS.scatter, [indices, value, ...(name === undefined ? [] : [name])]);
    const idx = convertToTensor(a.indices, 'int32');
    if (idx.shape !== null && idx.shape.length !== 1)
      throw new InvalidArgumentError(
        `TensorArray.scatter: indices must be a vector, got ${shapeToString(idx.shape)}`,
      );
    return this.scatterOp(idx, a.value, a.name ?? 'TensorArrayScatterV3');
  }

  /**
   * The number of elements, an int32 scalar (TF1's `size(name=None)`).
   *
   * @example
   * const n = ta.size();
   */
  size(name?: string | { name?: string }): Tensor {
    const a = bindCall(METHOD_SIGS.named, name === undefined ? [] : [name]);
    return sizeOp(this.handle, a.name ?? 'TensorArraySizeV3');
  }

  /**
   * A TensorArray whose flow passes through `tf.identity` (TF1's `identity()`).
   *
   * @example
   * const ta2 = ta.identity();
   */
  identity(): TensorArray {
    return this.derive(identity(this.flow), this.handle);
  }

  /**
   * TF1's `close(name=None)`: an op to run; nothing to release here (a no-op).
   *
   * @example
   * sess.run(ta.close());
   */
  close(name?: string | { name?: string }): Operation {
    const a = bindCall(METHOD_SIGS.named, name === undefined ? [] : [name]);
    return noOp(a.name ?? 'TensorArrayCloseV3');
  }

  /** TF1's `grad(source, flow=None, name=None)` gradient TensorArrays are not exposed. */
  grad(): never {
    throw new UnimplementedError(
      'TensorArray.grad: gradient TensorArrays are not exposed; tf.gradients differentiates through TensorArray reads and writes directly',
    );
  }

  /** TF1's `split(value, lengths, name=None)` needs elements of different shapes: not supported. */
  split(): never {
    throw new UnimplementedError(
      'TensorArray.split: elements of different lengths are not supported (a TensorArray here is one dense tensor); use unstack on a reshaped value',
    );
  }
}
