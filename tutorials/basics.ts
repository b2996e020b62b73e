// Tutorial 1 — TensorFlow basics: graphs, sessions, tensors, Variables, feeds and fetches.
//
// A TensorFlow 1.x program has two phases:
//   1. CONSTRUCTION: calls like tf.constant / tf.matmul only ADD NODES to a graph. Nothing is computed;
//      a tf.Tensor is a symbolic handle ("the 1st output of op MatMul"), it holds no numbers.
//   2. EXECUTION: a tf.Session launches the graph. `sess.run(fetches, feeds)` computes just the nodes the
//      fetches need and returns their values as tf.NDArray.
//
// Run it:  npm run tutorial -- basics
import * as tf from '../src';
import {
  describeBackend,
  logger,
  openSession,
  secondsSince,
  TutorialOptions,
  TutorialResult,
} from './lib/common';

export interface BasicsResult extends TutorialResult {
  /** [[3, 3]] · [[2], [2]] */
  product: number;
  /** The counter Variable after each of three `assign` runs. */
  counter: number[];
  /** `[mul, intermed]` fetched in one run. */
  fetched: [number, number];
  /** `input1 * input2` with input1 = 7, input2 = 2 fed. */
  fed: number;
  /** Names of every op in the graph, in creation order. */
  opNames: string[];
}

export async function run(options: TutorialOptions = {}): Promise<BasicsResult> {
  const log = logger(options);
  const start = performance.now();
  // A fresh graph for this tutorial. `graph.asDefault(() => ...)` is TF1's `with graph.as_default():`
  // — every op created inside the callback is added to `graph`. (The callback must be synchronous:
  // building a graph is plain bookkeeping, only running it may wait.)
  const graph = new tf.Graph();

  log('== 1. Building a graph (nothing is computed yet) ==');
  const product = graph.asDefault(() => {
    const matrix1 = tf.constant([[3, 3]], 'float32', undefined, 'matrix1'); // shape [1, 2]
    const matrix2 = tf.constant([[2], [2]], 'float32', undefined, 'matrix2'); // shape [2, 1]
    return tf.matmul(matrix1, matrix2); // shape [1, 1]
  });
  // Printing a tensor shows its name, shape and dtype — not a value: there is none yet.
  log(`product is a symbolic ${product.toString()}`);
  log(`its static shape [${(product.shape ?? []).join(', ')}] was inferred while building`);

  log('\n== 2. Launching the graph in a Session ==');
  const sess = openSession(graph, options);
  log(describeBackend(sess));
  // `run` computes `product` and every node it depends on (here: the two constants and the MatMul).
  // `runAsync` is the same as `run` but returns a Promise, so this script also works on GPU modes that
  // can only read results back asynchronously.
  const productValue = (await sess.runAsync(product)).item() as number;
  log(`sess.run(product) = ${productValue}   (3·2 + 3·2)`);

  log('\n== 3. Variables keep state between runs ==');
  const { state, update, init } = graph.asDefault(() => {
    // A Variable's value lives in the session and must be initialized before it is read.
    const state = new tf.Variable(0, { name: 'counter' });
    const one = tf.constant(1, 'float32', undefined, 'one');
    const newValue = tf.add(state, one, 'new_value');
    const update = state.assign(newValue, 'update'); // an op that writes new_value into the Variable
    // One op, 'init', initializes every Variable created so far. (Reading an uninitialized Variable
    // fails with "Attempting to use uninitialized value counter".)
    const init = tf.globalVariablesInitializer();
    return { state, update, init };
  });
  await sess.runAsync(init);
  log(`after init: counter = ${(await sess.runAsync(state)).item()}`);
  const counter: number[] = [];
  for (let i = 0; i < 3; i++) {
    await sess.runAsync(update);
    const v = (await sess.runAsync(state)).item() as number;
    counter.push(v);
    log(`after run #${i + 1} of 'update': counter = ${v}`);
  }

  log('\n== 4. Fetches: several tensors in one run ==');
  const { mul, intermed } = graph.asDefault(() => {
    const input1 = tf.constant(3, 'float32', undefined, 'input1');
    const input2 = tf.constant(2, 'float32', undefined, 'input2');
    const input3 = tf.constant(5, 'float32', undefined, 'input3');
    const intermed = tf.add(input2, input3, 'intermed');
    const mul = tf.multiply(input1, intermed, 'mul');
    return { mul, intermed };
  });
  // Passing an array fetches all of them in ONE execution; shared nodes (intermed) are computed once.
  const [mulValue, intermedValue] = await sess.runAsync([mul, intermed]);
  const fetched: [number, number] = [mulValue.item() as number, intermedValue.item() as number];
  log(`sess.run([mul, intermed]) = [${fetched.join(', ')}]   (3·(2+5), 2+5)`);

  log('\n== 5. Feeds: placeholders get their values at run time ==');
  const output = graph.asDefault(() => {
    // A placeholder is a hole in the graph; every run that needs it must feed it a value.
    const a = tf.placeholder('float32', [null], 'a');
    const b = tf.placeholder('float32', [null], 'b');
    return tf.multiply(a, b, 'output');
  });
  // The feed dict maps placeholders (here: by name) to values, for this run only.
  const outValue = await sess.runAsync(output, { a: [7], b: [2] });
  const fed = outValue.get(0) as number;
  log(`sess.run(output, { a: [7], b: [2] }) = ${outValue.toString()}`);
  // The same graph with other feeds: nothing is rebuilt.
  const again = await sess.runAsync(output, { a: [1, 2, 3], b: [4, 5, 6] });
  log(`sess.run(output, { a: [1, 2, 3], b: [4, 5, 6] }) = ${again.toString()}`);

  log('\n== 6. Name scopes group ops under a prefix ==');
  const { hidden, hiddenInit } = graph.asDefault(() => {
    const x = tf.placeholder('float32', [null, 3], 'x');
    const hidden = tf.nameScope('hidden', () => {
      const W = new tf.Variable(tf.ones([3, 2]), { name: 'weights' }); // → hidden/weights
      const bias = new tf.Variable(tf.zeros([2]), { name: 'biases' }); // → hidden/biases
      return tf.nn.relu(tf.add(tf.matmul(x, W), bias)); // → hidden/MatMul, hidden/add, hidden/Relu
    });
    const hiddenInit = tf.variablesInitializer(
      tf.globalVariables().filter((v) => v.opName.startsWith('hidden/')),
    );
    return { hidden, hiddenInit };
  });
  log(`the hidden layer's output is the tensor '${hidden.name}'`);
  await sess.runAsync(hiddenInit);
  log(`hidden(x = [[1, 2, 3]]) = ${(await sess.runAsync(hidden, { x: [[1, 2, 3]] })).toString()}`);

  log('\n== 7. The graph we built ==');
  const ops = graph.getOperations();
  for (const op of ops) log(`  ${op.name.padEnd(30)} ${op.type}`);
  log(`${ops.length} ops in the graph.`);
  sess.close();

  return {
    product: productValue,
    counter,
    fetched,
    fed,
    opNames: ops.map((op) => op.name),
    seconds: secondsSince(start),
  };
}
