import { checkGatherIndices, gatherLayout } from '../../src/ops/array/gather_rules';

/* GatherV2 / GatherGrad's run-time rules both backends' kernels call (src/ops/array/gather_rules.ts). */
describe('gather rules (one module for every backend)', () => {
  test('layout around the axis: (outer, limit, inner); a negative axis counts from the end', () => {
    expect(gatherLayout([2, 5, 3], 0)).toEqual([1, 2, 15]);
    expect(gatherLayout([2, 5, 3], 1)).toEqual([2, 5, 3]);
    expect(gatherLayout([2, 5, 3], -1)).toEqual([10, 3, 1]);
  });

  test("TF1's message names the first bad index by its position", () => {
    expect(() => checkGatherIndices({ data: [0, 4], shape: [2] }, 5)).not.toThrow();
    expect(() => checkGatherIndices({ data: [0, 1, 2, 7, -1, 9], shape: [3, 2] }, 5)).toThrow(
      'indices[1,1] = 7 is not in [0, 5)',
    );
    // A scalar index has no position (TF1's SliceDebugString of a rank-0 shape is empty).
    expect(() => checkGatherIndices({ data: [-1], shape: [] }, 3)).toThrow(
      /^indices = -1 is not in \[0, 3\)$/,
    );
  });
});
