import { InvalidArgumentError } from '../../errors';
import { getDefaultGraph, Graph } from '../../graph/graph';
import type { Operation, Tensor } from '../../graph/tensor';
import { importTFGraphDef } from './importer';
import { decodeGraphDefBytes, GraphDefJSON } from './proto';

export type { GraphDefJSON, NodeDefJSON, AttrValueJSON, TensorProtoJSON, TensorShapeJSON } from './proto';
export { encodeGraphDef, decodeGraphDefBytes } from './proto';
export { importTFGraphDef } from './importer';
export { OP_MAP } from './op_map';

/** Protobuf bytes of a GraphDef (`Uint8Array`, Node `Buffer`, `ArrayBuffer`). */
export function isGraphDefBytes(raw: unknown): raw is Uint8Array | ArrayBuffer {
  return raw instanceof Uint8Array || raw instanceof ArrayBuffer;
}

/** TF's JSON form of a GraphDef: a `node` list (tensorgraph's own JSON has `format` and `nodes`). */
export function isGraphDefJSON(raw: unknown): raw is GraphDefJSON {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return false;
  const o = raw as Record<string, unknown>;
  return o.format === undefined && o.nodes === undefined && (Array.isArray(o.node) || 'versions' in o);
}

export interface TFGraphDefOptions {
  inputMap?: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>;
  returnElements?: readonly string[];
  name?: string | null;
  graph?: Graph;
  maxTensorBytes?: number;
}

const KEYS = ['inputMap', 'returnElements', 'name', 'graph', 'maxTensorBytes'];

function checkMaxBytes(v: unknown): number | undefined {
  if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0))
    throw new TypeError("importGraphDef(): option 'maxTensorBytes' must be a non-negative integer");
  return v as number | undefined;
}

/** `tf.importGraphDef` for a TensorFlow GraphDef (bytes or JSON form) with TF1's semantics. */
export function importGraphDefProto(
  raw: GraphDefJSON | Uint8Array | ArrayBuffer,
  options: TFGraphDefOptions = {},
): (Tensor | Operation)[] {
  if (options === null || typeof options !== 'object')
    throw new TypeError('importGraphDef(): options must be an object');
  for (const k of Object.keys(options))
    if (!KEYS.includes(k)) throw new TypeError(`importGraphDef(): unknown option '${k}'`);
  if (options.name !== undefined && options.name !== null && typeof options.name !== 'string')
    throw new TypeError("importGraphDef(): option 'name' must be a string");
  if (options.returnElements !== undefined && !Array.isArray(options.returnElements))
    throw new TypeError("importGraphDef(): option 'returnElements' must be a list of names");
  const def = isGraphDefBytes(raw)
    ? decodeGraphDefBytes(raw instanceof ArrayBuffer ? new Uint8Array(raw) : raw)
    : raw;
  if (!isGraphDefJSON(def)) throw new InvalidArgumentError('importGraphDef: not a GraphDef');
  const inputMap = new Map<string, Tensor>(
    options.inputMap instanceof Map ? options.inputMap : Object.entries(options.inputMap ?? {}),
  );
  return importTFGraphDef(def, {
    inputMap,
    returnElements: options.returnElements ?? [],
    name: options.name ?? 'import',
    graph: options.graph ?? getDefaultGraph(),
    maxTensorBytes: checkMaxBytes(options.maxTensorBytes),
  }).returned;
}
