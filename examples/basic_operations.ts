// Classic TF1 "basic operations" plus the control-flow examples of TF1's own docstrings, transliterated
// literally: constants in a session, placeholders with feeds, matmul of constants, tf.cond on a tensor
// predicate, tf.while_loop with nested loop variables, reductions with TF1 keyword/positional forms.
//
// Run it:  npx ts-node --transpile-only examples/basic_operations.ts
import * as tf from '../src';

export interface BasicOperationsResult {
  constantSum: number;
  constantProduct: number;
  fedSum: number;
  fedProduct: number;
  matrixProduct: number[][];
  condResult: number;
  whileResult: [number, [number, number]];
  rowSums: number[][];
  columnArgmax: number[];
  uniformRange: [number, number];
}

export function runBasicOperations(): BasicOperationsResult {
  tf.resetDefaultGraph();
  // Basic constant operations
  const a = tf.constant(2);
  const b = tf.constant(3);
  const sess = new tf.Session();
  const constantSum = sess.run(tf.add(a, b)).item() as number;
  const constantProduct = sess.run(tf.multiply(a, b)).item() as number;

  // Basic operations with variable as graph input
  const pa = tf.placeholder(tf.int32);
  const pb = tf.placeholder(tf.int32);
  const add = tf.add(pa, pb);
  const mul = tf.multiply(pa, pb);
  const fedSum = sess
    .run(add, [
      [pa, 2],
      [pb, 3],
    ])
    .item() as number;
  const fedProduct = sess
    .run(mul, [
      [pa, 2],
      [pb, 3],
    ])
    .item() as number;

  // Matrix multiplication
  const matrix1 = tf.constant([[3.0, 3.0]]);
  const matrix2 = tf.constant([[2.0], [2.0]]);
  const product = tf.matmul(matrix1, matrix2);
  const matrixProduct = sess.run(product).toArray() as number[][];

  // tf.cond (TF1 docstring): z = tf.multiply(a, b); result = tf.cond(x < y, lambda: tf.add(x, z), lambda: tf.square(y))
  const x = tf.constant(2.0);
  const y = tf.constant(5.0);
  const z = tf.multiply(x, y);
  const result = tf.cond(
    tf.less(x, y),
    () => tf.add(x, z),
    () => tf.square(y),
  );
  const condResult = sess.run(result).item() as number;

  // tf.while_loop (TF1 docstring): nested loop variables
  //   i0 = tf.constant(0); j0, k0 = tf.ones([2, 2]) ... here scalars: c = lambda i, p: i < 10
  const i0 = tf.constant(0);
  const j0 = tf.constant(1);
  const k0 = tf.constant(2);
  const c = (i: tf.Tensor): tf.Tensor => tf.less(i, 10);
  const body = (i: tf.Tensor, jk: [tf.Tensor, tf.Tensor]): [tf.Tensor, [tf.Tensor, tf.Tensor]] => [
    tf.add(i, 1),
    [tf.add(jk[0], jk[1]), tf.subtract(jk[0], jk[1])],
  ];
  const [iFinal, [jFinal, kFinal]] = tf.whileLoop(c, body, [i0, [j0, k0]]) as unknown as [
    tf.Tensor,
    [tf.Tensor, tf.Tensor],
  ];
  const [iv, jv, kv] = sess.run([iFinal, jFinal, kFinal]).map((v) => v.item() as number) as [
    number,
    number,
    number,
  ];

  // Reductions: TF1 keyword and positional forms
  const m = tf.constant([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const rowSums = sess.run(tf.reduceSum(m, 1, true)).toArray() as number[][];
  const columnArgmax = sess.run(tf.argmax(m, { axis: 0 })).toArray() as number[];

  // Random ops: positional minval/maxval (TF1: tf.random_uniform([1000], -1, 1))
  const u = sess.run(tf.randomUniform([1000], -1, 1, tf.float32, 7)).data as Float32Array;
  const uniformRange: [number, number] = [Math.min(...u), Math.max(...u)];
  sess.close();
  return {
    constantSum,
    constantProduct,
    fedSum,
    fedProduct,
    matrixProduct,
    condResult,
    whileResult: [iv, [jv, kv]],
    rowSums,
    columnArgmax,
    uniformRange,
  };
}

if (require.main === module) console.log(runBasicOperations());
