import * as tf from '../../src';

/** Build-time and run-time errors of the shape ops, in TF1's wording, naming the node and the shapes. */

const inGraph = <T>(fn: () => T): T => new tf.Graph().asDefault(fn);

describe('build-time errors', () => {
  const x23 = () => tf.placeholder('float32', [2, 3]);

  test.each<[string, () => unknown, RegExp]>([
    [
      'reshape size mismatch',
      () => tf.reshape(x23(), [4]),
      /^Cannot reshape a tensor with 6 elements to shape \[4\] \(4 elements\) for 'Reshape' \(op: 'Reshape'\) with input shapes: \[2,3\], \[1\]\.\n\tdefined at .*array_errors\.test\.ts/,
    ],
    [
      'reshape -1 not dividing',
      () => tf.reshape(x23(), [4, -1]),
      /Input to reshape is a tensor with 6 values, but the requested shape requires a multiple of 4 for 'Reshape'/,
    ],
    ['reshape two -1', () => tf.reshape(x23(), [-1, -1]), /Only one input size may be -1, not both 0 and 1/],
    [
      'reshape by a float tensor',
      () => tf.reshape(x23(), tf.constant([6])),
      /Input 'shape' of 'Reshape' Op has type float32 that does not match expected type of int32/,
    ],
    [
      'concat rank mismatch',
      () => tf.concat([x23(), tf.placeholder('float32', [2, 3, 4])], 0),
      /^Shape must be rank 2 but is rank 3 for 'concat' \(op: 'ConcatV2'\) with input shapes: \[2,3\], \[2,3,4\], \[\]\./,
    ],
    [
      'concat dim mismatch',
      () => tf.concat([x23(), tf.placeholder('float32', [3, 3])], 1),
      /Dimension 0 in both shapes must be equal, but are 2 and 3\. Shapes are \[2,3\] and \[3,3\]\. for 'concat'/,
    ],
    [
      'concat axis out of range',
      () => tf.concat([x23(), x23()], 2),
      /ConcatOp : Expected concatenating dimensions in the range \[-2, 2\), but got 2/,
    ],
    [
      'concat dtype mismatch',
      () => tf.concat([x23(), tf.placeholder('int32', [2, 3])], 0),
      /Expected float32 for input 1, but got int32/,
    ],
    ['transpose bad perm', () => tf.transpose(x23(), [0, 0]), /1 is missing from \{0,0\}\. for 'transpose'/],
    [
      'transpose perm length',
      () => tf.transpose(x23(), [1, 0, 2]),
      /transpose expects a vector of size 2\. But input\(1\) is a vector of size 3/,
    ],
    [
      'expandDims out of range',
      () => tf.expandDims(x23(), 3),
      /Tried to expand dim index 3 for tensor with 2 dimensions\./,
    ],
    [
      'squeeze a dim that is not 1',
      () => tf.squeeze(x23(), 1),
      /Can not squeeze dim\[1\], expected a dimension of 1, got 3 for 'Squeeze'/,
    ],
    [
      'stack shape mismatch',
      () => tf.stack([x23(), tf.placeholder('float32', [3, 2])]),
      /Shapes of all inputs must match: values\[0\]\.shape = \[2,3\] != values\[1\]\.shape = \[3,2\]/,
    ],
    ['stack axis', () => tf.stack([x23(), x23()], 3), /axis = 3 not in \[-3, 3\)/],
    [
      'unstack of an unknown dim',
      () => tf.unstack(tf.placeholder('float32', [null, 3])),
      /Cannot infer num from shape \[\?,3\]/,
    ],
    [
      'split uneven',
      () => tf.split(x23(), 2, 1),
      /Dimension size must be evenly divisible by 2 but is 3 for 'split' \(op: 'Split'\)/,
    ],
    [
      'splitV sizes',
      () => tf.split(x23(), [1, 1], 1),
      /Determined shape must either match input shape along split_dim exactly if fully specified/,
    ],
    [
      'slice past the end',
      () => tf.slice(x23(), [1, 1], [1, 3]),
      /Expected size\[1\] in \[0, 2\], but got 3 for 'Slice'/,
    ],
    ['slice begin', () => tf.slice(x23(), [3, 0], [-1, 1]), /Expected begin\[0\] in \[0, 2\], but got 3/],
    [
      'slice rank',
      () => tf.slice(x23(), [0], [1]),
      /Expected begin and size arguments to be 1-D tensors of size 2, but got shapes \[1\] and \[1\] instead\./,
    ],
    [
      'strided slice shrink out of range',
      () => tf.stridedSlice(x23(), [5], [6], [1], { shrinkAxisMask: 1 }),
      /slice index 5 of dimension 0 out of bounds\. for 'strided_slice'/,
    ],
    [
      'strided slice zero stride',
      () => tf.stridedSlice(x23(), [0], [1], [0]),
      /strides\[0\] must be non-zero/,
    ],
    [
      'strided slice too many indices',
      () => tf.stridedSlice(x23(), [0, 0, 0], [1, 1, 1]),
      /Index out of range using input dim 2; input has only 2 dims/,
    ],
    [
      'gather axis',
      () => tf.gather(x23(), [0], { axis: 2 }),
      /Expected axis in the range \[-2, 2\), but got 2 for 'GatherV2'/,
    ],
    [
      'gather float indices',
      () => tf.gather(x23(), tf.constant([0.0])),
      /Input 'indices' of 'GatherV2' Op has type float32/,
    ],
    [
      'pad rank',
      () => tf.pad(x23(), [[1, 1]]),
      /The first dimension of paddings must be the rank of inputs\[1,2\] \[2,3\]/,
    ],
    [
      'pad negative',
      () =>
        tf.pad(x23(), [
          [0, 0],
          [-1, 0],
        ]),
      /Paddings must be non-negative: -1 0/,
    ],
    [
      'pad mode',
      () =>
        tf.pad(
          x23(),
          [
            [0, 0],
            [1, 0],
          ],
          { mode: 'WRAP' },
        ),
      /pad\(\): argument 'mode' must be 'CONSTANT', 'REFLECT' or 'SYMMETRIC' \(any case\), got 'WRAP'/,
    ],
    [
      'pad REFLECT by the whole dim',
      () =>
        tf.pad(
          x23(),
          [
            [0, 0],
            [3, 0],
          ],
          'REFLECT',
        ),
      /paddings must be no greater than the dimension size: 3, 0 greater than 2/,
    ],
    [
      'pad SYMMETRIC by more than the dim',
      () =>
        tf.pad(
          x23(),
          [
            [0, 3],
            [0, 0],
          ],
          'symmetric',
        ),
      /paddings must be no greater than the dimension size: 0, 3 greater than 2/,
    ],
    [
      'tile multiples length',
      () => tf.tile(x23(), [2]),
      /Expected multiples argument to be a vector of length 2 but got length 1 for 'Tile'/,
    ],
    [
      'oneHot float indices',
      () => tf.oneHot(tf.constant([1.0]), 3),
      /Input 'indices' of 'OneHot' Op has type float32/,
    ],
  ])('%s', (_label, build, message) => {
    inGraph(() => expect(build).toThrow(message));
  });
});

describe('run-time errors name the node', () => {
  test('gather index out of range names the index and the valid range', () => {
    inGraph(() => {
      const params = tf.placeholder('float32', [4, 2]);
      const ids = tf.placeholder('int32', [2, 2]);
      const y = tf.gather(params, ids, { axis: 0, name: 'lookup' });
      const feed = {
        [params.name]: [
          [1, 2],
          [3, 4],
          [5, 6],
          [7, 8],
        ],
        [ids.name]: tf.ndarray(Int32Array.from([0, 3, 4, 1]), [2, 2], 'int32'),
      };
      expect(() => new tf.Session().run(y, feed)).toThrow(
        /indices\[1,0\] = 4 is not in \[0, 4\)\n\t \[\[node lookup \(op: GatherV2, defined at .*array_errors\.test\.ts/,
      );
      const neg = { ...feed, [ids.name]: tf.ndarray(Int32Array.from([0, -1, 2, 1]), [2, 2], 'int32') };
      expect(() => new tf.Session().run(y, neg)).toThrow(/indices\[0,1\] = -1 is not in \[0, 4\)/);
    });
  });

  test('the gradient of a gather by fed indices is a dense scatter', () => {
    inGraph(() => {
      const params = tf.placeholder('float32', [3]);
      const ids = tf.placeholder('int32', [1]);
      const [g] = tf.gradients(tf.gather(params, ids), params);
      const feed = { [params.name]: [1, 2, 3], [ids.name]: tf.ndarray(Int32Array.from([2]), [1], 'int32') };
      const sess = new tf.Session();
      expect(sess.run(g as tf.Tensor, feed).toArray()).toEqual([0, 0, 1]);
    });
  });

  test('reshape of a fed tensor to a wrong size', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [null, 3]);
      const y = tf.reshape(x, [4], 'flat');
      expect(() =>
        new tf.Session().run(y, {
          [x.name]: [
            [1, 2, 3],
            [4, 5, 6],
          ],
        }),
      ).toThrow(
        /Input to reshape is a tensor with 6 values, but the requested shape has 4\n\t \[\[node flat \(op: Reshape/,
      );
    });
  });

  test('a fed shape tensor is validated at run time', () => {
    inGraph(() => {
      const x = tf.placeholder('float32', [2, 3]);
      const s = tf.placeholder('int32', [2]);
      const y = tf.reshape(x, s);
      const sess = new tf.Session();
      const run = (v: number[]) =>
        sess.run(y, {
          [x.name]: [
            [1, 2, 3],
            [4, 5, 6],
          ],
          [s.name]: tf.ndarray(Int32Array.from(v), [2], 'int32'),
        });
      expect(run([3, -1]).shape).toEqual([3, 2]);
      expect(run([1, 6]).shape).toEqual([1, 6]);
      expect(() => run([5, -1])).toThrow(/requires a multiple of 5/);
    });
  });

  test('concat of fed tensors with mismatched run-time dims', () => {
    inGraph(() => {
      const a = tf.placeholder('float32', [null, 2]);
      const b = tf.placeholder('float32', [null, 2]);
      const y = tf.concat([a, b], 1);
      expect(() =>
        new tf.Session().run(y, {
          [a.name]: [[1, 2]],
          [b.name]: [
            [1, 2],
            [3, 4],
          ],
        }),
      ).toThrow(/Dimension 0 in both shapes must be equal, but are 1 and 2[\s\S]*node concat \(op: ConcatV2/);
    });
  });
});
