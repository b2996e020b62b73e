import { InvalidArgumentError } from '../errors';
import type { DType } from '../graph/dtype';
import { NDArray } from '../ndarray';
import { decodeFloat16 } from './graph_def/attrs';

/** One weight of a TensorFlow.js weights manifest. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  /** Quantized storage: `v * scale + min` for uint8/uint16, IEEE half floats for float16. */
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}

/** One group of the manifest: its shard files (relative to model.json) and the weights they hold, in order. */
export interface WeightsManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

const VALUE_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

function fail(why: string): never {
  throw new InvalidArgumentError(`loadGraphModel: ${why}`);
}

/**
 * Decodes the weights of one manifest group from its shards' bytes concatenated (tfjs-core's
 * `decodeWeights` layout): float32/int32/bool little-endian values, or quantized values dequantized
 * as tfjs does (`v * scale + min` rounded to float32, or to the nearest integer for int32 weights;
 * float16 widened to float32).
 */
export function decodeWeights(bytes: Uint8Array, specs: readonly WeightSpec[]): Map<string, NDArray> {
  const out = new Map<string, NDArray>();
  let offset = 0;
  for (const spec of specs) {
    if (!spec || typeof spec.name !== 'string' || !Array.isArray(spec.shape))
      fail(`a weight spec needs a name and a shape (got ${JSON.stringify(spec).slice(0, 80)})`);
    const n = spec.shape.reduce((a, b) => a * b, 1);
    if (!Number.isSafeInteger(n) || n < 0) fail(`weight '${spec.name}' has a bad shape [${spec.shape}]`);
    const q = spec.quantization;
    const dtype = spec.dtype as DType;
    if (!['float32', 'int32', 'bool'].includes(dtype))
      fail(`weight '${spec.name}' has dtype '${spec.dtype}' (float32, int32 and bool are supported)`);
    const stored = q ? q.dtype : dtype;
    const width = VALUE_BYTES[stored];
    if (width === undefined) fail(`weight '${spec.name}' has unknown quantization dtype '${stored}'`);
    const byteLength = n * width;
    if (offset + byteLength > bytes.length)
      fail(
        `the weight files end before weight '${spec.name}' (needs bytes ${offset}..${offset + byteLength}, have ${bytes.length})`,
      );
    const chunk = bytes.slice(offset, offset + byteLength);
    offset += byteLength;
    const view = new DataView(chunk.buffer);
    let data: Float32Array | Int32Array | Uint8Array;
    if (q) {
      if (q.dtype === 'float16') {
        if (dtype !== 'float32') fail(`weight '${spec.name}': float16 quantization needs dtype float32`);
        const bits = new Uint16Array(n);
        for (let i = 0; i < n; i++) bits[i] = view.getUint16(2 * i, true);
        data = decodeFloat16(bits);
      } else {
        if (typeof q.scale !== 'number' || typeof q.min !== 'number')
          fail(`weight '${spec.name}' with ${q.dtype} quantization needs 'scale' and 'min'`);
        if (dtype === 'bool') fail(`weight '${spec.name}': bool weights cannot be quantized`);
        const get = (i: number): number =>
          q.dtype === 'uint8' ? view.getUint8(i) : view.getUint16(2 * i, true);
        data = dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
        for (let i = 0; i < n; i++) {
          const v = get(i) * (q.scale as number) + (q.min as number);
          data[i] = dtype === 'int32' ? Math.round(v) : v;
        }
      }
    } else if (dtype === 'float32') {
      data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getFloat32(4 * i, true);
    } else if (dtype === 'int32') {
      data = new Int32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getInt32(4 * i, true);
    } else {
      data = chunk;
    }
    out.set(spec.name, new NDArray(data, spec.shape, dtype));
  }
  return out;
}
