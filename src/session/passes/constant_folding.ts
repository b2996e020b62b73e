/**
 * Constant folding: a pure op whose inputs are all constants (Const ops, or ops folded before it) is
 * evaluated once at compile time with the backend's own kernel and replaced by a Const holding the
 * result; Shape/Size/Rank of a tensor whose static shape is fully known become constants too. Outputs
 * above `maxElements` are not folded (the constant would cost memory for little gain). Ops that are fed,
 * random, stateful, or carry control inputs are never folded.
 */
import { isFullyDefined, sizeOf } from '../../graph/shape';
import type { Operation, Tensor } from '../../graph/tensor';
import { NDArray } from '../../ndarray';
import { getOpDef } from '../../ops/op_def';
import { cloneOp, eliminateDeadOps, hasFedOutput, isPure, PassInput, PassResult } from './rewrite';

/** Computes an op's outputs from its input values (the backend's kernel, run at compile time). */
export type Evaluate = (op: Operation, inputs: NDArray[]) => NDArray[];

export interface FoldOptions {
  /** Largest output (elements) that is folded; default 1 << 16. */
  maxElements?: number;
}

function constValue(op: Operation): NDArray | undefined {
  return op.type === 'Const' ? (op.attrs.value as NDArray) : undefined;
}

/** Shape, Size and Rank of a fully known static shape, as the int32 value the op would compute. */
function shapeFact(op: Operation): NDArray | undefined {
  const x = op.inputs[0];
  if (!x || !isFullyDefined(x.shape) || op.outputs[0]?.dtype !== 'int32') return undefined;
  const s = x.shape;
  if (op.type === 'Shape') return new NDArray(Int32Array.from(s), [s.length], 'int32');
  if (op.type === 'Size') return new NDArray(Int32Array.of(sizeOf(s)), [], 'int32');
  if (op.type === 'Rank') return new NDArray(Int32Array.of(s.length), [], 'int32');
  return undefined;
}

function asConst(op: Operation, value: NDArray): Operation {
  return cloneOp(op, [], { type: 'Const', attrs: { value, dtype: value.dtype }, def: getOpDef('Const') });
}

export function foldConstants(input: PassInput, evaluate: Evaluate, options: FoldOptions = {}): PassResult {
  const maxElements = options.maxElements ?? 1 << 16;
  const values = new Map<string, NDArray>(); // tensor key → known constant value
  const replaced = new Map<number, Operation>();
  let folded = 0;
  for (const op of input.ops) {
    const c = constValue(op);
    if (c) {
      // The value the Const step produces at run time (the backend's own Const kernel: float32
      // constants built from JS numbers are stored exactly and rounded there), so that folded results
      // are computed in the op's own dtype, bit for bit what the unfolded plan computes.
      let v: NDArray | undefined = c;
      try {
        v = evaluate(op, [])[0];
      } catch {
        v = undefined;
      }
      if (v) values.set((op.outputs[0] as Tensor).key, v);
      continue;
    }
    if (!isPure(op) || hasFedOutput(op, input.fed) || op.outputs.length !== 1) continue;
    let value = shapeFact(op);
    if (!value) {
      const args = op.inputs.map((t) => (input.fed.has(t.key) ? undefined : values.get(t.key)));
      if (!op.inputs.length || args.some((a) => a === undefined)) continue;
      const out = op.outputs[0] as Tensor;
      if (out.shape !== null && isFullyDefined(out.shape) && sizeOf(out.shape) > maxElements) continue;
      let results: NDArray[];
      try {
        results = evaluate(op, args as NDArray[]);
      } catch {
        continue; // leave run-time errors to the run, with their usual wording
      }
      value = results[0];
      if (!value || value.data.length > maxElements) continue;
    }
    values.set((op.outputs[0] as Tensor).key, value);
    replaced.set(op.id, asConst(op, value));
    folded++;
  }
  const before = input.ops.length;
  const ops = eliminateDeadOps(
    input.ops.map((op) => replaced.get(op.id) ?? op),
    input,
  );
  return {
    ops,
    stat: {
      pass: 'constant-folding',
      summary: `${folded} ops folded to constants`,
      removed: before - ops.length,
    },
  };
}
