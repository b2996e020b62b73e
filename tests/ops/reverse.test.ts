import * as tf from '../../src';
import { describeCases } from '../helpers/cases';
import { reverseCases } from './cases/reverse';

describeCases('reversal ops (tf.reverse, tf.reverseSequence)', reverseCases);

describe('reversal op errors (TF1 messages)', () => {
  const inGraph = (fn: () => void): void => new tf.Graph().asDefault(fn);
  test('ReverseV2: axis out of range, repeated, or a scalar', () => {
    inGraph(() => {
      const x = tf.zeros([2, 3]);
      expect(() => tf.reverse(x, [2])).toThrow(/'axis'\[0\] = 2 is out of valid range \[-2, 2\)/);
      expect(() => tf.reverse(x, [1, -1])).toThrow(/axis 1 specified more than once/);
      expect(() => tf.reverse(x, 1 as never)).toThrow(/'axis' must be a 1-D list of axes/);
    });
  });
  test('ReverseSequence: lengths longer than the sequence axis, wrong count, equal axes', () => {
    inGraph(() => {
      const x = tf.zeros([2, 3]);
      expect(() => tf.reverseSequence(x, [4, 1], 1)).toThrow(/seq_lens\(0\) > input\.dims\(1\)/);
      expect(() => tf.reverseSequence(x, [1, 1, 1], 1)).toThrow(/Length of seq_lengths != input\.dims\(0\)/);
      expect(() => tf.reverseSequence(x, [1, 1], 0, 0)).toThrow(/batch_dim == seq_dim == 0/);
      expect(() => tf.reverseSequence(x, [1, 1])).toThrow(/seqAxis/);
    });
  });
  test('ReverseSequence: a fed length past the sequence axis fails at run time', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const lens = tf.placeholder('int32', [2], 'lens');
      const y = tf.reverseSequence(tf.zeros([2, 3]), lens, 1);
      const sess = new tf.Session({ graph: g });
      expect(sess.run(y, { lens: [3, 2] }).shape).toEqual([2, 3]);
      expect(() => sess.run(y, { lens: [4, 2] })).toThrow(/seq_lens\(0\) > input\.dims\(1\)/);
    });
  });
});
