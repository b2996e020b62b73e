/**
 * What crosses a thread boundary: plan steps as plain descriptors (a worker rebuilds the operation from
 * its type, attrs and static signature) and NDArrays as (data, shape, dtype). Structured clone copies
 * typed arrays; a buffer the sender no longer needs is transferred instead.
 */
import type { DType } from '../../graph/dtype';
import { Graph } from '../../graph/graph';
import type { Shape } from '../../graph/shape';
import { AttrValue, Attrs, Operation, Tensor } from '../../graph/tensor';
import { NDArray } from '../../ndarray';
import { getOpDef, hasOpDef, OpDef } from '../../ops/op_def';
import { fusedDef, FUSED_TYPE } from '../passes/fusion';

/** An NDArray in a message. */
export interface WireArray {
  data: NDArray['data'];
  shape: number[];
  dtype: DType;
}

export function toWire(x: NDArray): WireArray {
  return { data: x.data, shape: x.shape, dtype: x.dtype };
}

const VIEWS: Record<string, new (b: ArrayBufferLike, offset: number, length: number) => NDArray['data']> = {
  '[object Float32Array]': Float32Array,
  '[object Float64Array]': Float64Array,
  '[object Int32Array]': Int32Array,
  '[object Uint8Array]': Uint8Array,
};

/**
 * The NDArray of a message. Its typed array is re-viewed in this realm (a test runner's sandbox has its
 * own Float32Array; structured clone makes the host's) without copying.
 */
export function fromWire(w: WireArray): NDArray {
  const d = w.data;
  const View = VIEWS[Object.prototype.toString.call(d)];
  const data = View && !(d instanceof View) ? new View(d.buffer, d.byteOffset, d.length) : d;
  return new NDArray(data, w.shape, w.dtype);
}

/** One step of a device's program. Slots are the global plan's, plus keys for live reads and tokens. */
export interface StepDescriptor {
  type: string;
  name: string;
  site: string;
  attrs: Record<string, unknown>;
  inputs: { shape: Shape; dtype: DType }[];
  outputs: { shape: Shape; dtype: DType }[];
  inputSlots: number[];
  outputSlots: number[];
  freeSlots: number[];
  /** Tokens (cross-device control dependencies) that must arrive before the step runs. */
  waits: number[];
}

const NDARRAY_TAG = '__ndarray';

/** Whether `op` can be rebuilt in a worker: a registered (or fused) type with plain-data attrs. */
export function portable(op: Operation): boolean {
  if (op.type !== FUSED_TYPE && !hasOpDef(op.type)) return false;
  if (op.type !== FUSED_TYPE && getOpDef(op.type) !== op.def) return false;
  return Object.values(op.attrs).every(plainAttr);
}

function plainAttr(v: AttrValue): boolean {
  if (v === null || typeof v !== 'object') return typeof v !== 'function';
  if (v instanceof NDArray) return true;
  if (Array.isArray(v)) return v.every(plainAttr);
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(v).every(plainAttr);
}

function encodeAttr(v: AttrValue): unknown {
  if (v instanceof NDArray) return { [NDARRAY_TAG]: toWire(v) };
  if (Array.isArray(v)) return v.map(encodeAttr);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = encodeAttr(x);
    return out;
  }
  return v;
}

function decodeAttr(v: unknown): AttrValue {
  if (Array.isArray(v)) return v.map(decodeAttr);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (NDARRAY_TAG in o) return fromWire(o[NDARRAY_TAG] as WireArray);
    const out: Record<string, AttrValue> = {};
    for (const [k, x] of Object.entries(o)) out[k] = decodeAttr(x);
    return out;
  }
  return v as AttrValue;
}

export function encodeStep(
  op: Operation,
  slots: { inputSlots: number[]; outputSlots: number[]; freeSlots: number[]; waits: number[] },
): StepDescriptor {
  const attrs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(op.attrs)) attrs[k] = encodeAttr(v);
  return {
    type: op.type,
    name: op.name,
    site: op.site,
    attrs,
    inputs: op.inputs.map((t) => ({ shape: t.shape, dtype: t.dtype })),
    outputs: op.outputs.map((t) => ({ shape: t.shape, dtype: t.dtype })),
    ...slots,
  };
}

/**
 * Rebuilds a step's operation in `graph` (a worker's scratch graph): same type, attrs, name, creation
 * site and static signature, so kernels, shape rules and error messages behave as on the calling thread.
 */
export function decodeStep(graph: Graph, d: StepDescriptor, id: number): Operation {
  const attrs: Attrs = {};
  for (const [k, v] of Object.entries(d.attrs)) attrs[k] = decodeAttr(v);
  const def: OpDef =
    d.type === FUSED_TYPE
      ? fusedDef(
          attrs.formula as string,
          d.inputs.map((_x, j) => `in${j}`),
        )
      : getOpDef(d.type);
  const source = new Operation(graph, -id - 1, `${d.name}/input`, 'Placeholder', [], {}, [], def, '', d.site);
  source.outputs = d.inputs.map((x, j) => new Tensor(source, j, x.shape, x.dtype));
  const op = new Operation(graph, id, d.name, d.type, source.outputs, attrs, [], def, '', d.site);
  op.outputs = d.outputs.map((x, j) => new Tensor(op, j, x.shape, x.dtype));
  return op;
}
