import { InvalidArgumentError } from '../errors';
import { DType, isDType } from '../graph/dtype';
import { Dim, Shape, shapeToString } from '../graph/shape';
import type { AttrValue, Attrs } from '../graph/tensor';
import { NDArray } from '../ndarray';
import {
  bytesPerElement,
  checkConcreteShape,
  Encoding,
  encodingFits,
  fromBytes,
  isEncoding,
  toBytes,
  encodingOf,
} from './bytes';

/**
 * The versioned JSON form of a graph (`graph.toJSON()`, `tf.importGraphDef`) and its strict decoder.
 * Attr values are JSON data; the few values JSON cannot hold are tagged objects with one `$` key:
 * `{ $tensor: { dtype, encoding, shape, data: base64 } }` (an NDArray), `{ $map: {...} }` (an object),
 * `{ $number: 'NaN' | 'Infinity' | '-Infinity' | '-0' }`.
 */
export const GRAPH_JSON_FORMAT = 'tensorgraph-graph';
export const GRAPH_JSON_VERSION = 1;

export interface TensorJSON {
  dtype: DType;
  encoding: Encoding;
  shape: number[];
  /** Little-endian element bytes, base64. */
  data: string;
}
export type AttrJSON =
  | string
  | number
  | boolean
  | null
  | AttrJSON[]
  | { $map: { [key: string]: AttrJSON } }
  | { $tensor: TensorJSON }
  | { $number: 'NaN' | 'Infinity' | '-Infinity' | '-0' };

export interface OutputJSON {
  dtype: DType;
  shape: Shape;
}
export interface NodeJSON {
  name: string;
  op: string;
  /** Data inputs as `"<node>:<output>"`. */
  inputs: string[];
  /** Node names that must run first. */
  controlInputs: string[];
  device: string;
  attrs: { [key: string]: AttrJSON };
  outputs: OutputJSON[];
}
/** TF1's VariableDef: what turns a VariableV2 node back into a `tf.Variable`. */
export interface VariableDefJSON {
  variable: string;
  initializer: string;
  snapshot: string;
  initialValue: string;
  trainable: boolean;
}
export type CollectionItemJSON =
  { variable: string } | { tensor: string } | { op: string } | { value: string | number | boolean | null };
export interface GraphJSON {
  format: typeof GRAPH_JSON_FORMAT;
  version: number;
  seed: number | null;
  nodes: NodeJSON[];
  variables: VariableDefJSON[];
  collections: { [key: string]: CollectionItemJSON[] };
}

/** TF1's rule for op names, plus: no empty scope segment. */
const NAME_RE = /^[A-Za-z0-9.][A-Za-z0-9_.\-/>]*$/;
const ATTR_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
export const MAX_ELEMENTS = 2 ** 31 - 1;
const MAX_DEPTH = 32;

export function isValidOpName(name: unknown): name is string {
  return (
    typeof name === 'string' && name.length <= 1024 && NAME_RE.test(name) && !name.split('/').includes('')
  );
}

/** Throws the import error for `where` (a node description or a top-level field). */
export function importError(where: string, why: string): never {
  throw new InvalidArgumentError(`importGraphDef: ${where}: ${why}`);
}

// ---------------------------------------------------------------- attrs: encode

export function encodeAttr(v: AttrValue, where: () => string, depth = 0): AttrJSON {
  if (depth > MAX_DEPTH)
    throw new InvalidArgumentError(`Graph.toJSON: ${where()}: attr nests deeper than ${MAX_DEPTH}`);
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { $number: 'NaN' };
    if (v === Infinity) return { $number: 'Infinity' };
    if (v === -Infinity) return { $number: '-Infinity' };
    if (Object.is(v, -0)) return { $number: '-0' };
    return v;
  }
  if (v instanceof NDArray) {
    const encoding = encodingOf(v);
    return {
      $tensor: {
        dtype: v.dtype,
        encoding,
        shape: v.shape.slice(),
        data: Buffer.from(toBytes(v, encoding)).toString('base64'),
      },
    };
  }
  if (Array.isArray(v)) return v.map((x) => encodeAttr(x, where, depth + 1));
  const proto: unknown = typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
  if (proto === Object.prototype || proto === null) {
    const out: { [key: string]: AttrJSON } = {};
    for (const [k, x] of Object.entries(v as Record<string, AttrValue>)) {
      if (x !== undefined) out[k] = encodeAttr(x, where, depth + 1);
    }
    return { $map: out };
  }
  throw new InvalidArgumentError(
    `Graph.toJSON: ${where()}: attr value ${String(v)} is not JSON data or an NDArray`,
  );
}

// ---------------------------------------------------------------- attrs: decode (untrusted)

export function decodeAttr(raw: unknown, bad: (why: string) => never, depth = 0): AttrValue {
  if (depth > MAX_DEPTH) bad(`attr value nests deeper than ${MAX_DEPTH}`);
  if (raw === null || typeof raw === 'string' || typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : bad('non-finite number');
  if (Array.isArray(raw)) return raw.map((x) => decodeAttr(x, bad, depth + 1));
  if (typeof raw !== 'object' || Object.getPrototypeOf(raw) !== Object.prototype)
    bad('attr value is not JSON data');
  const keys = Object.keys(raw as object);
  if (keys.length !== 1)
    bad(`attr objects must have exactly one key ($map, $tensor or $number), found ${JSON.stringify(keys)}`);
  const r = raw as Record<string, unknown>;
  if ('$number' in r) {
    const table: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };
    const n = r.$number;
    if (typeof n !== 'string' || !Object.prototype.hasOwnProperty.call(table, n))
      bad(`bad $number ${JSON.stringify(n)}`);
    return table[n as string] as number;
  }
  if ('$tensor' in r) return decodeTensor(r.$tensor, bad);
  if ('$map' in r) {
    const m = r.$map;
    if (
      typeof m !== 'object' ||
      m === null ||
      Array.isArray(m) ||
      Object.getPrototypeOf(m) !== Object.prototype
    )
      bad('$map must be an object');
    const out: { [key: string]: AttrValue } = {};
    for (const [k, x] of Object.entries(m as object)) {
      if (FORBIDDEN_KEYS.has(k) || k.length > 256) bad(`forbidden key ${JSON.stringify(k)} in $map`);
      out[k] = decodeAttr(x, bad, depth + 1);
    }
    return out;
  }
  return bad(`unknown tagged attr object ${JSON.stringify(keys[0])}`);
}

export function decodeTensor(raw: unknown, bad: (why: string) => never): NDArray {
  const t = raw as TensorJSON;
  if (typeof t !== 'object' || t === null) bad('$tensor must be an object');
  checkKeys(t, ['dtype', 'encoding', 'shape', 'data'], 'in $tensor', bad);
  if (!isDType(t.dtype)) bad(`$tensor has unknown dtype ${JSON.stringify(t.dtype)}`);
  if (!isEncoding(t.encoding) || !encodingFits(t.dtype, t.encoding))
    bad(`$tensor has bad encoding ${JSON.stringify(t.encoding)} for ${t.dtype}`);
  const shapeError = checkConcreteShape(t.shape, MAX_ELEMENTS);
  if (shapeError) bad(`$tensor ${shapeError}`);
  if (typeof t.data !== 'string' || t.data.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(t.data))
    bad('$tensor data is not base64');
  const size = t.shape.reduce((a, b) => a * b, 1);
  const expected = size * bytesPerElement(t.encoding);
  const padding = t.data.endsWith('==') ? 2 : t.data.endsWith('=') ? 1 : 0;
  const actual = (t.data.length / 4) * 3 - padding;
  if (actual !== expected)
    bad(
      `$tensor data holds ${actual} bytes but shape ${shapeToString(t.shape)} of ${t.encoding} needs ${expected}`,
    );
  return fromBytes(Buffer.from(t.data, 'base64'), t.encoding, t.dtype, t.shape.slice());
}

/** A static shape from untrusted data: `null`, or dims that are `null` or non-negative integers. */
export function decodeShape(raw: unknown, bad: (why: string) => never, allowMinusOne = false): Shape {
  if (raw === null) return null;
  if (!Array.isArray(raw) || raw.length > 64)
    bad(`shape ${JSON.stringify(raw)} is not a list of at most 64 dims`);
  let n = 1;
  const dims: Dim[] = (raw as unknown[]).map((d) => {
    if (d === null) return null;
    const min = allowMinusOne ? -1 : 0;
    if (typeof d !== 'number' || !Number.isInteger(d) || d < min || d > MAX_ELEMENTS)
      bad(`shape ${JSON.stringify(raw)} has a bad dimension`);
    if ((d as number) > 0) n *= d as number;
    return d as number;
  });
  if (n > MAX_ELEMENTS)
    bad(`shape ${shapeToString(dims)} has ${n} elements, more than the limit of ${MAX_ELEMENTS}`);
  return dims;
}

/** Attr names whose values are known to be dtypes, shapes or booleans in every op that uses them. */
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
const SHAPE_ATTRS = new Set(['shape', 'element_shape']);
const BOOL_ATTRS = new Set([
  'transpose_a',
  'transpose_b',
  'adj_x',
  'adj_y',
  'keep_dims',
  'use_locking',
  'validate_shape',
]);
const INT_ATTRS = new Set(['seed', 'seed2']);
const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Decodes a node's attrs and checks the typed ones; `formula`/`vars` are parsed by the caller. */
export function decodeAttrs(raw: unknown, bad: (why: string) => never): Attrs {
  if (!isPlainObject(raw)) bad('attrs must be an object');
  const attrs: Attrs = {};
  for (const [key, value] of Object.entries(raw as object)) {
    if (!ATTR_KEY_RE.test(key) || FORBIDDEN_KEYS.has(key)) bad(`bad attr name ${JSON.stringify(key)}`);
    attrs[key] = decodeAttr(value, (why) => bad(`attr '${key}': ${why}`));
  }
  checkAttrTypes(attrs, bad);
  return attrs;
}

/** Checks decoded attrs: names, and the values of attrs whose type is known from their name. */
export function checkAttrTypes(attrs: Attrs, bad: (why: string) => never): void {
  for (const [key, v] of Object.entries(attrs)) {
    if (!ATTR_KEY_RE.test(key) || FORBIDDEN_KEYS.has(key)) bad(`bad attr name ${JSON.stringify(key)}`);
    const badAttr = (why: string): never => bad(`attr '${key}': ${why}`);
    if (DTYPE_ATTRS.has(key) && v !== null && !isDType(v))
      badAttr(`${JSON.stringify(v)} is not a dtype (float32, int32, bool)`);
    if (SHAPE_ATTRS.has(key)) decodeShape(v, badAttr, true);
    if (BOOL_ATTRS.has(key) && typeof v !== 'boolean') badAttr('must be a boolean');
    if (INT_ATTRS.has(key) && v !== null && !Number.isSafeInteger(v)) badAttr('must be an integer');
    if (key === 'formula' && (typeof v !== 'string' || v.length > 10000))
      badAttr('must be a string of at most 10000 characters');
    if (
      key === 'vars' &&
      (!Array.isArray(v) ||
        !v.every((x) => typeof x === 'string' && IDENT_RE.test(x)) ||
        new Set(v).size !== v.length)
    ) {
      badAttr('must be a list of distinct identifiers');
    }
  }
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return (
    typeof x === 'object' && x !== null && !Array.isArray(x) && Object.getPrototypeOf(x) === Object.prototype
  );
}

/** Rejects keys other than `allowed` and missing ones. */
export function checkKeys(
  obj: object,
  allowed: readonly string[],
  where: string,
  bad: (why: string) => never,
): void {
  for (const k of Object.keys(obj))
    if (!allowed.includes(k)) bad(`unknown field ${JSON.stringify(k)} ${where}`);
  for (const k of allowed) if (!(k in obj)) bad(`missing field ${JSON.stringify(k)} ${where}`);
}

/** `"op:3"` → ['op', 3]; a bare name means output 0. */
export function parseTensorRef(ref: unknown, bad: (why: string) => never): [string, number] {
  if (typeof ref !== 'string') return bad(`input ${JSON.stringify(ref)} is not a string`);
  const m = /^(.*):(\d{1,6})$/.exec(ref);
  const name = m ? (m[1] as string) : ref;
  if (!isValidOpName(name)) bad(`input ${JSON.stringify(ref)} is not a valid tensor name`);
  return [name, m ? Number(m[2]) : 0];
}
