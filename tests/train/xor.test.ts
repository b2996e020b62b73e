import * as tf from '../../src';

// End to end: the tutorial's XOR MLP (2-2-1 sigmoid layers, squared-error loss, plain gradient descent)
// learns XOR from fixed initial weights. Everything runs through the public API: placeholders, Variables,
// matmul, sigmoid, reduceSum, tf.train.GradientDescentOptimizer.minimize, globalStep and Session.
describe('XOR MLP trained with GradientDescentOptimizer', () => {
  test('all four outputs end up on the right side of 0.5', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.placeholder('float32', [null, 2], 'x');
      const y_ = tf.placeholder('float32', [null, 1], 'y_');
      const W1 = new tf.Variable(
        [
          [0.8, -0.6],
          [-0.7, 0.9],
        ],
        { name: 'W1' },
      );
      const b1 = new tf.Variable([0.1, -0.1], { name: 'b1' });
      const W2 = new tf.Variable([[0.5], [-0.4]], { name: 'W2' });
      const b2 = new tf.Variable([0.05], { name: 'b2' });
      const hidden = tf.sigmoid(tf.add(tf.matmul(x, W1), b1));
      const y = tf.sigmoid(tf.add(tf.matmul(hidden, W2), b2));
      const loss = tf.reduceSum(tf.square(tf.subtract(y, y_)), undefined, 'loss');
      const globalStep = tf.train.getOrCreateGlobalStep();
      const train = new tf.train.GradientDescentOptimizer(1.0).minimize(loss, { globalStep });

      const sess = new tf.Session({ graph: g });
      sess.run(tf.globalVariablesInitializer());
      const feeds = {
        x: [
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ],
        y_: [[0], [1], [1], [0]],
      };
      const target = [0, 1, 1, 0];
      const solved = (out: tf.NDArray): boolean =>
        Array.from(out.data).every((v, i) => v > 0.5 === (target[i] === 1));

      const initialLoss = sess.run(loss, feeds).item() as number;
      expect(solved(sess.run(y, feeds))).toBe(false);
      let steps = 0;
      while (!solved(sess.run(y, feeds)) && steps < 20000) {
        for (let i = 0; i < 100; i++) sess.run(train, feeds);
        steps += 100;
      }
      const out = sess.run(y, feeds);
      expect(solved(out)).toBe(true);
      expect(sess.run(loss, feeds).item()).toBeLessThan(initialLoss);
      expect(sess.run(globalStep).item()).toBe(steps);
    });
  });
});
