/**
 * The representation the compile-time passes work on: the ordered list of operations a run executes
 * (after pruning, in id order, which is a topological order), plus what is fetched and fed. A pass
 * returns a new list; it never mutates the graph. A rewritten op is a clone that keeps the original's
 * id, so its output tensors keep their keys (`id:index`) and every consumer, fetch and slot that named
 * the original finds the clone. Synthetic ops (fused loops, folded constants) are clones of the op they
 * replace for the same reason.
 */
import { Attrs, Operation, Tensor } from '../../graph/tensor';
import type { OpDef } from '../../ops/op_def';

export interface PassInput {
  /** Operations to run, in execution order. */
  readonly ops: readonly Operation[];
  /** The run's fetches (tensors and operations). */
  readonly fetches: readonly (Tensor | Operation)[];
  /** Keys of fed tensors (their producers are not run). */
  readonly fed: ReadonlySet<string>;
}

/** What one pass did, for the printed plan. */
export interface PassStat {
  pass: string;
  /** Human-readable one-liner, e.g. "3 constants folded". */
  summary: string;
  /** Ops removed from the plan by the pass. */
  removed: number;
}

export interface PassResult {
  ops: Operation[];
  stat: PassStat;
}

/** Keys of fetched tensors and ids of fetched ops: these must stay in the plan, computed as before. */
export function fetchedKeys(fetches: readonly (Tensor | Operation)[]): {
  tensors: Set<string>;
  ops: Set<number>;
} {
  const tensors = new Set<string>();
  const ops = new Set<number>();
  for (const f of fetches) {
    if (f instanceof Tensor) {
      tensors.add(f.key);
      ops.add(f.op.id);
    } else ops.add(f.id);
  }
  return { tensors, ops };
}

/** How many times each tensor is read as an input (a tensor read twice by one op counts twice). */
export function useCounts(ops: readonly Operation[]): Map<string, number> {
  const uses = new Map<string, number>();
  for (const op of ops) for (const t of op.inputs) uses.set(t.key, (uses.get(t.key) ?? 0) + 1);
  return uses;
}

/** Ids of ops that some op in the list names as a control input. */
export function controlTargets(ops: readonly Operation[]): Set<number> {
  const s = new Set<number>();
  for (const op of ops) for (const c of op.controlInputs) s.add(c.id);
  return s;
}

/** A copy of `op` with other inputs (and optionally another type/attrs/def), keeping its id and name. */
export function cloneOp(
  op: Operation,
  inputs: readonly Tensor[],
  change: { type?: string; attrs?: Attrs; def?: OpDef; controlInputs?: readonly Operation[] } = {},
): Operation {
  const clone = new Operation(
    op.graph,
    op.id,
    op.name,
    change.type ?? op.type,
    inputs,
    change.attrs ?? op.attrs,
    change.controlInputs ?? op.controlInputs,
    change.def ?? op.def,
    op.device,
    op.site,
  );
  clone.outputs = op.outputs.map((t) => new Tensor(clone, t.index, t.shape, t.dtype));
  return clone;
}

/**
 * Replaces inputs through `subst` (tensor key → replacement, followed transitively) in every op,
 * cloning the ops whose inputs change; `drop` ops are left out.
 */
export function substitute(
  ops: readonly Operation[],
  subst: ReadonlyMap<string, Tensor>,
  drop: ReadonlySet<number> = new Set(),
): Operation[] {
  // Chains of substitutions (a removed identity feeding a removed identity …) are followed once each:
  // every key on a followed path is memoised to the path's end, so the whole pass is linear.
  const memo = new Map<string, Tensor>();
  const resolve = (t: Tensor): Tensor => {
    const path: string[] = [];
    const onPath = new Set<string>();
    let r = t;
    for (;;) {
      const known = memo.get(r.key);
      if (known) {
        r = known;
        break;
      }
      const next = subst.get(r.key);
      if (!next || next === r) break;
      if (onPath.has(r.key)) throw new Error(`substitute: cyclic substitution through '${r.name}'`);
      onPath.add(r.key);
      path.push(r.key);
      r = next;
    }
    for (const k of path) memo.set(k, r);
    return r;
  };
  const out: Operation[] = [];
  for (const op of ops) {
    if (drop.has(op.id)) continue;
    let changed = false;
    const inputs = op.inputs.map((t) => {
      const r = resolve(t);
      if (r !== t) changed = true;
      return r;
    });
    out.push(changed ? cloneOp(op, inputs) : op);
  }
  return out;
}

/**
 * Dead-code elimination: keeps the ops that fetches need through data and control inputs (what compile's
 * pruning keeps), after rewrites may have orphaned some (e.g. the shape input of a removed Reshape).
 */
export function eliminateDeadOps(ops: readonly Operation[], input: PassInput): Operation[] {
  const byId = new Map(ops.map((op) => [op.id, op]));
  const live = new Set<number>();
  const stack: number[] = [];
  const need = (id: number): void => {
    if (!live.has(id) && byId.has(id)) {
      live.add(id);
      stack.push(id);
    }
  };
  for (const f of input.fetches) {
    if (f instanceof Tensor) {
      if (!input.fed.has(f.key)) need(f.op.id);
    } else need(f.id);
  }
  while (stack.length) {
    const op = byId.get(stack.pop() as number) as Operation;
    const refs = op.def.refInputs;
    op.inputs.forEach((t, i) => {
      if (refs?.includes(i) || input.fed.has(t.key)) return;
      need(t.op.id);
    });
    for (const c of op.controlInputs) need(c.id);
  }
  return ops.filter((op) => live.has(op.id));
}

/** Types whose ops produce values that depend on more than their inputs (never folded, merged or removed). */
const IMPURE_TYPES = new Set(['Placeholder', 'PlaceholderWithDefault', 'VariableV2', 'NoOp']);

/** True for an op whose outputs are a function of its input values and attrs alone. */
export function isPure(op: Operation): boolean {
  return (
    !op.def.stateful &&
    !op.def.refInputs?.length &&
    !op.def.shapesFromKernel &&
    op.controlInputs.length === 0 &&
    op.outputs.length > 0 &&
    !IMPURE_TYPES.has(op.type)
  );
}

/** True when some output of `op` is fed (then the fed value, not the op, defines it: never rewrite). */
export function hasFedOutput(op: Operation, fed: ReadonlySet<string>): boolean {
  return op.outputs.some((t) => fed.has(t.key));
}

/**
 * True when `t` is an unfed variable's value. The executor reads such inputs from the variable store
 * when the CONSUMER runs (PlanStep.liveReads), so moving or merging a reader can change what it sees if
 * an assign runs in between: the passes leave these readers where they are.
 */
export function isVariableRead(t: Tensor, fed: ReadonlySet<string>): boolean {
  return t.op.type === 'VariableV2' && !fed.has(t.key);
}
