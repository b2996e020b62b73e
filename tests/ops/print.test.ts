import * as tf from '../../src';
import { describeCases } from '../helpers/cases';
import { loggingCases } from './cases/logging';

describeCases('logging ops', loggingCases);

/** Captures what is written to process.stderr while `fn` runs. */
function captureStderr(fn: () => void): string {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    chunks.push(String(s));
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}

describe('tf.Print (TF1, deprecated)', () => {
  test('identity output; logs message + [summaries] to stderr on every run', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.placeholder('float32', [null], 'x');
      const m = tf.constant(
        [
          [1, 2],
          [3, 4],
        ],
        'int32',
      );
      const y = tf.Print(x, [x, m, tf.constant(0.1), tf.constant(true)], 'vals: ');
      expect(y.op.type).toBe('Print');
      expect(y.op.name).toBe('Print');
      expect(y.shape).toEqual([null]);
      const sess = new tf.Session({ graph: g });
      let out: tf.NDArray | undefined;
      const text = captureStderr(() => {
        out = sess.run(y, { x: [1.5, 2, 3, 4, 5] });
        sess.run(y, { x: [7] });
      });
      expect(out?.toArray()).toEqual([1.5, 2, 3, 4, 5]);
      expect(text).toBe('vals: [1.5 2 3...][[1 2][3...]...][0.1][1]\nvals: [7][[1 2][3...]...][0.1][1]\n');
    });
  });

  test('summarize, firstN (per session), message default and a name', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.constant([1, 2, 3, 4, 5, 6], 'float32', [2, 3]);
      const all = tf.Print(x, [x], null, null, 10, 'p');
      expect(all.op.name).toBe('p');
      const once = tf.Print(x, [x], 'once ', { firstN: 1 });
      const sess = new tf.Session({ graph: g });
      expect(captureStderr(() => sess.run(all))).toBe('[[1 2 3][4 5 6]]\n');
      const text = captureStderr(() => {
        sess.run(once);
        sess.run(once);
      });
      expect(text).toBe('once [[1 2 3]...]\n');
      const sess2 = new tf.Session({ graph: g });
      expect(captureStderr(() => sess2.run(once))).toBe('once [[1 2 3]...]\n');
    });
  });

  test('float formatting as TF1 (shortest of %.6g / %.9g), negative summarize prints all', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.constant([1 / 3, 1e-5, 123456789, -2.5]);
      const p = tf.Print(x, [x], '', { summarize: -1 });
      const text = captureStderr(() => new tf.Session({ graph: g }).run(p));
      expect(text).toBe('[0.333333343 1e-05 123456792 -2.5]\n');
    });
  });

  test('gradient of Print is identity', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const x = tf.constant([1, 2, 3]);
      const y = tf.reduceSum(tf.multiply(tf.Print(x, [x], 'g'), 2));
      const [dx] = tf.gradients(y, [x]);
      const text = captureStderr(() => {
        expect(new tf.Session({ graph: g }).run(dx as tf.Tensor).toArray()).toEqual([2, 2, 2]);
      });
      // The gradient graph reads the Print output's shape, so the Print runs (and logs) as in TF1.
      expect(text).toBe('g[1 2 3]\n');
    });
  });

  test('argument errors', () => {
    new tf.Graph().asDefault(() => {
      const x = tf.constant(1);
      expect(() => (tf.Print as (...a: unknown[]) => unknown)(x, [x], 'm', { firstn: 1 })).toThrow(TypeError);
      expect(() => (tf.Print as (...a: unknown[]) => unknown)(x, [x], 'm', 1.5)).toThrow(TypeError);
    });
  });
});

describe('tf.print', () => {
  test('returns an op that writes inputs joined by sep, then end, numpy-style, to the given stream', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const lines: string[] = [];
      const v = tf.constant([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'int32');
      const m = tf.constant([
        [1, 2],
        [3, 4],
      ]);
      const op = tf.print('v:', v, 'm:', m, tf.constant(2.5), 7, {
        outputStream: (s: string) => lines.push(s),
      });
      expect(op).toBeInstanceOf(tf.Operation);
      expect(op.type).toBe('PrintV2');
      new tf.Session({ graph: g }).run(op);
      expect(lines).toEqual(['v: [0 1 2 ... 7 8 9] m: [[1 2]\n [3 4]] 2.5 7\n']);
    });
  });

  test('sep, end, summarize, 3-D layout, stderr by default, control dependency', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      const t = tf.reshape(tf.range(0, 8), [2, 2, 2]);
      const chunks: string[] = [];
      const op = tf.print(t, 'x', {
        sep: '|',
        end: '!',
        summarize: 1,
        outputStream: { write: (s: string) => chunks.push(s) },
      });
      const sess = new tf.Session({ graph: g });
      sess.run(op);
      expect(chunks).toEqual(['[[[0 1]\n  [2 3]]\n\n [[4 5]\n  [6 7]]]|x!']);
      const x = tf.constant([1, 2]);
      const p = tf.print('x =', x);
      const y = tf.controlDependencies([p], () => tf.identity(x));
      const text = captureStderr(() => sess.run(y));
      expect(text).toBe('x = [1 2]\n');
      expect(() => tf.print(x, { outputStream: 3 as unknown as 'stderr' })).toThrow(TypeError);
      expect(() => tf.print(x, { outputstream: 'stdout' } as never)).toThrow(TypeError);
    });
  });
});
