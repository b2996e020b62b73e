/**
 * Common-subexpression elimination over the whole plan (forward and backward passes together, since
 * gradients are ordinary ops of the same graph): two pure ops of the same type, attrs and inputs compute
 * the same value, so the later one's consumers read the earlier one's outputs. Equal constants merge
 * too (by dtype, shape and contents). Applied in one forward sweep, so chains of duplicates collapse.
 * Readers of variables are not merged (each reads the variable when it runs).
 */
import type { Operation, Tensor } from '../../graph/tensor';
import { NDArray } from '../../ndarray';
import {
  controlTargets,
  eliminateDeadOps,
  fetchedKeys,
  hasFedOutput,
  isPure,
  PassInput,
  PassResult,
  substitute,
  isVariableRead,
} from './rewrite';

/** Constants above this many elements are compared by identity only (hashing them costs more than it saves). */
const MAX_CONST_HASH = 1 << 12;

function attrKey(v: unknown): string {
  if (v instanceof NDArray) {
    if (v.data.length > MAX_CONST_HASH) return `nd#${ndId(v)}`;
    return `nd(${v.dtype};${v.shape.join('x')};${Array.from(v.data as ArrayLike<number>, (x) => (Object.is(x, -0) ? '-0' : String(x))).join(',')})`;
  }
  if (Array.isArray(v)) return `[${v.map(attrKey).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${k}:${attrKey(o[k])}`)
      .join(',')}}`;
  }
  return typeof v === 'number' && Object.is(v, -0) ? '-0' : (JSON.stringify(v) ?? 'undefined');
}

const ids = new WeakMap<NDArray, number>();
let nextId = 0;
function ndId(v: NDArray): number {
  let id = ids.get(v);
  if (id === undefined) ids.set(v, (id = nextId++));
  return id;
}

/** The value-identity of an op given its (already rewritten) inputs. */
function opKey(op: Operation, resolve: (t: Tensor) => Tensor): string {
  // The device is part of the key: merging two towers' identical ops would make one device wait for the other.
  return `${op.type}|${op.device}|${attrKey(op.attrs)}|${op.inputs.map((t) => resolve(t).key).join(',')}`;
}

export function eliminateCommonSubexpressions(input: PassInput): PassResult {
  const fetched = fetchedKeys(input.fetches);
  const controls = controlTargets(input.ops);
  const seen = new Map<string, Operation>();
  const subst = new Map<string, Tensor>();
  const drop = new Set<number>();
  const resolve = (t: Tensor): Tensor => subst.get(t.key) ?? t;
  for (const op of input.ops) {
    if (!isPure(op) && op.type !== 'Const') continue;
    if (op.controlInputs.length || hasFedOutput(op, input.fed)) continue;
    // Two readers of a variable can see different values (an assign may run between them).
    if (op.inputs.some((t) => isVariableRead(t, input.fed))) continue;
    const key = opKey(op, resolve);
    const first = seen.get(key);
    if (!first) {
      seen.set(key, op);
      continue;
    }
    if (fetched.ops.has(op.id) || controls.has(op.id)) continue;
    op.outputs.forEach((t, i) => subst.set(t.key, first.outputs[i] as Tensor));
    drop.add(op.id);
  }
  const before = input.ops.length;
  const ops = eliminateDeadOps(substitute(input.ops, subst, drop), input);
  return {
    ops,
    stat: { pass: 'cse', summary: `${drop.size} duplicate ops merged`, removed: before - ops.length },
  };
}
