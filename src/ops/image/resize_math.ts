/**
 * TensorFlow's resize coordinate arithmetic (image_resizer_state.h), shared by the shape functions and
 * every kernel. TF computes scales and source coordinates in float32; each step is rounded with
 * Math.fround here so that the chosen source pixels and interpolation weights are TF's exactly.
 */

/** `(in-1)/(out-1)` with alignCorners (and out > 1), else `in/out`, in float32. */
export function resizeScale(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1
    ? Math.fround((inSize - 1) / (outSize - 1))
    : Math.fround(inSize / outSize);
}

/** Source coordinate of output index `x` for bilinear (half-pixel: `(x + 0.5) * scale - 0.5`). */
export function bilinearSource(x: number, scale: number, halfPixelCenters: boolean): number {
  return halfPixelCenters ? Math.fround(Math.fround((x + 0.5) * scale) - 0.5) : Math.fround(x * scale);
}

/** The two source indices and the weight of the upper one, per output index along one axis. */
export interface AxisWeights {
  lower: Int32Array;
  upper: Int32Array;
  lerp: Float64Array;
}

/** TF's compute_interpolation_weights: lower = max(floor(in), 0), upper = min(ceil(in), inSize-1). */
export function bilinearWeights(
  inSize: number,
  outSize: number,
  alignCorners: boolean,
  halfPixelCenters: boolean,
): AxisWeights {
  const scale = resizeScale(inSize, outSize, alignCorners);
  const lower = new Int32Array(outSize);
  const upper = new Int32Array(outSize);
  const lerp = new Float64Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const src = bilinearSource(i, scale, halfPixelCenters);
    const f = Math.floor(src);
    lower[i] = Math.max(f, 0);
    upper[i] = Math.min(Math.ceil(src), inSize - 1);
    lerp[i] = Math.fround(src - f);
  }
  return { lower, upper, lerp };
}

/**
 * TF's nearest-neighbour source index per output index along one axis: `round(x * scale)` with
 * alignCorners, `floor((x + 0.5) * scale)` with halfPixelCenters, else `floor(x * scale)`; clamped to
 * [0, inSize - 1]. (C's roundf: halves away from zero; the coordinates are never negative.)
 */
export function nearestIndices(
  inSize: number,
  outSize: number,
  alignCorners: boolean,
  halfPixelCenters: boolean,
): Int32Array {
  const scale = resizeScale(inSize, outSize, alignCorners);
  const idx = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const src = halfPixelCenters ? Math.fround((i + 0.5) * scale) : Math.fround(i * scale);
    const k = alignCorners ? Math.floor(src + 0.5) : Math.floor(src);
    idx[i] = Math.max(0, Math.min(k, inSize - 1));
  }
  return idx;
}
