import { InvalidArgumentError } from '../../src/errors';
import {
  clearedRows,
  newTensorArrayShape,
  planTensorArrayRead,
  planTensorArrayWrite,
  tensorArrayName,
} from '../../src/ops/control/tensor_array_rules';

/*
 * The TensorArray run-time rules both backends' kernels call (src/ops/control/tensor_array_rules.ts),
 * checked directly: TF1's messages (tensor_array.cc / tensor_array_ops.cc wording), the written mask, the
 * growth of dynamic arrays and the shapes of reads. The graph-level behaviour is in functional.test.ts
 * and the case table (tests/ops/cases/tensor_array.ts), on both backends.
 */

const info = (attrs: Record<string, unknown> = {}) => ({
  op: { name: 'TensorArrayScatter_1' },
  attrs: { element_shape: null, tensor_array_name: 'ta', ...attrs },
});
const scalar = (i: number) => ({ data: [i], shape: [] });
const vector = (...i: number[]) => ({ data: i, shape: [i.length] });

describe('TensorArray rules (one module for every backend)', () => {
  test('the array is named by its creating op, else by this op', () => {
    expect(tensorArrayName(info())).toBe('TensorArray ta');
    expect(tensorArrayName({ op: { name: 'Gather_3' }, attrs: {} })).toBe('TensorArray Gather_3');
  });

  test('new: placeholder element dims are 0; a negative size is an error', () => {
    expect(newTensorArrayShape(3, [null, 2])).toEqual([3, 0, 2]);
    expect(newTensorArrayShape(2, null)).toEqual([2, 0]);
    expect(() => newTensorArrayShape(-1, [2])).toThrow(
      new InvalidArgumentError('TensorArray size must be non-negative, got -1'),
    );
  });

  test('write: marks the target rows, keeps the mask, settles the element shape', () => {
    const w = planTensorArrayWrite(info(), [3, 0], Int32Array.from([0, 0, 0]), scalar(1), [2, 4]);
    expect(w).toMatchObject({ elem: [2, 4], rows: 3, newRows: 3, written: false, targets: [1] });
    expect(Array.from(w.mask)).toEqual([0, 1, 0]);
    const s = planTensorArrayWrite(info(), [3, 2], Int32Array.from([0, 1, 0]), vector(2, 0), [2, 2]);
    expect(s).toMatchObject({ elem: [2], written: true, targets: [2, 0] });
    expect(Array.from(s.mask)).toEqual([1, 1, 1]);
  });

  test('write: a dynamic array grows to the highest index; a fixed one rejects it', () => {
    const grow = planTensorArrayWrite(
      info({ dynamic_size: true }),
      [2, 1],
      new Int32Array(2),
      vector(4),
      [1, 1],
    );
    expect(grow.newRows).toBe(5);
    expect(Array.from(grow.mask)).toEqual([0, 0, 0, 0, 1]);
    expect(() => planTensorArrayWrite(info(), [2, 1], new Int32Array(2), scalar(4), [1])).toThrow(
      'TensorArray ta: Tried to write to index 4 but array size is: 2',
    );
    expect(() =>
      planTensorArrayWrite(info({ dynamic_size: true }), [2, 1], new Int32Array(2), scalar(-1), [1]),
    ).toThrow('TensorArray ta: Tried to write to index -1 but array size is: 2');
  });

  test('write: the checks, with TF1 wording', () => {
    const m = Int32Array.from([1, 0]);
    expect(() => planTensorArrayWrite(info(), [2, 2], m, vector(0, 1), [3, 2])).toThrow(
      'Expected len(indices) == values.shape[0], but saw: 2 vs. 3',
    );
    expect(() =>
      planTensorArrayWrite(info({ element_shape: [null, 3] }), [2, 0], m, scalar(1), [2, 2]),
    ).toThrow(
      "TensorArray ta: Could not write to TensorArray index 1 because the value shape is [2,2] which is incompatible with the TensorArray's inferred element shape: [?,3] (consider setting infer_shape=False).",
    );
    expect(() => planTensorArrayWrite(info(), [2, 2], m, scalar(1), [3])).toThrow(
      'TensorArray ta: Could not write to TensorArray index 1 because the value shape is [3] which is incompatible with the shape [2] of the elements already written (a TensorArray holds elements of one shape)',
    );
    expect(() => planTensorArrayWrite(info(), [2, 2], m, scalar(0), [2])).toThrow(
      'TensorArray ta: Could not write to TensorArray index 0 because it has already been written to.',
    );
    expect(() => planTensorArrayWrite(info(), [2, 2], new Int32Array(2), vector(1, 1), [2, 2])).toThrow(
      'TensorArray ta: Could not write to TensorArray index 1 because it has already been written to.',
    );
  });

  test('read, gather, stack and concat: rows and shapes', () => {
    const m = Int32Array.from([1, 1, 1]);
    expect(planTensorArrayRead(info({ mode: 'read' }), [3, 2], m, () => [2])).toEqual({
      idx: [2],
      elem: [2],
      shape: [2],
    });
    expect(planTensorArrayRead(info({ mode: 'gather' }), [3, 2], m, () => [2, 0]).shape).toEqual([2, 2]);
    const unused = () => {
      throw new Error('indices read for a stack');
    };
    expect(planTensorArrayRead(info({ mode: 'stack' }), [3, 2], m, unused)).toEqual({
      idx: [0, 1, 2],
      elem: [2],
      shape: [3, 2],
    });
    expect(planTensorArrayRead(info({ mode: 'concat' }), [3, 2, 5], m, unused).shape).toEqual([6, 5]);
    // An empty stack of an array with nothing written takes the known element shape.
    const empty = planTensorArrayRead(info({ mode: 'stack', element_shape: [4] }), [0, 0], [], unused);
    expect(empty.shape).toEqual([0, 4]);
  });

  test('read, gather, stack and concat: the checks, with TF1 wording', () => {
    const m = Int32Array.from([1, 0]);
    expect(() => planTensorArrayRead(info({ mode: 'read' }), [2, 2], m, () => [1])).toThrow(
      'TensorArray ta: Could not read from TensorArray index 1 because it has not yet been written to.',
    );
    expect(() => planTensorArrayRead(info({ mode: 'gather' }), [2, 2], m, () => [0, 2])).toThrow(
      'TensorArray ta: Tried to read from index 2 but array size is: 2',
    );
    expect(() =>
      planTensorArrayRead(info({ mode: 'stack', element_shape: [null] }), [0, 0], [], () => []),
    ).toThrow(
      'TensorArray ta: TensorArray has size zero, but element shape [?] is not fully defined. Currently only static shapes are supported when packing zero-size TensorArrays.',
    );
    expect(() => planTensorArrayRead(info({ mode: 'concat' }), [1], [1], () => [])).toThrow(
      'TensorArray ta: Concat saw a scalar shape at index 0 but requires at least vectors.',
    );
  });

  test('clear rows: the rows both have, unless their element shapes differ', () => {
    const c = clearedRows([3, 2], [4, 2], () => [1, 7]);
    expect(c && { elem: c.elem, rows: c.rows, cleared: [...c.cleared] }).toEqual({
      elem: [2],
      rows: 3,
      cleared: [1, 7],
    });
    expect(clearedRows([3, 2], [4, 3], () => [])).toBeUndefined();
    expect(clearedRows([], [4], () => [])).toBeUndefined();
  });
});
