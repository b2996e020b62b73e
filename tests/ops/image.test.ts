import * as tf from '../../src';
import { describeCases } from '../helpers/cases';
import { resizeCases } from './cases/image';

describeCases('tf.image resize (case table tests/ops/cases/image.ts)', resizeCases);

describe('tf.image resize: TF1 values, signature and errors', () => {
  const run = (t: tf.Tensor, feed: tf.FeedDict = {}): number[] =>
    Array.from((new tf.Session({ graph: t.graph }).run(t, feed) as tf.NDArray).data);

  test('2x2 -> 3x3 bilinear in the three modes (hand-computed from TF rules)', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const img = tf.constant([1, 2, 3, 4], 'float32', [1, 2, 2, 1]);
      // legacy: scale 2/3, sources 0, 2/3, 4/3 (clamped to 1).
      const a = run(tf.image.resizeBilinear(img, [3, 3]));
      const t = (2 / 3) * 1 + 1; // 1 + (2-1)*2/3
      expect(a.map((v) => +v.toFixed(5))).toEqual(
        [1, t, 2, 1 + 4 / 3, t + 4 / 3, 2 + 4 / 3, 3, 3 + 2 / 3, 4].map((v) => +v.toFixed(5)),
      );
      // align corners: scale 1/2 → centre pixel is the mean.
      expect(run(tf.image.resizeBilinear(img, [3, 3], true))).toEqual([1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4]);
      // half pixel: scale 2/3, sources -1/6, 1/2, 7/6 → clamped edges, centre at (0.5, 0.5).
      const h = run(tf.image.resizeBilinear(img, [3, 3], { halfPixelCenters: true }));
      expect(h[0]).toBeCloseTo(1, 6);
      expect(h[4]).toBeCloseTo(2.5, 5);
      expect(h[8]).toBeCloseTo(4, 6);
    });
  });

  test('nearest neighbour: legacy floor, align round, half-pixel floor((x+0.5)*s)', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const img = tf.constant([10, 20, 30], 'float32', [1, 1, 3, 1]);
      expect(run(tf.image.resizeNearestNeighbor(img, [1, 5]))).toEqual([10, 10, 20, 20, 30]);
      expect(run(tf.image.resizeNearestNeighbor(img, [1, 5], true))).toEqual([10, 20, 20, 30, 30]);
      expect(run(tf.image.resizeNearestNeighbor(img, [1, 5], false, undefined, true))).toEqual([
        10, 10, 20, 30, 30,
      ]);
    });
  });

  test('op types, attrs and default names', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.placeholder('float32', [2, 4, 4, 3]);
      const y = tf.image.resizeBilinear(x, [8, 8]);
      expect(y.op.type).toBe('ResizeBilinear');
      expect(y.name).toBe('ResizeBilinear:0');
      expect(y.op.attrs).toEqual({ align_corners: false, half_pixel_centers: false });
      expect(y.shape).toEqual([2, 8, 8, 3]);
      expect(tf.image.resizeBilinear(tf.placeholder('float32', [null, 4, 4, 3]), [8, 8]).shape).toEqual([
        null,
        8,
        8,
        3,
      ]);
      const z = tf.image.resizeNearestNeighbor(x, [2, 2], { name: 'down' });
      expect(z.op.type).toBe('ResizeNearestNeighbor');
      expect(z.name).toBe('down:0');
      const [dx] = tf.gradients(tf.reduceSum(y), [x]);
      expect(dx?.op.type).toBe('ResizeBilinearGrad');
      const [dz] = tf.gradients(tf.reduceSum(z), [x]);
      expect(dz?.op.type).toBe('ResizeNearestNeighborGrad');
    });
  });

  test('errors: both flags, rank, size shape, non-positive size, unknown option', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.placeholder('float32', [1, 4, 4, 1]);
      expect(() => tf.image.resizeBilinear(x, [2, 2], true, undefined, true)).toThrow(
        /If half_pixel_centers is True, align_corners must be False/,
      );
      expect(() =>
        tf.image.resizeNearestNeighbor(x, [2, 2], { alignCorners: true, halfPixelCenters: true }),
      ).toThrow(tf.InvalidArgumentError);
      expect(() => tf.image.resizeBilinear(tf.placeholder('float32', [4, 4, 1]), [2, 2])).toThrow(
        /Shape must be rank 4 but is rank 3 for 'ResizeBilinear_1' \(op: 'ResizeBilinear'\)/,
      );
      expect(() => tf.image.resizeBilinear(x, [2, 2, 2])).toThrow(/Dimension must be 2 but is 3/);
      expect(() => tf.image.resizeBilinear(x, [0, 2])).toThrow(/output dimensions must be positive/);
      expect(() => tf.image.resizeBilinear(x, [2.5, 2])).toThrow(TypeError);
      expect(() => tf.image.resizeBilinear(x, [2, 2], { alignCorner: true } as never)).toThrow(TypeError);
    });
  });

  test('fed size: wrong values fail at run time', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.placeholder('float32', [1, 2, 2, 1]);
      const size = tf.placeholder('int32', [2]);
      const y = tf.image.resizeBilinear(x, size);
      const sess = new tf.Session();
      const img = [
        [
          [[1], [2]],
          [[3], [4]],
        ],
      ];
      expect((sess.run(y, { [x.name]: img, [size.name]: [1, 3] } as never) as tf.NDArray).shape).toEqual([
        1, 1, 3, 1,
      ]);
      expect(() => sess.run(y, { [x.name]: img, [size.name]: [-1, 3] } as never)).toThrow(
        /output dimensions must be positive/,
      );
    });
  });
});
