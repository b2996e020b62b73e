import type { HistogramData } from './proto';

/**
 * TensorFlow's histogram (tensorflow/core/lib/histogram/histogram.cc): fixed bucket limits growing by 10%
 * from 1e-12 to 1e20 on both sides of 0 (plus ±DBL_MAX), and the proto encoding that collapses runs of
 * empty buckets. Same buckets as TF, so TensorBoard renders tensorgraph histograms like TF's.
 */
const DBL_MAX = Number.MAX_VALUE;

export const DEFAULT_BUCKET_LIMITS: readonly number[] = (() => {
  const pos: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) pos.push(v);
  pos.push(DBL_MAX);
  const neg = pos.map((v) => -v).reverse();
  return [...neg, 0, ...pos];
})();

/** Index of the first limit greater than `x` (C++ `std::upper_bound`). */
function upperBound(limits: readonly number[], x: number): number {
  let lo = 0;
  let hi = limits.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((limits[mid] as number) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The HistogramProto of `values` (every value must be finite; the caller reports NaN/Inf). */
export function histogramOf(values: ArrayLike<number>): HistogramData {
  const limits = DEFAULT_BUCKET_LIMITS;
  const counts = new Float64Array(limits.length);
  let min = DBL_MAX;
  let max = -DBL_MAX;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const b = Math.min(upperBound(limits, v), limits.length - 1);
    counts[b] = (counts[b] as number) + 1;
    if (min > v) min = v;
    if (max < v) max = v;
    sum += v;
    sumSquares += v * v;
  }
  // EncodeToProto(preserve_zero_buckets = false): a run of empty buckets becomes one entry.
  const bucketLimit: number[] = [];
  const bucket: number[] = [];
  for (let i = 0; i < counts.length;) {
    let end = limits[i] as number;
    let count = counts[i] as number;
    i++;
    if (count <= 0) {
      while (i < counts.length && (counts[i] as number) <= 0) {
        end = limits[i] as number;
        count = counts[i] as number;
        i++;
      }
    }
    bucketLimit.push(end);
    bucket.push(count);
  }
  if (bucket.length === 0) {
    bucketLimit.push(DBL_MAX);
    bucket.push(0);
  }
  return { min, max, num: values.length, sum, sumSquares, bucketLimit, bucket };
}
