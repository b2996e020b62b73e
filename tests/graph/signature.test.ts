// The binder of TF1 call forms (SPEC §2), tested on a signature declared here so that the rules are
// checked independently of any op.
import { bindCall, declare, isOptionsObject, kinds, param } from '../../src/graph/signature';
import * as tf from '../../src';

const sig = {
  fn: 'demo',
  params: [
    param('x', kinds.tensor),
    param('axis', kinds.axis, { default: null, aliases: ['reductionIndices'] }),
    param('keepdims', kinds.bool, { default: false, aliases: ['keepDims'] }),
    param('padding', kinds.oneOf('SAME', 'VALID'), { default: 'VALID' }),
    param('name', kinds.name, { default: undefined as string | undefined }),
  ] as const,
};

describe('bindCall', () => {
  test('TF1 positional order in full', () => {
    expect(bindCall(sig, [5, 1, true, 'SAME', 'n'])).toEqual({
      x: 5,
      axis: 1,
      keepdims: true,
      padding: 'SAME',
      name: 'n',
    });
  });

  test('defaults fill what is not given', () => {
    expect(bindCall(sig, [5])).toEqual({
      x: 5,
      axis: null,
      keepdims: false,
      padding: 'VALID',
      name: undefined,
    });
  });

  test('a trailing options object after any positional prefix', () => {
    expect(bindCall(sig, [5, { axis: 1, keepdims: true }])).toMatchObject({ axis: 1, keepdims: true });
    expect(bindCall(sig, [5, 0, { keepdims: true, name: 'k' }])).toMatchObject({
      axis: 0,
      keepdims: true,
      name: 'k',
    });
    expect(bindCall(sig, [{ x: 3, padding: 'SAME' }])).toMatchObject({ x: 3, padding: 'SAME' });
  });

  test("TF1's deprecated aliases and snake_case keyword names", () => {
    expect(bindCall(sig, [5, { reductionIndices: 1, keepDims: true }])).toMatchObject({
      axis: 1,
      keepdims: true,
    });
    expect(bindCall(sig, [5, { reduction_indices: [0, 1], keep_dims: true }])).toMatchObject({
      axis: [0, 1],
      keepdims: true,
    });
  });

  test('a string as the last argument is the name unless its position takes a string', () => {
    expect(bindCall(sig, [5, 'total'])).toMatchObject({ axis: null, name: 'total' });
    expect(bindCall(sig, [5, 1, false, 'SAME'])).toMatchObject({ padding: 'SAME', name: undefined });
    // Where the position takes strings, the string is that parameter's value, checked (never a name).
    expect(() => bindCall(sig, [5, 1, false, 'mine'])).toThrow(
      /argument 'padding' must be 'SAME' or 'VALID'/,
    );
    expect(bindCall(sig, [5, 1, false, 'SAME', 'mine'])).toMatchObject({ name: 'mine' });
  });

  test('unknown keys, wrong types, duplicates and missing arguments are TypeErrors naming the parameter', () => {
    expect(() => bindCall(sig, [5, { axes2: 1 }])).toThrow(TypeError);
    expect(() => bindCall(sig, [5, { axes2: 1 }])).toThrow(
      /demo\(\) got an unexpected keyword argument 'axes2'; accepted: x, axis, keepdims, padding, name/,
    );
    expect(() => bindCall(sig, [5, { keepdims: 2 }])).toThrow(
      "demo(): argument 'keepdims' must be a boolean (true or false), got 2 (number)",
    );
    expect(() => bindCall(sig, [5, 1, { axis: 0 }])).toThrow(
      "demo() got multiple values for argument 'axis'",
    );
    expect(() => bindCall(sig, [5, { axis: 0, reductionIndices: 0 }])).toThrow(
      /multiple values for argument 'axis'/,
    );
    expect(() => bindCall(sig, [])).toThrow("demo() missing required argument 'x'");
    expect(() => bindCall(sig, [5, 1, true, 'SAME', 'n', 6])).toThrow(/takes at most 5 positional arguments/);
    expect(() => bindCall(sig, [5, 1, true, 'same'])).toThrow(/must be 'SAME' or 'VALID', got 'same'/);
    expect(() => bindCall(sig, [5, 1.5])).toThrow(
      /argument 'axis' must be an integer, a list of integers, or null/,
    );
  });

  test('undefined means "not given"; null is TF1 None', () => {
    expect(bindCall(sig, [5, undefined, true])).toMatchObject({ axis: null, keepdims: true });
    expect(bindCall(sig, [5, { axis: undefined }])).toMatchObject({ axis: null });
    expect(bindCall(sig, [5, null])).toMatchObject({ axis: null });
  });

  test('keyword-only parameters reject positional values with a hint', () => {
    const xent = {
      fn: 'xent',
      params: [
        param('labels', kinds.tensor, { keywordOnly: true }),
        param('logits', kinds.tensor, { keywordOnly: true }),
        param('name', kinds.name, { default: undefined as string | undefined }),
      ] as const,
    };
    expect(bindCall(xent, [{ labels: 1, logits: 2 }])).toMatchObject({ labels: 1, logits: 2 });
    expect(() => bindCall(xent, [1, 2])).toThrow(
      /xent\(\) must be called with keyword arguments: xent\(\{ labels, logits \}\)/,
    );
  });

  test('only plain objects are options objects', () => {
    expect(isOptionsObject({ a: 1 })).toBe(true);
    expect(isOptionsObject(Object.create(null))).toBe(true);
    expect(isOptionsObject([1])).toBe(false);
    expect(isOptionsObject(new Float32Array(1))).toBe(false);
    expect(isOptionsObject(tf.ndarray([1], [1]))).toBe(false);
    expect(isOptionsObject(null)).toBe(false);
  });

  test('declare() gives the function its TF1 name and binds before building anything', () => {
    let calls = 0;
    const f = declare(
      'myOp',
      [param('x', kinds.int), param('name', kinds.name, { default: 'd' })] as const,
      (a) => {
        calls++;
        return a.x * 2;
      },
    );
    expect(f.name).toBe('myOp');
    expect(f(3)).toBe(6);
    expect(() => f(3, { bogus: 1 } as never)).toThrow(TypeError);
    expect(calls).toBe(1);
  });
});
