import * as tf from '../../src';
import { describeCases } from '../helpers/cases';
import { gatherNdCases } from './cases/gather_nd';

describeCases('tf.gatherNd / tf.scatterNd (case table tests/ops/cases/gather_nd.ts)', gatherNdCases);

describe('tf.gatherNd / tf.scatterNd: TF1 documented values, names and errors', () => {
  const run = (t: tf.Tensor): tf.NDArray => new tf.Session({ graph: t.graph }).run(t) as tf.NDArray;

  test("TF1 docs' examples", () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      expect(run(tf.gatherNd([['a0', 'b0'].length, 5], [[1]])).toArray()).toEqual([5]);
      const p = tf.constant(
        [
          [
            [1, 2],
            [3, 4],
          ],
          [
            [5, 6],
            [7, 8],
          ],
        ],
        'float32',
      );
      expect(run(tf.gatherNd(p, [[1]])).toArray()).toEqual([
        [
          [5, 6],
          [7, 8],
        ],
      ]);
      expect(
        run(
          tf.gatherNd(p, [
            [0, 1],
            [1, 0],
          ]),
        ).toArray(),
      ).toEqual([
        [3, 4],
        [5, 6],
      ]);
      expect(
        run(
          tf.gatherNd(p, [
            [0, 0, 1],
            [1, 0, 1],
          ]),
        ).toArray(),
      ).toEqual([2, 6]);
      expect(run(tf.gatherNd(p, [[[0, 1]], [[1, 0]]])).toArray()).toEqual([[[3, 4]], [[5, 6]]]);
      // tf.scatter_nd's documented example.
      expect(run(tf.scatterNd([[4], [3], [1], [7]], [9, 10, 11, 12], [8])).toArray()).toEqual([
        0, 11, 0, 10, 9, 0, 0, 12,
      ]);
      const upd = [
        [5, 5, 5, 5],
        [6, 6, 6, 6],
        [7, 7, 7, 7],
        [8, 8, 8, 8],
      ];
      const s = run(tf.scatterNd([[0], [2]], [upd, upd], [4, 4, 4])).toArray() as number[][][];
      expect(s[0]).toEqual(upd);
      expect(s[1]).toEqual(new Array(4).fill([0, 0, 0, 0]));
      expect(s[2]).toEqual(upd);
    });
  });

  test('batchDims: TF docs example and an unknown batch size', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const p = tf.constant(
        [
          [1, 2],
          [3, 4],
        ],
        'float32',
      );
      expect(run(tf.gatherNd(p, [[1], [0]], { batchDims: 1 })).toArray()).toEqual([2, 3]);
      const x = tf.placeholder('float32', [null, 3, 2]);
      const i = tf.placeholder('int32', [null, 2, 1]);
      const y = tf.gatherNd(x, i, 'bg', 1);
      const sess = new tf.Session();
      const out = sess.run(y, {
        [x.name]: [
          [
            [1, 2],
            [3, 4],
            [5, 6],
          ],
          [
            [7, 8],
            [9, 10],
            [11, 12],
          ],
        ],
        [i.name]: [
          [[2], [0]],
          [[1], [1]],
        ],
      } as never) as tf.NDArray;
      expect(out.toArray()).toEqual([
        [
          [5, 6],
          [1, 2],
        ],
        [
          [9, 10],
          [9, 10],
        ],
      ]);
      const [dx] = tf.gradients(tf.reduceSum(y), [x]);
      const gx = sess.run(
        dx as tf.Tensor,
        {
          [x.name]: new tf.NDArray(new Float32Array(12), [2, 3, 2], 'float32'),
          [i.name]: [
            [[2], [0]],
            [[1], [1]],
          ],
        } as never,
      ) as tf.NDArray;
      expect(Array.from(gx.data)).toEqual([1, 1, 0, 0, 1, 1, 0, 0, 2, 2, 0, 0]);
    });
  });

  test('op types, default names, gradient ops and shapes', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.placeholder('float32', [3, 4]);
      const y = tf.gatherNd(x, [[0, 1]]);
      expect(y.op.type).toBe('GatherNd');
      expect(y.name).toBe('GatherNd:0');
      const [dx] = tf.gradients(tf.reduceSum(y), [x]);
      expect(dx?.op.type).toBe('ScatterNd');
      const i = tf.placeholder('int32', [null, 1]);
      expect(tf.gatherNd(x, i).shape).toEqual([null, 4]);
      expect(tf.gatherNd(x, tf.placeholder('int32', [2, null])).shape).toBeNull();
      const u = tf.placeholder('float32', [null, 4]);
      const s = tf.scatterNd(i, u, [5, 4], 'sc');
      expect(s.name).toBe('sc:0');
      expect(s.shape).toEqual([5, 4]);
      const u3 = tf.placeholder('float32', [3, 4]);
      const [du] = tf.gradients(tf.reduceSum(tf.scatterNd(tf.placeholder('int32', [3, 1]), u3, [5, 4])), [
        u3,
      ]);
      expect(du?.op.type).toBe('GatherNd');
      expect(tf.scatterNd(i, u, tf.placeholder('int32', [2])).shape).toEqual([null, null]);
    });
  });

  test('errors: TF messages at build and run time', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const p = tf.constant(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        'float32',
      );
      expect(() => tf.gatherNd(p, [[0, 1, 2]])).toThrow(
        /indices.shape\[-1\] must be <= params.rank, but saw indices shape: \[1,3\] and params shape: \[2,3\]/,
      );
      expect(() => tf.gatherNd(p, [[0.5, 1]])).toThrow(TypeError);
      expect(() => tf.gatherNd(p, [[0, 1]], undefined, 2)).toThrow(
        /batch_dims = 2 must be less than rank\(indices\) = 2/,
      );
      expect(() => tf.gatherNd(p, [[0], [1]], { batchDims: -1 })).toThrow(
        /does not allow negative batch_dims/,
      );
      expect(() =>
        tf.gatherNd(
          p,
          [
            [0, 1],
            [1, 0],
          ],
          { batchDims: 1 },
        ),
      ).toThrow(/indices.shape\[-1\] must be <= params.rank - batch_dims/);
      expect(() =>
        run(
          tf.gatherNd(p, [
            [1, 0],
            [0, 3],
          ]),
        ),
      ).toThrow(/indices\[1\] = \[0, 3\] does not index into param shape \[2,3\]/);
      expect(() => run(tf.gatherNd(p, [[[1, 0]], [[-1, 0]]]))).toThrow(
        /indices\[1,0\] = \[-1, 0\] does not index into param shape \[2,3\]/,
      );
      expect(() => run(tf.scatterNd([[5]], [1], [4]))).toThrow(
        /indices\[0\] = \[5\] does not index into shape \[4\]/,
      );
      expect(() => tf.scatterNd([[1], [2]], [1, 2, 3], [4])).toThrow(
        /The outer 1 dimensions of indices.shape=\[2,1\] must match the outer 1 dimensions of updates.shape=\[3\]/,
      );
      expect(() => tf.scatterNd([[1]], [[1, 2]], [4, 3])).toThrow(
        /The inner 1 dimensions of output.shape=\[4,3\] must match the inner 1 dimensions of updates.shape=\[1,2\]/,
      );
    });
  });
});
