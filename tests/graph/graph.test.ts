import * as tf from '../../src';

/** Graph building (SPEC §3): unique TF1 names, name scopes, lookups, contexts, Tensor methods. */
let g: tf.Graph;
beforeEach(() => {
  g = new tf.Graph();
});

test('default op names follow TF1 and are made unique with _1, _2', () => {
  g.asDefault(() => {
    const a = tf.constant(1);
    const b = tf.constant(2);
    expect(a.op.name).toBe('Const');
    expect(b.op.name).toBe('Const_1');
    expect(tf.add(a, b).op.name).toBe('add');
    expect(tf.add(a, b).op.name).toBe('add_1');
    expect(tf.multiply(a, b).op.name).toBe('mul');
    expect(tf.matmul([[1]], [[2]]).op.name).toBe('MatMul');
    expect(tf.placeholder('float32').op.name).toBe('Placeholder');
    expect(tf.multiply(a, 2, 'double').name).toBe('double:0');
    expect(tf.multiply(a, 2, { name: 'double' }).name).toBe('double_1:0');
  });
});

test('name scopes prefix names; reopening a scope gives layer1_1/', () => {
  g.asDefault(() => {
    const x = tf.placeholder('float32', [null, 3], 'x');
    const y1 = tf.nameScope('layer1', () => tf.matmul(x, tf.constant([[1], [2], [3]])));
    const y2 = tf.nameScope('layer1', () => tf.matmul(x, tf.constant([[1], [2], [3]])));
    const nested = tf.nameScope('outer', () => tf.nameScope('inner', () => tf.identity(x)));
    const reused = tf.nameScope('layer1/', () => tf.identity(x, 'again'));
    expect(y1.op.name).toBe('layer1/MatMul');
    expect(y2.op.name).toBe('layer1_1/MatMul');
    expect(nested.op.name).toBe('outer/inner/Identity');
    expect(reused.op.name).toBe('layer1/again');
    expect(g.getTensorByName('layer1/MatMul:0')).toBe(y1);
    expect(g.getTensorByName('layer1_1/MatMul')).toBe(y2);
    expect(g.getOperationByName('x')).toBe(x.op);
  });
});

test('lookups of missing names give TF1 errors', () => {
  expect(() => g.getOperationByName('nope')).toThrow(
    "The name 'nope' refers to an Operation not in the graph.",
  );
  expect(() => g.getTensorByName('nope:0')).toThrow(/does not exist/);
  g.asDefault(() => tf.constant(1, 'float32', [], 'c'));
  expect(() => g.getTensorByName('c:1')).toThrow(/only has 1 outputs/);
});

test('tensors know their op, index, shape, dtype, graph and print like TF1', () => {
  g.asDefault(() => {
    const x = tf.placeholder('float32', [null, 784], 'x');
    expect(x.shape).toEqual([null, 784]);
    expect(x.dtype).toBe('float32');
    expect(x.graph).toBe(g);
    expect(x.index).toBe(0);
    expect(String(x)).toBe('Tensor("x:0", shape=(?, 784), dtype=float32)');
    expect(tf.placeholder('int32').shape).toBeNull();
  });
});

test('Tensor operator methods build the same ops as the functions', () => {
  g.asDefault(() => {
    const x = tf.constant([
      [1, 2],
      [3, 4],
    ]);
    const y = x.add(1).sub(2).mul(3).div(2).neg().abs().square().sqrt().matmul(x).sum(1, true).mean();
    const sess = new tf.Session();
    const manual = tf.reduceMean(
      tf.reduceSum(
        tf.matmul(
          tf.sqrt(tf.square(tf.abs(tf.negative(tf.divide(tf.multiply(tf.subtract(tf.add(x, 1), 2), 3), 2))))),
          x,
        ),
        1,
        { keepDims: true },
      ),
    );
    expect(sess.run(y).item()).toBeCloseTo(sess.run(manual).item() as number, 5);
  });
});

test('plain values become constants with the dtype of the other operand', () => {
  g.asDefault(() => {
    const i = tf.constant([1, 2, 3], 'int32');
    const j = tf.add(i, 2);
    expect(j.dtype).toBe('int32');
    expect(new tf.Session().run(j).toArray()).toEqual([3, 4, 5]);
    expect(() => tf.add(i, tf.constant([1.5, 2, 3]))).toThrow(
      /Input 'y' of 'Add' Op has type float32 that does not match type int32 of argument 'x'/,
    );
  });
});

test('controlDependencies orders ops; group runs all; device is recorded', () => {
  g.asDefault(() => {
    const v = new tf.Variable(1, { name: 'v' });
    const set = v.assign(10);
    const read = tf.controlDependencies([set], () => tf.identity(v));
    expect(read.op.controlInputs).toContain(set.op);
    const w = new tf.Variable(0, { name: 'w' });
    const both = tf.group(v.assignAdd(1), w.assignAdd(2));
    expect(both.name).toBe('group_deps');
    const placed = tf.device('/cpu:0', () => tf.identity(v));
    expect(placed.op.device).toBe('/cpu:0');
    const sess = new tf.Session();
    sess.run(tf.globalVariablesInitializer());
    expect(sess.run(read).item()).toBe(10);
    sess.run(both);
    expect(sess.run([v, w]).map((a) => a.item())).toEqual([11, 2]);
  });
});

test('ops from different graphs cannot be mixed', () => {
  const a = g.asDefault(() => tf.constant(1));
  const other = new tf.Graph();
  other.asDefault(() => {
    const b = tf.constant(2);
    expect(() => tf.add(a, b)).toThrow(/must be from the same graph/);
  });
});

test('resetDefaultGraph gives a fresh default graph', () => {
  tf.resetDefaultGraph();
  const before = tf.getDefaultGraph();
  tf.constant(1);
  tf.resetDefaultGraph();
  expect(tf.getDefaultGraph()).not.toBe(before);
  expect(tf.getDefaultGraph().getOperations()).toEqual([]);
});

test("getShape() is TF1's get_shape(): a TensorShape with asList(), ndims, isFullyDefined()", () => {
  tf.resetDefaultGraph();
  const x = tf.placeholder('float32', [null, 784]);
  expect(x.getShape().asList()).toEqual([null, 784]);
  expect(x.getShape().ndims).toBe(2);
  expect(x.getShape().isFullyDefined()).toBe(false);
  expect(x.getShape().numElements()).toBeNull();
  expect(String(x.getShape())).toBe('(?, 784)');
  // TF1's indexing: shape[1].value (a Dimension; int(dim) → Number(dim)), len(shape) → .length.
  expect(x.getShape()[1]?.value).toBe(784);
  expect(x.getShape()[0]?.value).toBeNull();
  expect(Number(x.getShape()[1])).toBe(784);
  expect(() => Number(x.getShape()[0])).toThrow(/unknown Dimension/);
  expect(x.getShape().length).toBe(2);
  expect(x.getShape()[2]).toBeUndefined();
  // The classic raw CNN: tf.reshape(conv2, [-1, weights['wd1'].get_shape().as_list()[0]])
  const wd1 = new tf.Variable(tf.zeros([7 * 7 * 64, 1024]));
  expect(wd1.getShape().asList()[0]).toBe(3136);
  expect(wd1.getShape().numElements()).toBe(3136 * 1024);
  const conv2 = tf.placeholder('float32', [null, 7, 7, 64]);
  expect(tf.reshape(conv2, [-1, wd1.getShape().asList()[0] as number]).shape).toEqual([null, 3136]);
  const list = wd1.getShape().asList();
  list[0] = 1; // a copy, as TF1's as_list() returns a new list
  expect(wd1.shape).toEqual([3136, 1024]);
  expect(String(tf.constant(1).getShape())).toBe('()');
  expect(String(tf.constant([1, 2]).getShape())).toBe('(2,)');
  const unknown = tf.placeholder('float32');
  expect(unknown.getShape().ndims).toBeNull();
  expect(() => unknown.getShape().asList()).toThrow('as_list() is not defined on an unknown TensorShape.');
});
