import * as tf from '../../../src';
import { NDArray } from '../../../src';
import { OpCase } from '../../helpers/cases';
import { randomArray } from '../../helpers/gradcheck';

/**
 * GatherNd and ScatterNd (issue 18): element and slice gathers (K = rank and K < rank), nested index
 * batches, repeated rows (their gradients accumulate), int32 params, fed indices; ScatterNd of elements
 * and slices with repeated rows. References: plain float64 loops over TF's documented definition
 * (output[i..., :] = params[indices[i..., 0], …, indices[i..., K-1], :]). Gradients checked numerically.
 */
const int32 = (values: number[], shape: number[]): NDArray =>
  new NDArray(Int32Array.from(values), shape, 'int32');

function strides(shape: number[]): number[] {
  return shape.map((_d, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
}

function refGatherNd(params: NDArray, indices: NDArray): NDArray {
  const k = indices.shape[indices.shape.length - 1] as number;
  const lead = indices.shape.slice(0, -1);
  const rows = lead.reduce((a, b) => a * b, 1);
  const tail = params.shape.slice(k);
  const slice = tail.reduce((a, b) => a * b, 1);
  const st = strides(params.shape);
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let base = 0;
    for (let j = 0; j < k; j++) base += (indices.data[r * k + j] as number) * (st[j] as number);
    for (let w = 0; w < slice; w++) out.push(params.data[base + w] as number);
  }
  return new NDArray(Float64Array.from(out), [...lead, ...tail], params.dtype);
}

function refScatterNd(indices: NDArray, updates: NDArray, shape: number[]): NDArray {
  const k = indices.shape[indices.shape.length - 1] as number;
  const rows = indices.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const slice = shape.slice(k).reduce((a, b) => a * b, 1);
  const st = strides(shape);
  const out = new Float64Array(shape.reduce((a, b) => a * b, 1));
  for (let r = 0; r < rows; r++) {
    let base = 0;
    for (let j = 0; j < k; j++) base += (indices.data[r * k + j] as number) * (st[j] as number);
    for (let w = 0; w < slice; w++)
      out[base + w] = (out[base + w] as number) + (updates.data[r * slice + w] as number);
  }
  return new NDArray(out, shape, updates.dtype);
}

const elemIdx = int32([2, 3, 0, 0, 1, 2, 2, 3, 0, 1], [5, 2]);
const sliceIdx = int32([3, 0, 1, 3], [2, 2, 1]);
const pairIdx = int32([2, 1, 0, 3, 2, 1], [3, 2]);
const rowIdx = int32([4, 1, 4, 0], [4, 1]);

export const gatherNdCases: OpCase[] = [
  {
    name: 'GatherNd elements [3,4] by [5,2] (repeated row)',
    ops: ['GatherNd'],
    inputs: [randomArray([3, 4], 400)],
    build: (p) =>
      tf.gatherNd(p, [
        [2, 3],
        [0, 0],
        [1, 2],
        [2, 3],
        [0, 1],
      ]),
    reference: (p) => refGatherNd(p, elemIdx),
    shape: [5],
  },
  {
    name: 'GatherNd slices [4,3,2] by [2,2,1]',
    ops: ['GatherNd'],
    inputs: [randomArray([4, 3, 2], 401)],
    build: (p) =>
      tf.gatherNd(p, [
        [[3], [0]],
        [[1], [3]],
      ]),
    reference: (p) => refGatherNd(p, sliceIdx),
    shape: [2, 2, 3, 2],
  },
  {
    name: 'GatherNd fed indices [3,4,2] by [3,2] (repeated row)',
    ops: ['GatherNd'],
    inputs: [randomArray([3, 4, 2], 402), pairIdx],
    build: (p, i) => tf.gatherNd(p, i as tf.Tensor, 'gnd'),
    reference: (p) => refGatherNd(p, pairIdx),
    shape: [3, 2],
    grad: { wrt: [0] },
  },
  {
    name: 'GatherNd int32 params [2,3] by [2,2]',
    ops: ['GatherNd'],
    inputs: [int32([1, -2, 3, 4, 50, -6], [2, 3])],
    build: (p) =>
      tf.gatherNd(p, [
        [1, 1],
        [0, 2],
      ]),
    reference: (p) => refGatherNd(p, int32([1, 1, 0, 2], [2, 2])),
    shape: [2],
    grad: false,
  },
  {
    name: 'GatherNd batchDims=1 [2,3,4] by [2,2,1]',
    ops: ['GatherNd'],
    inputs: [randomArray([2, 3, 4], 406)],
    build: (p) =>
      tf.gatherNd(
        p,
        [
          [[2], [0]],
          [[1], [1]],
        ],
        { batchDims: 1 },
      ),
    // Batch b gathers rows of params[b].
    reference: (p) => {
      const rows = [
        [0, 2],
        [0, 0],
        [1, 1],
        [1, 1],
      ];
      const out: number[] = [];
      for (const [b, r] of rows)
        for (let w = 0; w < 4; w++) out.push(p.data[(b as number) * 12 + (r as number) * 4 + w] as number);
      return new NDArray(Float64Array.from(out), [2, 2, 4], 'float32');
    },
    shape: [2, 2, 4],
  },
  {
    name: 'GatherNd batchDims=2 [2,2,3,2] by [2,2,2]',
    ops: ['GatherNd'],
    inputs: [randomArray([2, 2, 3, 2], 407)],
    build: (p) =>
      tf.gatherNd(
        p,
        [
          [
            [2, 1],
            [0, 0],
          ],
          [
            [1, 1],
            [2, 0],
          ],
        ],
        undefined,
        2,
      ),
    reference: (p) => {
      const idx = [
        [0, 0, 2, 1],
        [0, 1, 0, 0],
        [1, 0, 1, 1],
        [1, 1, 2, 0],
      ];
      const st = [12, 6, 2, 1];
      return new NDArray(
        Float64Array.from(
          idx.map((c) => p.data[c.reduce((o, v, i) => o + v * (st[i] as number), 0)] as number),
        ),
        [2, 2],
        'float32',
      );
    },
    shape: [2, 2],
  },
  {
    name: 'ScatterNd rows [4,1]x[4,3] into [5,3] (repeated row accumulates)',
    ops: ['ScatterNd'],
    inputs: [rowIdx, randomArray([4, 3], 403)],
    build: (i, u) => tf.scatterNd(i as tf.Tensor, u as tf.Tensor, [5, 3]),
    reference: (i, u) => refScatterNd(i as NDArray, u as NDArray, [5, 3]),
    shape: [5, 3],
    grad: { wrt: [1] },
  },
  {
    name: 'ScatterNd elements [3,2]x[3] into [3,4]',
    ops: ['ScatterNd'],
    inputs: [randomArray([3], 404)],
    build: (u) =>
      tf.scatterNd(
        [
          [2, 1],
          [0, 3],
          [2, 1],
        ],
        u,
        [3, 4],
      ),
    reference: (u) => refScatterNd(pairIdx, u, [3, 4]),
    shape: [3, 4],
  },
  {
    name: 'ScatterNd then GatherNd round trip [2,2,1]x[2,2,2] into [4,2]',
    ops: ['ScatterNd', 'GatherNd'],
    inputs: [randomArray([2, 2, 2], 405)],
    build: (u) =>
      tf.gatherNd(
        tf.scatterNd(
          [
            [[3], [0]],
            [[1], [2]],
          ],
          u,
          [4, 2],
        ),
        [[1], [3]],
      ),
    reference: (u) =>
      refGatherNd(refScatterNd(int32([3, 0, 1, 2], [2, 2, 1]), u, [4, 2]), int32([1, 3], [2, 1])),
    shape: [2, 2],
  },
];
