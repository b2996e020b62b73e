import { registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { sizeOf } from '../../../graph/shape';
import { batchMatmul, FloatArray } from '../linalg/matmul';
import { wasmBatchMatmul } from '../wasm';

registerKernel('cpu', 'MatMul', ([a, b], ctx) => {
  const x = a as NDArray;
  const y = b as NDArray;
  const ta = ctx.attrs.transpose_a === true;
  const tb = ctx.attrs.transpose_b === true;
  const out = ctx.outputs[0] as { shape: number[]; dtype: NDArray['dtype'] };
  const ra = x.shape.length;
  const m = out.shape[out.shape.length - 2] as number;
  const n = out.shape[out.shape.length - 1] as number;
  const k = (ta ? x.shape[ra - 2] : x.shape[ra - 1]) as number;
  const data = ctx.alloc(out.dtype, sizeOf(out.shape));
  if (x.dtype === 'float32') {
    // WebAssembly SIMD kernels for float32 storage (not the float64 test mode); the TS kernel is the
    // fallback (wasm not built) and the reference.
    if (
      x.data instanceof Float32Array &&
      y.data instanceof Float32Array &&
      data instanceof Float32Array &&
      wasmBatchMatmul(x.data, y.data, data, x.shape.slice(0, -2), y.shape.slice(0, -2), m, k, n, ta, tb)
    ) {
      return [new NDArray(data, out.shape, out.dtype)];
    }
    batchMatmul(
      toFloat(x),
      toFloat(y),
      data as FloatArray,
      x.shape.slice(0, -2),
      y.shape.slice(0, -2),
      m,
      k,
      n,
      ta,
      tb,
    );
  } else {
    intMatmul(x, y, data as Int32Array, m, k, n, ta, tb, sizeOf(out.shape) / (m * n || 1));
  }
  return [new NDArray(data, out.shape, out.dtype)];
});

function toFloat(x: NDArray): FloatArray {
  return x.data as FloatArray;
}

/** Integer matmul (rare; exact in int32): batch dims must match exactly. */
function intMatmul(
  a: NDArray,
  b: NDArray,
  out: Int32Array,
  m: number,
  k: number,
  n: number,
  ta: boolean,
  tb: boolean,
  batches: number,
): void {
  const A = a.data;
  const B = b.data;
  const aBatch = sizeOf(a.shape.slice(0, -2)) > 1;
  const bBatch = sizeOf(b.shape.slice(0, -2)) > 1;
  for (let t = 0; t < batches; t++) {
    const ao = aBatch ? t * m * k : 0;
    const bo = bBatch ? t * k * n : 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = A[ao + (ta ? p * m + i : i * k + p)] as number;
          const bv = B[bo + (tb ? j * k + p : p * n + j)] as number;
          s += av * bv;
        }
        out[t * m * n + i * n + j] = s | 0;
      }
    }
  }
}
