import { DType, isDType } from '../graph/dtype';
import type { Graph } from '../graph/graph';
import type { Shape } from '../graph/shape';
import type { AttrValue, Tensor } from '../graph/tensor';
import { toBytes } from '../io/bytes';
import { encodeAttr } from '../io/graph_json_schema';
import { NDArray } from '../ndarray';
import { GraphDefProto } from './proto';

/**
 * A graph as TensorFlow's `GraphDef` protobuf, for TensorBoard's graph view (TF1's
 * `graph.as_graph_def(add_shapes=True)`): one NodeDef per op with TF1-style inputs (`name`, `name:1`,
 * `^control`), device, attrs as AttrValues and `_output_shapes`.
 */
const DT: Record<DType, number> = { float32: 1, int32: 3, bool: 10 };
const DTYPE_ATTRS = new Set([
  'dtype',
  'T',
  'DstT',
  'SrcT',
  'out_type',
  'output_type',
  'Tidx',
  'Tindices',
  'Tparams',
  'index_type',
  'Tshape',
]);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function shapeProto(shape: Shape): object {
  if (shape === null) return { unknownRank: true };
  return { dim: shape.map((d) => ({ size: d === null ? -1 : d })) };
}

function isShapeLike(v: AttrValue[]): v is (number | null)[] {
  return v.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d)));
}

export function tensorProto(a: NDArray): object {
  return {
    dtype: DT[a.dtype],
    tensorShape: shapeProto(a.shape),
    tensorContent: toBytes(a, a.dtype === 'float32' ? 'float32' : a.dtype === 'int32' ? 'int32' : 'uint8'),
  };
}

function attrValue(key: string, v: AttrValue | undefined): object | undefined {
  if (v === undefined) return undefined;
  if (v === null) return key === 'shape' ? { shape: shapeProto(null) } : undefined;
  if (v instanceof NDArray) return { tensor: tensorProto(v) };
  if (typeof v === 'string') return DTYPE_ATTRS.has(key) && isDType(v) ? { type: DT[v] } : { s: utf8(v) };
  if (typeof v === 'boolean') return { b: v };
  if (typeof v === 'number') return Number.isSafeInteger(v) ? { i: v } : { f: v };
  if (Array.isArray(v)) {
    if (key.endsWith('shape') && isShapeLike(v)) return { shape: shapeProto(v) };
    if (v.every((x) => typeof x === 'number')) {
      return v.every((x) => Number.isSafeInteger(x)) ? { list: { i: v } } : { list: { f: v } };
    }
    if (v.every((x) => typeof x === 'string')) return { list: { s: v.map(utf8) } };
    if (v.every((x) => typeof x === 'boolean')) return { list: { b: v } };
  }
  // Anything else (objects, mixed lists) is shown as its JSON text.
  return { s: utf8(JSON.stringify(encodeAttr(v, () => `attr '${key}'`))) };
}

function inputName(t: Tensor): string {
  return t.index === 0 ? t.op.name : `${t.op.name}:${t.index}`;
}

/** The GraphDef message (plain object form) of `graph`. */
export function graphDefObject(graph: Graph): object {
  const node = graph.getOperations().map((op) => {
    const attr: Record<string, object> = {};
    for (const [k, v] of Object.entries(op.attrs)) {
      const a = attrValue(k, v);
      if (a) attr[k] = a;
    }
    if (op.outputs.length)
      attr._output_shapes = { list: { shape: op.outputs.map((t) => shapeProto(t.shape)) } };
    return {
      name: op.name,
      op: op.type,
      input: [...op.inputs.map(inputName), ...op.controlInputs.map((c) => `^${c.name}`)],
      device: op.device,
      attr,
    };
  });
  return { node };
}

/** The serialized GraphDef of `graph`. */
export function encodeGraphDef(graph: Graph): Uint8Array {
  return GraphDefProto.encode(GraphDefProto.fromObject(graphDefObject(graph))).finish();
}
