/**
 * Removal of no-op nodes: Identity, StopGradient and Snapshot (their value is their input's; the
 * gradient meaning of StopGradient is used up when gradients are built), and Reshape whose input already
 * has the (fully known) target shape. Their consumers read the input instead. Kept: fetched nodes, nodes
 * with control inputs (the TF1 `with control_dependencies: identity(x)` pattern orders side effects),
 * nodes that are control inputs of others, and no-ops applied to a variable (they snapshot its value).
 */
import { isFullyDefined } from '../../graph/shape';
import type { Operation, Tensor } from '../../graph/tensor';
import {
  controlTargets,
  eliminateDeadOps,
  fetchedKeys,
  hasFedOutput,
  PassInput,
  PassResult,
  substitute,
  isVariableRead,
} from './rewrite';

const PASS_THROUGH = new Set(['Identity', 'StopGradient', 'Snapshot']);

function isNoOp(op: Operation): boolean {
  const x = op.inputs[0];
  if (!x || op.outputs.length !== 1) return false;
  if (PASS_THROUGH.has(op.type)) return true;
  if (op.type === 'Reshape') {
    const out = (op.outputs[0] as Tensor).shape;
    const inp = x.shape;
    return (
      isFullyDefined(inp) &&
      isFullyDefined(out) &&
      inp.length === out.length &&
      inp.every((d, i) => d === out[i])
    );
  }
  return false;
}

export function removeNoOps(input: PassInput): PassResult {
  const fetched = fetchedKeys(input.fetches);
  const controls = controlTargets(input.ops);
  const subst = new Map<string, Tensor>();
  const drop = new Set<number>();
  for (const op of input.ops) {
    if (!isNoOp(op) || fetched.ops.has(op.id) || controls.has(op.id) || op.controlInputs.length) continue;
    // A no-op on a variable is a read at its own position (a snapshot before later assigns): keep it.
    if (hasFedOutput(op, input.fed) || isVariableRead(op.inputs[0] as Tensor, input.fed)) continue;
    const out = op.outputs[0] as Tensor;
    if ((op.inputs[0] as Tensor).dtype !== out.dtype) continue;
    subst.set(out.key, op.inputs[0] as Tensor);
    drop.add(op.id);
  }
  const before = input.ops.length;
  const ops = eliminateDeadOps(substitute(input.ops, subst, drop), input);
  return {
    ops,
    stat: {
      pass: 'noop-removal',
      summary: `${drop.size} no-op identities/reshapes removed`,
      removed: before - ops.length,
    },
  };
}
