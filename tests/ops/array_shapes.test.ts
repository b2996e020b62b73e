import * as tf from '../../src';
import { NDArray } from '../../src';
import { float64Session, randomArray } from '../helpers/gradcheck';

/** Shape inference with unknown dims (placeholders with null dims), run-time shapes, naming, zero-copy. */

const inGraph = <T>(fn: () => T): T => new tf.Graph().asDefault(fn);
const f32 = (shape: number[], seed = 1): NDArray => randomArray(shape, seed);

describe('static shapes with unknown dims', () => {
  test('every op keeps what is known', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [null, 3, 4]);
      const m = tf.placeholder('float32', [null, 3]);
      const any = tf.placeholder('float32');
      const ids = tf.placeholder('int32', [null]);
      const shapeT = tf.placeholder('int32', [2]);
      expect(tf.reshape(x, [-1, 12]).shape).toEqual([null, 12]);
      expect(tf.reshape(x, [2, -1, 4]).shape).toEqual([2, null, 4]);
      expect(tf.reshape(x, shapeT).shape).toEqual([null, null]);
      expect(tf.reshape(x, tf.placeholder('int32')).shape).toBeNull();
      expect(tf.transpose(x).shape).toEqual([4, 3, null]);
      expect(tf.transpose(x, tf.placeholder('int32', [3])).shape).toEqual([null, null, null]);
      expect(tf.expandDims(x, 1).shape).toEqual([null, 1, 3, 4]);
      expect(tf.expandDims(any, 0).shape).toBeNull();
      expect(tf.squeeze(tf.placeholder('float32', [null, 1, 3])).shape).toBeNull();
      expect(tf.squeeze(tf.placeholder('float32', [null, 1, 3]), 1).shape).toEqual([null, 3]);
      expect(tf.concat([m, tf.placeholder('float32', [2, 3])], 0).shape).toEqual([null, 3]);
      expect(tf.concat([m, tf.placeholder('float32', [2, 5])], 1).shape).toEqual([2, 8]);
      expect(tf.concat([m, any], 1).shape).toEqual([null, null]);
      expect(tf.concat([m, m], tf.placeholder('int32', [])).shape).toEqual([null, null]);
      expect(tf.stack([m, tf.placeholder('float32', [5, null])], 1).shape).toEqual([5, 2, 3]);
      expect(tf.unstack(m, { axis: 1 }).map((t) => t.shape)).toEqual([[null], [null], [null]]);
      expect(tf.unstack(m, { num: 4 }).length).toBe(4);
      expect(tf.split(m, 3, 1).map((t) => t.shape)).toEqual([
        [null, 1],
        [null, 1],
        [null, 1],
      ]);
      expect(tf.split(tf.placeholder('float32', [null, 6]), [2, -1], 1).map((t) => t.shape)).toEqual([
        [null, 2],
        [null, 4],
      ]);
      expect(tf.split(m, [2, -1], 0).map((t) => t.shape)).toEqual([
        [2, 3],
        [null, 3],
      ]);
      expect(tf.slice(x, [1, 0, 0], [-1, 2, -1]).shape).toEqual([null, 2, 4]);
      expect(
        tf.stridedSlice(x, [0, 1], [0, 2], [1, 1], { beginMask: 1, endMask: 1, shrinkAxisMask: 2 }).shape,
      ).toEqual([null, 4]);
      expect(
        tf.stridedSlice(x, tf.placeholder('int32', [2]), [0, 2], [1, 1], { shrinkAxisMask: 2 }).shape,
      ).toEqual([null, 4]);
      expect(tf.gather(x, [2, 0], { axis: 2 }).shape).toEqual([null, 3, 2]);
      expect(tf.gather(x, ids).shape).toEqual([null, 3, 4]);
      expect(
        tf.pad(m, [
          [1, 1],
          [0, 2],
        ]).shape,
      ).toEqual([null, 5]);
      expect(tf.tile(m, [2, 2]).shape).toEqual([null, 6]);
      expect(tf.oneHot(ids, 4).shape).toEqual([null, 4]);
      expect(tf.oneHot(ids, tf.placeholder('int32', [])).shape).toEqual([null, null]);
    });
  });

  test('run-time shapes follow the fed values (two batch sizes, forward and gradient)', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [null, 3, 4]);
      const parts = [
        tf.slice(x, [0, 0, 0], [-1, 2, -1]), // rows 0,1 once
        tf.tile(x, [1, 1, 2]), // every element twice
        tf.gather(x, [0, 0], { axis: 1 }), // row 0 twice more
        tf.reshape(tf.stridedSlice(x, [0, 2], [0, 3], [1, 1], { beginMask: 1, endMask: 1 }), [-1, 1, 4]), // row 2 once
      ];
      const y = tf.concat(
        parts.map((p) => tf.reshape(p, [-1])),
        0,
      );
      const [dx] = tf.gradients(y, x);
      const sess = float64Session(tf.getDefaultGraph());
      for (const batch of [2, 5]) {
        const v = f32([batch, 3, 4], batch);
        const [out, g] = sess.run([y, dx as tf.Tensor], new Map([[x, v]]));
        expect(out.shape).toEqual([batch * (8 + 24 + 8 + 4)]);
        expect(g.shape).toEqual([batch, 3, 4]);
        // Each element's gradient counts its copies in y: rows 0, 1, 2 appear 5, 3 and 3 times.
        const perRow = [5, 3, 3];
        for (let k = 0; k < g.size; k++) expect(g.data[k]).toBe(perRow[Math.floor(k / 4) % 3]);
      }
    });
  });

  test('unstack with num and an unknown leading dim, and its gradient', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [null, 3]);
      const [a, b] = tf.unstack(x, { num: 2 });
      const y = tf.concat([(b as tf.Tensor).mul(3), a as tf.Tensor], 0);
      const [dx] = tf.gradients(y, x);
      const sess = new tf.Session();
      const [out, g] = sess.run([y, dx as tf.Tensor], {
        [x.name]: [
          [1, 2, 3],
          [4, 5, 6],
        ],
      });
      expect(out.toArray()).toEqual([12, 15, 18, 1, 2, 3]);
      expect(g.toArray()).toEqual([
        [1, 1, 1],
        [3, 3, 3],
      ]);
      expect(() => sess.run(y, { [x.name]: [[1, 2, 3]] })).toThrow(/Dimension must be 2 but is 1/);
    });
  });

  test('squeeze of an unknown dim checks it at run time', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [2, null]);
      const y = tf.squeeze(x, 1);
      expect(y.shape).toEqual([2]);
      const sess = new tf.Session();
      expect(sess.run(y, { [x.name]: [[1], [2]] }).toArray()).toEqual([1, 2]);
      expect(() =>
        sess.run(y, {
          [x.name]: [
            [1, 2],
            [3, 4],
          ],
        }),
      ).toThrow(/Can not squeeze dim\[1\], expected a dimension of 1, got 2[\s\S]*node Squeeze/);
    });
  });
});

describe('names, dtypes and storage', () => {
  test('TF1 default names, parameter constants under the op, and explicit names', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [2, 3], 'x');
      const r = tf.reshape(x, [3, 2]);
      expect(r.op.name).toBe('Reshape');
      expect((r.op.inputs[1] as tf.Tensor).op.name).toBe('Reshape/shape');
      expect(tf.reshape(x, [6]).op.name).toBe('Reshape_1');
      expect(tf.concat([x, x], 0).op.name).toBe('concat');
      expect(tf.stack([x, x]).op.name).toBe('stack');
      expect(tf.transpose(x).op.name).toBe('transpose');
      expect(tf.stridedSlice(x, [0], [1]).op.name).toBe('strided_slice');
      expect(tf.oneHot([1], 2).op.name).toBe('one_hot');
      expect(tf.split(x, 3, 1)[2]?.name).toBe('split:2');
      expect(tf.unstack(x)[1]?.name).toBe('unstack:1');
      expect(tf.tile(x, [1, 2], 'tiled').op.name).toBe('tiled');
      expect(
        tf.pad(
          x,
          [
            [0, 1],
            [0, 0],
          ],
          { name: 'padded' },
        ).op.name,
      ).toBe('padded');
      expect(tf.gather(x, [1], { axis: 0, name: 'picked' }).op.name).toBe('picked');
      expect(tf.nameScope('layer', () => tf.squeeze(tf.expandDims(x, 0)).op.name)).toBe('layer/Squeeze');
    });
  });

  test('int32 and bool tensors go through the shape ops unchanged', () => {
    inGraph(() => {
      const i = tf.constant(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        'int32',
      );
      const b = tf.constant([
        [true, false],
        [false, true],
      ]);
      const sess = new tf.Session();
      const [t, c, g, p, s] = sess.run([
        tf.transpose(i),
        tf.concat([b, tf.logicalNot(b)], 1),
        tf.gather(i, [1, 1, 0]),
        tf.pad(
          i,
          [
            [0, 0],
            [1, 0],
          ],
          { constantValues: -7 },
        ),
        tf.stridedSlice(tf.tile(b, [1, 2]), [0, -1], [2, 0], [1, -1], { beginMask: 1, endMask: 3 }),
      ]);
      expect(t.dtype).toBe('int32');
      expect(t.toArray()).toEqual([
        [1, 4],
        [2, 5],
        [3, 6],
      ]);
      expect(c.toArray()).toEqual([
        [true, false, false, true],
        [false, true, true, false],
      ]);
      expect(g.toArray()).toEqual([
        [4, 5, 6],
        [4, 5, 6],
        [1, 2, 3],
      ]);
      expect(p.toArray()).toEqual([
        [-7, 1, 2, 3],
        [-7, 4, 5, 6],
      ]);
      expect(s.toArray()).toEqual([
        [false, true, false, true],
        [true, false, true, false],
      ]);
      expect(sess.run(tf.oneHot([1, 0], 2, { dtype: 'bool' })).toArray()).toEqual([
        [false, true],
        [true, false],
      ]);
    });
  });

  test('reshape, expandDims and squeeze are zero-copy on the CPU', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [2, 3]);
      const y = tf.squeeze(tf.expandDims(tf.reshape(x, [3, 2]), 0));
      const feed = tf.ndarray(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
      const out = new tf.Session().run(y, new Map([[x, feed]]));
      expect(out.shape).toEqual([3, 2]);
      expect(out.data.buffer).toBe(feed.data.buffer);
    });
  });

  test('empty tensors', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [0, 3]);
      const sess = new tf.Session();
      const feed = { [x.name]: tf.ndarray(new Float32Array(0), [0, 3]) };
      const [c, t, s, tl] = sess.run(
        [tf.concat([x, x], 0), tf.transpose(x), tf.slice(x, [0, 1], [0, 2]), tf.tile(x, [3, 2])],
        feed,
      );
      expect(c.shape).toEqual([0, 3]);
      expect(t.shape).toEqual([3, 0]);
      expect(s.shape).toEqual([0, 2]);
      expect(tl.shape).toEqual([0, 6]);
    });
  });
});
