import { InvalidArgumentError } from '../../errors';
import type { DType } from '../../graph/dtype';
import { NDArray } from '../../ndarray';
import { DATA_TYPE_NAMES, AttrValueJSON, NodeDefJSON, TensorProtoJSON, TensorShapeJSON } from './proto';

/** Error about one node of a GraphDef being imported. */
export function nodeError(node: NodeDefJSON, why: string): never {
  throw new InvalidArgumentError(`importGraphDef: node '${node.name}' (op: '${node.op}'): ${why}`);
}

/** `'DT_FLOAT'` (or its enum number) as a name. */
export function dataTypeName(t: unknown): string {
  if (typeof t === 'number') return DATA_TYPE_NAMES.get(t) ?? `DataType ${t}`;
  return String(t);
}

/** TF DataType → tensorgraph dtype (int64 narrows to int32, the one integer dtype here; values are range-checked). */
export function toDType(t: unknown, where: (why: string) => never): DType {
  const n = dataTypeName(t);
  if (n === 'DT_FLOAT') return 'float32';
  if (n === 'DT_INT32' || n === 'DT_INT64') return 'int32';
  if (n === 'DT_BOOL') return 'bool';
  return where(
    `dtype ${n} is not supported (tensorgraph has float32, int32 and bool; int64 is read as int32)`,
  );
}

function int(v: unknown, what: string, where: (why: string) => never): number {
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n))
    return where(`${what} ${JSON.stringify(v)} is not an integer`);
  return n;
}

function float(v: unknown, what: string, where: (why: string) => never): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return where(`${what} ${JSON.stringify(v)} is not a number`);
}

const UTF8 = new TextDecoder('utf-8');

function base64Bytes(s: unknown, what: string, where: (why: string) => never): Uint8Array {
  if (typeof s !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(s)) return where(`${what} is not base64`);
  // atob exists in browsers and Node (so the browser build needs no Node shim here).
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** A TensorShapeProto as a tensorgraph shape (null: unknown rank; null dims: unknown). */
export function decodeShape(
  s: TensorShapeJSON | undefined,
  where: (why: string) => never,
): (number | null)[] | null {
  if (s === undefined) return [];
  if (s.unknownRank) return null;
  return (s.dim ?? []).map((d) => {
    const n = d.size === undefined ? 0 : int(d.size, 'dimension', where);
    if (n < -1) where(`dimension ${n} is negative`);
    return n === -1 ? null : n;
  });
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** IEEE half-precision bit patterns → float32 values. */
export function decodeFloat16(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = halfToFloat(bits[i] as number);
  return out;
}

/** Element sizes of the raw `tensorContent` layouts read here (little-endian, as TF writes them). */
const RAW: Record<string, [number, (v: DataView, o: number) => number]> = {
  DT_FLOAT: [4, (v, o) => v.getFloat32(o, true)],
  DT_INT32: [4, (v, o) => v.getInt32(o, true)],
  DT_INT64: [8, (v, o) => Number(v.getBigInt64(o, true))],
  DT_BOOL: [1, (v, o) => (v.getUint8(o) ? 1 : 0)],
};

/**
 * A TensorProto as an NDArray: `tensorContent` (raw little-endian bytes) or the typed repeated field;
 * fewer values than elements repeat the last one (TF's rule for splat constants), none means zeros.
 */
export function decodeTensor(t: TensorProtoJSON, where: (why: string) => never): NDArray {
  const dtName = dataTypeName(t.dtype ?? 'DT_INVALID');
  const shape = decodeShape(t.tensorShape, where);
  if (shape === null || shape.some((d) => d === null))
    return where('a constant tensor needs a fully defined shape');
  const dims = shape as number[];
  const n = dims.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(n) || n > 2 ** 31 - 1) return where(`tensor of shape [${dims}] is too large`);
  // DT_HALF graphs compute in half precision: running them in float32 would give other numbers.
  const dtype: DType = toDType(dtName, where);
  let values: ArrayLike<number>;
  if (t.tensorContent !== undefined && t.tensorContent !== '') {
    const raw = RAW[dtName];
    if (raw === undefined) return where(`tensorContent of dtype ${dtName} is not supported`);
    const bytes = base64Bytes(t.tensorContent, 'tensorContent', where);
    if (bytes.length !== n * raw[0])
      return where(
        `tensorContent has ${bytes.length} bytes; shape [${dims}] of ${dtName} needs ${n * raw[0]}`,
      );
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = raw[1](view, i * raw[0]);
    values = out;
  } else {
    const field: Record<string, unknown[] | undefined> = {
      DT_FLOAT: t.floatVal,
      DT_INT32: t.intVal,
      DT_INT64: t.int64Val,
      DT_BOOL: t.boolVal,
    };
    const list = field[dtName] ?? [];
    const conv = (v: unknown): number =>
      dtName === 'DT_FLOAT'
        ? float(v, 'value', where)
        : dtName === 'DT_BOOL'
          ? v === true || v === 'true'
            ? 1
            : 0
          : int(v, 'value', where);
    if (list.length > n) return where(`${list.length} values for shape [${dims}] (${n} elements)`);
    const out = new Array<number>(n);
    const last = list.length ? conv(list[list.length - 1]) : 0;
    for (let i = 0; i < n; i++) out[i] = i < list.length ? conv(list[i]) : last;
    values = out;
  }
  if (dtName === 'DT_INT64') {
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v > 2147483647 || v < -2147483648) return where(`int64 value ${v} does not fit in int32`);
    }
  }
  const data =
    dtype === 'float32'
      ? Float32Array.from(values)
      : dtype === 'int32'
        ? Int32Array.from(values)
        : Uint8Array.from(values);
  return new NDArray(data, dims, dtype);
}

/** Attrs that only restate the inputs' dtypes or count (the builders check the inputs themselves). */
const INPUT_TYPE_ATTRS = new Set([
  'T',
  'N',
  'Tidx',
  'Tshape',
  'Tpaddings',
  'Tmultiples',
  'Tindices',
  'Tparams',
  'Taxis',
  'Tdim',
  'Tperm',
  'Tlen',
  'TI',
  'Index',
  'SrcT',
]);

/**
 * The attrs of one node, decoded on demand. Every read marks the attr as used: after a node is built,
 * `unused()` lists attrs nobody read, which the importer refuses (an attr that may change the result
 * is never ignored silently).
 */
export class NodeAttrs {
  private readonly used = new Set<string>();
  constructor(readonly node: NodeDefJSON) {}

  private fail = (why: string): never => nodeError(this.node, why);

  private get(key: string): AttrValueJSON | undefined {
    this.used.add(key);
    const v = this.node.attr?.[key];
    return v === null ? undefined : v;
  }
  private required(key: string): AttrValueJSON {
    const v = this.get(key);
    if (v === undefined) return this.fail(`attr '${key}' is missing`);
    return v;
  }
  /** Marks attrs as understood without reading them (e.g. input dtypes that inputs already carry). */
  accept(...keys: string[]): void {
    for (const k of keys) this.used.add(k);
  }
  has(key: string): boolean {
    return this.node.attr?.[key] !== undefined;
  }
  str(key: string, dflt?: string): string {
    const v = dflt !== undefined && !this.has(key) ? undefined : this.required(key);
    if (v === undefined) return dflt as string;
    if (v.s === undefined) return this.fail(`attr '${key}' is not a string`);
    return UTF8.decode(base64Bytes(v.s, `attr '${key}'`, this.fail));
  }
  int(key: string, dflt?: number): number {
    const v = dflt !== undefined && !this.has(key) ? undefined : this.required(key);
    if (v === undefined) return dflt as number;
    if (v.i === undefined) {
      if (Object.keys(v).length === 0) return 0; // proto3 JSON may omit a zero int
      return this.fail(`attr '${key}' is not an int`);
    }
    return int(v.i, `attr '${key}'`, this.fail);
  }
  float(key: string, dflt?: number): number {
    const v = dflt !== undefined && !this.has(key) ? undefined : this.required(key);
    if (v === undefined) return dflt as number;
    if (v.f === undefined) return 0; // proto3 JSON omits a zero float
    return float(v.f, `attr '${key}'`, this.fail);
  }
  bool(key: string, dflt?: boolean): boolean {
    const v = dflt !== undefined && !this.has(key) ? undefined : this.required(key);
    if (v === undefined) return dflt as boolean;
    if (v.b === undefined) {
      if (Object.keys(v).length === 0) return false; // proto3 JSON omits false
      return this.fail(`attr '${key}' is not a bool`);
    }
    return v.b;
  }
  dtype(key: string, dflt?: DType): DType {
    const v = dflt !== undefined && !this.has(key) ? undefined : this.required(key);
    if (v === undefined) return dflt as DType;
    if (v.type === undefined) return this.fail(`attr '${key}' is not a type`);
    return toDType(v.type, (why) => this.fail(`attr '${key}': ${why}`));
  }
  ints(key: string, dflt?: number[]): number[] {
    const v = dflt !== undefined && !this.has(key) ? undefined : this.required(key);
    if (v === undefined) return dflt as number[];
    if (v.list === undefined) return this.fail(`attr '${key}' is not a list`);
    return (v.list.i ?? []).map((x) => int(x, `attr '${key}'`, this.fail));
  }
  floats(key: string, dflt?: number[]): number[] {
    const v = dflt !== undefined && !this.has(key) ? undefined : this.required(key);
    if (v === undefined) return dflt as number[];
    if (v.list === undefined) return this.fail(`attr '${key}' is not a list`);
    return (v.list.f ?? []).map((x) => float(x, `attr '${key}'`, this.fail));
  }
  strs(key: string, dflt?: string[]): string[] {
    const v = dflt !== undefined && !this.has(key) ? undefined : this.required(key);
    if (v === undefined) return dflt as string[];
    if (v.list === undefined) return this.fail(`attr '${key}' is not a list`);
    return (v.list.s ?? []).map((x) => UTF8.decode(base64Bytes(x, `attr '${key}'`, this.fail)));
  }
  shape(key: string): (number | null)[] | null {
    const v = this.required(key);
    if (v.shape === undefined) return this.fail(`attr '${key}' is not a shape`);
    return decodeShape(v.shape, (why) => this.fail(`attr '${key}': ${why}`));
  }
  tensor(key: string): NDArray {
    const v = this.required(key);
    if (v.tensor === undefined) return this.fail(`attr '${key}' is not a tensor`);
    return decodeTensor(v.tensor, (why) => this.fail(`attr '${key}': ${why}`));
  }
  /**
   * Attrs never read while building the node, less those that cannot change the result: attrs whose
   * names start with '_' (grappler / converter annotations), input-dtype attrs (`T`, `Tidx`, …, checked
   * against the inputs' dtypes by the builders), and `N`.
   */
  unused(): string[] {
    return Object.keys(this.node.attr ?? {}).filter((k) => {
      if (this.used.has(k) || k.startsWith('_')) return false;
      return !INPUT_TYPE_ATTRS.has(k);
    });
  }
}
