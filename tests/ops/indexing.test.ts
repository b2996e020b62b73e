import * as tf from '../../src';

/**
 * Issue 11 for the array family: TF1 call forms give TF1's numbers (values from the TF1 r1.15 docs or
 * computed by hand here), `x.at(...)` indexing is TF1's `x[...]`, and `tf.range` behaves as TF1's.
 */
const run = (t: tf.Tensor, feed?: tf.FeedDict): unknown => {
  const s = new tf.Session();
  try {
    return s.run(t, feed).toArray();
  } finally {
    s.close();
  }
};
const inGraph = (f: () => void): void => new tf.Graph().asDefault(f);
// x[i][j] = 10 i + j, shape [3,4]
const m34 = (): tf.Tensor =>
  tf.constant([
    [0, 1, 2, 3],
    [10, 11, 12, 13],
    [20, 21, 22, 23],
  ]);

describe('Tensor.at (TF1 x[...])', () => {
  test('integers, negative integers and slice strings', () =>
    inGraph(() => {
      const x = m34();
      expect(run(x.at(1))).toEqual([10, 11, 12, 13]);
      expect(run(x.at(-1))).toEqual([20, 21, 22, 23]);
      expect(run(x.at(1, -1))).toEqual(13);
      expect(run(x.at(':', 0))).toEqual([0, 10, 20]);
      expect(run(x.at('1:3'))).toEqual([
        [10, 11, 12, 13],
        [20, 21, 22, 23],
      ]);
      expect(run(x.at(':', '::2'))).toEqual([
        [0, 2],
        [10, 12],
        [20, 22],
      ]);
      expect(run(x.at('-1:'))).toEqual([[20, 21, 22, 23]]);
      expect(run(x.at(':-1', 0))).toEqual([0, 10]);
      expect(run(x.at('::-1', 0))).toEqual([20, 10, 0]);
      expect(run(x.at(0, '::-2'))).toEqual([3, 1]);
      expect(run(x.at(0, '2:0:-1'))).toEqual([2, 1]);
      expect(run(x.at(0, '5:9'))).toEqual([]);
      expect(x.at(':', 1).op.type).toBe('StridedSlice');
    }));

  test('ellipsis and tf.newaxis', () =>
    inGraph(() => {
      const x = m34();
      expect(x.at(tf.newaxis).shape).toEqual([1, 3, 4]);
      expect(x.at('...', tf.newaxis).shape).toEqual([3, 4, 1]);
      expect(x.at(':', tf.newaxis, 2).shape).toEqual([3, 1]);
      expect(run(x.at('...', 1))).toEqual([1, 11, 21]);
      expect(run(x.at(':', tf.newaxis, 2))).toEqual([[2], [12], [22]]);
      const y = tf.reshape(tf.range(24), [2, 3, 4]);
      // y[..., 0, 1:] = y[:, 0, 1:]
      expect(run(y.at('...', 0, '1:'))).toEqual([
        [1, 2, 3],
        [13, 14, 15],
      ]);
    }));

  test('tf.shape(x).at(0) is the run-time batch size', () =>
    inGraph(() => {
      const x = tf.placeholder('float32', [null, 2]);
      const n = tf.shape(x).at(0);
      expect(n.shape).toEqual([]);
      expect(
        run(n, {
          [x.name]: [
            [1, 2],
            [3, 4],
            [5, 6],
          ],
        }),
      ).toBe(3);
    }));

  test('gradient of an indexed tensor scatters back (one StridedSlice)', () =>
    inGraph(() => {
      const x = tf.placeholder('float32', [3, 4]);
      const y = tf.reduceSum(x.at('::-2', '1:3'));
      const [g] = tf.gradients(y, x);
      const feed = {
        [x.name]: [
          [0, 0, 0, 0],
          [0, 0, 0, 0],
          [0, 0, 0, 0],
        ],
      };
      expect(run(g as tf.Tensor, feed)).toEqual([
        [0, 1, 1, 0],
        [0, 0, 0, 0],
        [0, 1, 1, 0],
      ]);
    }));

  test('errors: out of range (TF1 wording), bad specs', () =>
    inGraph(() => {
      const x = m34();
      expect(() => x.at(3)).toThrow(/slice index 3 of dimension 0 out of bounds/);
      expect(() => x.at(0, -5)).toThrow(/slice index -5 of dimension 1 out of bounds/);
      expect(() => x.at(0, 0, 0)).toThrow(/Index out of range using input dim 2; input has only 2 dims/);
      expect(() => x.at(1.5)).toThrow(TypeError);
      expect(() => x.at('a:b')).toThrow(TypeError);
      expect(() => x.at('::0')).toThrow(/slice step cannot be zero/);
      expect(() => x.at('...', '...')).toThrow(/Multiple ellipses/);
      const p = tf.placeholder('float32', [null]);
      const s = new tf.Session();
      expect(() => s.run(p.at(5), { [p.name]: [1, 2] })).toThrow(
        /slice index 5 of dimension 0 out of bounds/,
      );
      s.close();
    }));
});

describe('tf.range (TF1 semantics)', () => {
  test('TF1 docs examples and dtype inference', () =>
    inGraph(() => {
      // TF1 docs: range(3, 18, 3) → [3, 6, 9, 12, 15]; range(3, 1, -0.5) → [3, 2.5, 2, 1.5]; range(5) → 0..4
      const a = tf.range(3, 18, 3);
      expect(a.dtype).toBe('int32');
      expect(a.shape).toEqual([5]);
      expect(run(a)).toEqual([3, 6, 9, 12, 15]);
      const b = tf.range(3, 1, -0.5);
      expect(b.dtype).toBe('float32');
      expect(run(b)).toEqual([3, 2.5, 2, 1.5]);
      expect(run(tf.range(5))).toEqual([0, 1, 2, 3, 4]);
      expect(run(tf.range(0, 1, 0.25))).toEqual([0, 0.25, 0.5, 0.75]);
      expect(tf.range(5, { dtype: 'float32' }).dtype).toBe('float32');
      expect(run(tf.range(2, 2))).toEqual([]);
      expect(tf.range(2, 2).shape).toEqual([0]);
      expect(run(tf.range(10, 0, -3))).toEqual([10, 7, 4, 1]);
      expect(tf.range(5, { name: 'r' }).op.name).toBe('r');
      inGraph(() => expect(tf.range(5).op.name).toBe('range'));
    }));

  test('tensor arguments: length known at run time', () =>
    inGraph(() => {
      const n = tf.placeholder('int32', []);
      const r = tf.range(n);
      expect(r.shape).toEqual([null]);
      expect(run(r, { [n.name]: 4 })).toEqual([0, 1, 2, 3]);
      const x = tf.placeholder('float32', [null, 3]);
      expect(
        run(tf.range(tf.shape(x).at(0)), {
          [x.name]: [
            [1, 2, 3],
            [4, 5, 6],
          ],
        }),
      ).toEqual([0, 1]);
      const f = tf.range(n, 3.5); // int32 tensor with a float → float32 (TF1 casts to the inferred dtype)
      expect(f.dtype).toBe('float32');
      expect(run(f, { [n.name]: 2 })).toEqual([2, 3]);
    }));

  test('errors as in TF1', () =>
    inGraph(() => {
      expect(() => tf.range(5, 1)).toThrow(/Requires start <= limit when delta > 0: 5\/1/);
      expect(() => tf.range(1, 5, -1)).toThrow(/Requires start >= limit when delta < 0: 1\/5/);
      expect(() => tf.range(1, 5, 0)).toThrow(/Requires delta != 0/);
      expect(() => tf.range(0.5, 3, 1, 'int32')).toThrow(TypeError);
      expect(() => tf.range(tf.constant(1.5), { dtype: 'int32' })).toThrow(TypeError);
      const n = tf.placeholder('int32', []);
      const s = new tf.Session();
      expect(() => s.run(tf.range(n, 0), { [n.name]: 3 })).toThrow(/Requires start <= limit/);
      s.close();
    }));
});

describe('TF1 call forms of the array builders', () => {
  const m = [
    [1, 2],
    [3, 4],
  ];
  test('stack / unstack: positional and keyword axis, num', () =>
    inGraph(() => {
      const x = tf.constant(m);
      // stacked[i][k][j] = x[i][j] for k = 0, 1
      const expected = [
        [
          [1, 2],
          [1, 2],
        ],
        [
          [3, 4],
          [3, 4],
        ],
      ];
      expect(run(tf.stack([x, x], { axis: 1 }))).toEqual(expected);
      expect(run(tf.stack([x, x], 1))).toEqual(expected);
      const t = tf.constant([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      const cols = tf.unstack(t, 3, 1);
      expect(cols.length).toBe(3);
      expect(run(cols[2] as tf.Tensor)).toEqual([3, 6]);
      expect(run(tf.unstack(t, { axis: 1 })[0] as tf.Tensor)).toEqual([1, 4]);
      expect(() => tf.unstack(t, 2, 1)).toThrow(/Dimension must be 2 but is 3/);
      expect(() => tf.stack([x], { axes: 1 } as never)).toThrow(/unexpected keyword argument 'axes'/);
    }));

  test('pad: positional mode, constantValues, TF1 docs examples', () =>
    inGraph(() => {
      const t = tf.constant([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      const p = [
        [1, 1],
        [2, 2],
      ];
      // TF1 docs for tf.pad.
      expect(run(tf.pad(t, p))).toEqual([
        [0, 0, 0, 0, 0, 0, 0],
        [0, 0, 1, 2, 3, 0, 0],
        [0, 0, 4, 5, 6, 0, 0],
        [0, 0, 0, 0, 0, 0, 0],
      ]);
      expect(run(tf.pad(t, p, 'REFLECT'))).toEqual([
        [6, 5, 4, 5, 6, 5, 4],
        [3, 2, 1, 2, 3, 2, 1],
        [6, 5, 4, 5, 6, 5, 4],
        [3, 2, 1, 2, 3, 2, 1],
      ]);
      expect(run(tf.pad(t, p, 'SYMMETRIC'))).toEqual([
        [2, 1, 1, 2, 3, 3, 2],
        [2, 1, 1, 2, 3, 3, 2],
        [5, 4, 4, 5, 6, 6, 5],
        [5, 4, 4, 5, 6, 6, 5],
      ]);
      expect(
        run(
          tf.pad(
            t,
            [
              [0, 0],
              [1, 0],
            ],
            { constantValues: 9 },
          ),
        ),
      ).toEqual([
        [9, 1, 2, 3],
        [9, 4, 5, 6],
      ]);
      expect(
        run(
          tf.pad(
            t,
            [
              [0, 0],
              [1, 0],
            ],
            'constant',
            'padded',
            7,
          ),
        ),
      ).toEqual([
        [7, 1, 2, 3],
        [7, 4, 5, 6],
      ]);
      expect(() => tf.pad(t, p, 'REFLECT', undefined, 5)).toThrow(/constant_values applies only/);
    }));

  test('oneHot: positional onValue, offValue, axis', () =>
    inGraph(() => {
      expect(run(tf.oneHot([0, 2], 3, 5, -1))).toEqual([
        [5, -1, -1],
        [-1, -1, 5],
      ]);
      expect(run(tf.oneHot([0, 2], 3, 1, 0, 0))).toEqual([
        [1, 0],
        [0, 0],
        [0, 1],
      ]);
      expect(tf.oneHot([0], 3, { dtype: 'int32' }).dtype).toBe('int32');
      expect(() => tf.oneHot([0.5], 3)).toThrow(TypeError);
      expect(() => tf.oneHot([0], 2.5)).toThrow(TypeError);
    }));

  test('tile / slice reject non-integers; gather takes TF1 order', () =>
    inGraph(() => {
      const x = tf.constant(m);
      expect(() => tf.tile(x, [1.5, 1])).toThrow(TypeError);
      expect(() => tf.slice(x, [0.5, 0], [1, 1])).toThrow(TypeError);
      expect(() => tf.slice(x, [0, 0], [1, 1.5])).toThrow(TypeError);
      expect(run(tf.gather(x, [1, 0], { axis: 1 }))).toEqual([
        [2, 1],
        [4, 3],
      ]);
      // Third positional argument of TF1's gather is validate_indices, not axis.
      expect(() => tf.gather(x, [1], 1 as never)).toThrow(/validateIndices/);
      expect(run(tf.gather(x, [1], null, 'g', 1))).toEqual([[2], [4]]);
    }));

  test('transpose: conjugate, unknown rank; expandDims dim; squeeze squeezeDims; split num', () =>
    inGraph(() => {
      expect(() => tf.transpose(tf.constant(m), null, 't', true)).toThrow(/complex/);
      const u = tf.placeholder('float32');
      const t = tf.transpose(u);
      const cube = [
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
      ]; // [1,3,2] → [2,3,1]
      expect(run(t, { [u.name]: cube })).toEqual([
        [[1], [3], [5]],
        [[2], [4], [6]],
      ]);
      expect(tf.expandDims(tf.constant(m), { dim: 0 }).shape).toEqual([1, 2, 2]);
      expect(() => tf.expandDims(tf.constant(m), 0, undefined, 1)).toThrow(/both/);
      expect(tf.squeeze(tf.zeros([1, 2, 1]), { squeezeDims: [0] }).shape).toEqual([2, 1]);
      expect(tf.squeeze(tf.zeros([1, 2, 1]), null, 's', [2]).shape).toEqual([1, 2]);
      const parts = tf.split(tf.zeros([6, 2]), [1, 2, 3], 0, 3);
      expect(parts.map((q) => q.shape)).toEqual([
        [1, 2],
        [2, 2],
        [3, 2],
      ]);
      expect(tf.split(tf.zeros([2, 6]), 3, { axis: 1 })[0]?.shape).toEqual([2, 2]);
    }));

  test('zeros/ones/fill/shape/size/rank/zerosLike/addN', () =>
    inGraph(() => {
      expect(tf.zeros([2], 'int32', 'z').op.name).toBe('z');
      expect(tf.zerosLike(tf.constant(m), 'int32').dtype).toBe('int32');
      expect(run(tf.onesLike(tf.constant(m), { dtype: 'bool' }))).toEqual([
        [true, true],
        [true, true],
      ]);
      expect(tf.shape(tf.constant(m), 's', 'int32').op.name).toBe('s');
      expect(run(tf.size(tf.constant(m), { outType: 'int32' }))).toBe(4);
      expect(run(tf.rank(tf.constant(m), 'r'))).toBe(2);
      expect(run(tf.addN([tf.constant(m), tf.constant(m)], 'sum'))).toEqual([
        [2, 4],
        [6, 8],
      ]);
      expect(() => tf.fill([2], 1, { nmae: 'x' } as never)).toThrow(/unexpected keyword argument 'nmae'/);
    }));
});
