import * as tf from '../../src';
import { NDArray } from '../../src';
import { describeCases } from '../helpers/cases';
import { nmsCases, refNms } from './cases/image';

describeCases('tf.image.nonMaxSuppression* (case table tests/ops/cases/image.ts)', nmsCases);

describe('tf.image.nonMaxSuppression*: TF values, names, shapes and errors', () => {
  const boxes = [
    [0, 0, 1, 1],
    [0, 0.1, 1, 1.1],
    [0, -0.1, 1, 0.9],
    [0, 10, 1, 11],
    [0, 10.1, 1, 11.1],
    [0, 100, 1, 101],
  ];
  const scores = [0.9, 0.75, 0.6, 0.95, 0.5, 0.3];

  test('Soft-NMS scores (TensorFlow.js test values) and an eager float64 reference', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const [i, s] = tf.image.nonMaxSuppressionWithScores(boxes, scores, 6, 1.0, 0.0, 0.5);
      const [iv, sv] = new tf.Session().run([i, s]) as NDArray[];
      expect(Array.from(iv?.data ?? [])).toEqual([3, 0, 1, 5, 4, 2]);
      const expected = [0.95, 0.9, 0.384, 0.3, 0.256, 0.197];
      Array.from(sv?.data ?? []).forEach((v, k) => expect(v).toBeCloseTo(expected[k] as number, 3));
      const ref = refNms(
        new NDArray(Float64Array.from(boxes.flat()), [6, 4], 'float32'),
        new NDArray(Float64Array.from(scores), [6], 'float32'),
        6,
        1.0,
        0.0,
        0.5,
      );
      Array.from(sv?.data ?? []).forEach((v, k) => expect(v).toBeCloseTo(ref.scores[k] as number, 6));
    });
  });

  test('hard suppression at IOU equal to the threshold; flipped corners; score threshold is strict', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      // IOU of the two boxes is exactly 0.5 (intersection 2, union 4): suppressed at iou 0.5.
      const b = [
        [0, 0, 1, 3],
        [1, 4, 0, 1], // corners flipped: the box [0,1]-[1,4]
      ];
      const run = (t: tf.Tensor): number[] => Array.from((new tf.Session().run(t) as NDArray).data);
      expect(run(tf.image.nonMaxSuppression(b, [0.9, 0.8], 2, 0.5))).toEqual([0]);
      expect(run(tf.image.nonMaxSuppression(b, [0.9, 0.8], 2, 0.6))).toEqual([0, 1]);
      expect(run(tf.image.nonMaxSuppression(b, [0.5, 0.8], 2, 0.6, 0.5))).toEqual([1]);
      // Equal scores: the lower index first.
      expect(run(tf.image.nonMaxSuppression(b, [0.7, 0.7], 2, 0.6))).toEqual([0, 1]);
      expect(run(tf.image.nonMaxSuppression(b, [0.7, 0.7], 0, 0.6))).toEqual([]);
    });
  });

  test('names, op type, attrs, shapes; not differentiable', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const b = tf.placeholder('float32', [null, 4]);
      const s = tf.placeholder('float32', [null]);
      const i = tf.image.nonMaxSuppression(b, s, 10);
      expect(i.op.type).toBe('NonMaxSuppressionV5');
      expect(i.name).toBe('non_max_suppression/NonMaxSuppressionV5:0');
      expect(i.op.attrs.pad_to_max_output_size).toBe(false);
      expect(i.shape).toEqual([null]);
      const [j, sc] = tf.image.nonMaxSuppressionWithScores(b, s, 10, { name: 'nms' });
      expect(j.name).toBe('nms/NonMaxSuppressionV5:0');
      expect(sc.name).toBe('nms/NonMaxSuppressionV5:1');
      const [pi, ps, pn] = tf.image.nonMaxSuppressionV5(b, s, 7, 0.5, 0.1, 0, true, 'v5');
      expect(pi.name).toBe('v5:0');
      expect([pi.shape, ps.shape, pn.shape]).toEqual([[7], [7], []]);
      expect(tf.gradients(tf.reduceSum(sc), [s])).toEqual([null]);
      const sess = new tf.Session();
      const feed = {
        [b.name]: [
          [0, 0, 1, 1],
          [0, 0, 1, 1],
          [5, 5, 6, 6],
        ],
        [s.name]: [0.5, 0.6, 0.7],
      } as never;
      expect(Array.from((sess.run(i, feed) as NDArray).data)).toEqual([2, 1]);
      expect((sess.run(i, feed) as NDArray).shape).toEqual([2]);
    });
  });

  test('errors: shapes, thresholds out of range', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      expect(() => tf.image.nonMaxSuppression([[0, 0, 1]], [1], 1)).toThrow(/Dimension must be 4 but is 3/);
      expect(() => tf.image.nonMaxSuppression([[0, 0, 1, 1]], [1, 2], 1)).toThrow(
        /Dimensions must be equal, but are 1 and 2/,
      );
      expect(() => tf.image.nonMaxSuppression([0, 0, 1, 1], [1], 1)).toThrow(
        /Shape must be rank 2 but is rank 1/,
      );
      expect(() => tf.image.nonMaxSuppression([[0, 0, 1, 1]], [1], [1])).toThrow(
        /Shape must be rank 0 but is rank 1/,
      );
      expect(() => tf.image.nonMaxSuppression([[0, 0, 1, 1]], [1], 1, 1.5)).toThrow(
        /iou_threshold must be in \[0, 1\]/,
      );
      expect(() => tf.image.nonMaxSuppressionWithScores([[0, 0, 1, 1]], [1], 1, 0.5, 0, -1)).toThrow(
        /soft_nms_sigma must be non negative/,
      );
      const iou = tf.placeholder('float32', []);
      const t = tf.image.nonMaxSuppression([[0, 0, 1, 1]], [1], 1, iou);
      expect(() => new tf.Session().run(t, { [iou.name]: -0.1 } as never)).toThrow(
        /iou_threshold must be in \[0, 1\]/,
      );
    });
  });
});
