import * as tf from '../../src';

/** tf.placeholder and tf.constant call forms and TF1 r1.15 semantics (SPEC §2, §3). */
describe('placeholder', () => {
  beforeEach(() => tf.resetDefaultGraph());

  test('positional, keyword and name-string forms; dtype aliases', () => {
    const a = tf.placeholder('float32', [null, 3], 'a');
    expect([a.name, a.dtype, a.shape]).toEqual(['a:0', 'float32', [null, 3]]);
    const b = tf.placeholder('float', { shape: [2], name: 'b' });
    expect([b.name, b.dtype, b.shape]).toEqual(['b:0', 'float32', [2]]);
    const c = tf.placeholder('int', 'c');
    expect([c.name, c.dtype, c.shape]).toEqual(['c:0', 'int32', null]);
    const d = tf.placeholder(tf.bool, null, 'd');
    expect(d.shape).toBeNull();
    expect(tf.placeholder('float32', 4).shape).toEqual([4]); // TF1 TensorShape(4)
    expect(tf.placeholder('float32').op.name).toBe('Placeholder_1');
    expect(tf.placeholder('float32', { name: 'e', shape: [] }).shape).toEqual([]);
  });

  test('bad dtypes and shapes are TypeErrors', () => {
    const ph = tf.placeholder as (...a: unknown[]) => tf.Tensor;
    expect(() => ph('float64')).toThrow(/argument 'dtype' must be a dtype/);
    expect(() => ph('float32', [1.5])).toThrow(/argument 'shape'/);
    expect(() => ph('float32', [NaN])).toThrow(TypeError);
    expect(() => ph('float32', ['3'])).toThrow(TypeError);
    expect(() => ph('float32', [-1, 3])).toThrow(TypeError);
    expect(() => ph('float32', [2], 'x', 'y')).toThrow(TypeError);
    expect(() => ph('float32', { shap: [2] })).toThrow(/unexpected keyword argument 'shap'/);
  });

  test('a placeholder from a keyword call feeds and runs', () => {
    const x = tf.placeholder(tf.float32, { shape: [null, 2], name: 'x' });
    const sess = new tf.Session();
    expect(
      sess
        .run(tf.reduceSum(x), {
          'x:0': [
            [1, 2],
            [3, 4],
          ],
        })
        .item(),
    ).toBe(10);
  });
});

describe('constant', () => {
  beforeEach(() => tf.resetDefaultGraph());
  const run = (t: tf.Tensor) => new tf.Session().run(t);

  test('dtype, shape and name positionally and by keyword', () => {
    const a = tf.constant(0, 'int32', [3], 'zeros3');
    expect([a.name, a.dtype, a.shape]).toEqual(['zeros3:0', 'int32', [3]]);
    expect(run(a).toArray()).toEqual([0, 0, 0]);
    const b = tf.constant(7, { shape: [2, 2], dtype: 'float', name: 'b' } as never);
    expect([b.name, b.dtype]).toEqual(['b:0', 'float32']);
    expect(run(b).toArray()).toEqual([
      [7, 7],
      [7, 7],
    ]);
    expect(tf.constant([1, 2], null, null, 'c').name).toBe('c:0');
    // TF1's second positional parameter is dtype: a string there is read as a dtype, as in TF1
    expect(() => tf.constant([1, 2], 'c')).toThrow(/argument 'dtype'/);
    expect(tf.constant(1).name).toBe('Const:0');
    expect(tf.constant(1, { verify_shape: false } as never).shape).toEqual([]);
  });

  test('a shorter list is padded with its last element (TF1 r1.15)', () => {
    // tf.constant docs: "the last element in the list will be used to fill the remaining entries"
    expect(run(tf.constant([1, 2, 3], tf.float32, [2, 3])).toArray()).toEqual([
      [1, 2, 3],
      [3, 3, 3],
    ]);
    expect(run(tf.constant([1, 2], 'int32', [5])).toArray()).toEqual([1, 2, 2, 2, 2]);
    // same count, different shape: reshaped (docs: tf.constant([1..6], shape=[2, 3]))
    expect(run(tf.constant([1, 2, 3, 4, 5, 6], null, [2, 3])).toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(run(tf.constant(-1, null, [2, 3])).toArray()).toEqual([
      [-1, -1, -1],
      [-1, -1, -1],
    ]);
  });

  test('too many elements, verifyShape mismatches and empty fills are errors', () => {
    expect(() => tf.constant([1, 2, 3], null, [2])).toThrow(
      /Too many elements provided. Needed at most 2, but received 3/,
    );
    expect(() => tf.constant([1, 2], null, [3], 'c', true)).toThrow(
      /Expected Tensor's shape: \[3\], got \[2\]/,
    );
    expect(() => tf.constant(0, { shape: [3], verifyShape: true })).toThrow(TypeError);
    expect(() =>
      tf.constant(
        [
          [1, 2],
          [3, 4],
        ],
        { shape: [4], verifyShape: true },
      ),
    ).toThrow(TypeError);
    expect(tf.constant([1, 2, 3], { shape: [3], verifyShape: true }).shape).toEqual([3]);
    expect(() => tf.constant([], null, [2])).toThrow(TypeError);
  });

  test('values the dtype cannot hold are TypeErrors; bad arguments too', () => {
    const c = tf.constant as (...a: unknown[]) => tf.Tensor;
    expect(() => c(0.5, 'int32')).toThrow(/Expected int32, got 0.5/);
    expect(() => c([1, 2 ** 31], 'int32')).toThrow(TypeError);
    expect(() => c(1, 'bool')).toThrow(/Expected bool/);
    expect(() => c(true, 'float32')).toThrow(/Expected float32/);
    expect(() => c(1, 'float64')).toThrow(/argument 'dtype'/);
    expect(() => c(1, null, [1.5])).toThrow(/argument 'shape'/);
    expect(() => c(1, null, null, 'n', 1)).toThrow(/argument 'verifyShape'/);
    expect(() => c('abc')).toThrow(/string tensors \(TF1's tf.string dtype\) are not supported/);
    expect(() => c(1, { shpe: [2] })).toThrow(/unexpected keyword argument 'shpe'/);
    // NDArray values are converted to the requested dtype (numpy astype), as TF1 does for arrays
    expect(run(tf.constant(tf.ndarray([1.5, 2.5], [2]), 'int32')).toArray()).toEqual([1, 2]);
  });

  test('float32 constants are rounded to float32 (TF1 values)', () => {
    expect(run(tf.constant(1.108)).item()).toBe(Math.fround(1.108));
  });
});
