import type { Kernel } from '../backend';
import { InvalidArgumentError, TensorGraphError } from '../../errors';
import type { DType } from '../../graph/dtype';
import { Operation, Tensor } from '../../graph/tensor';
import type { InferContext, OpDef, OutputSpec } from '../../ops/op_def';
import type { GpuStep, PlanServices } from './plan';

/**
 * Elementwise fusion (DESIGN.md pass 3): a fusible step whose single output is read by exactly one other
 * step — a fusible step too — and by nothing else (no fetch) is computed inside that consumer's kernel.
 * Each group becomes one step at its root's position, reading the group's external inputs. Scalar float
 * constants among those inputs are written into the kernel as literals (their Const steps then go away
 * when nothing else reads them).
 */
export function fuse(
  steps: GpuStep[],
  fetches: ReadonlySet<number>,
  tensorOf: Map<number, Tensor>,
  svc: PlanServices,
): GpuStep[] {
  const fusible = (s: GpuStep) => s.fusible === true && s.outputSlots.length === 1;
  const readers = new Map<number, Set<number>>();
  const producer = new Map<number, GpuStep>();
  steps.forEach((s, i) => {
    for (const slot of s.inputSlots)
      if (slot >= 0) (readers.get(slot) ?? readers.set(slot, new Set()).get(slot))?.add(i);
    for (const slot of s.outputSlots) if (slot >= 0) producer.set(slot, s);
  });
  const literal = (slot: number): number | undefined => literalOf(producer.get(slot));
  // into[i] = the step index step i is fused into (its single reader), when fusible.
  const into = new Map<number, number>();
  steps.forEach((s, i) => {
    const out = s.outputSlots[0] as number;
    if (!fusible(s) || out < 0 || fetches.has(out)) return;
    const r = readers.get(out);
    if (!r || r.size !== 1) return;
    const c = [...r][0] as number;
    if (fusible(steps[c] as GpuStep)) into.set(i, c);
  });
  const rootOf = (i: number): number => {
    let r = i;
    while (into.has(r)) r = into.get(r) as number;
    return r;
  };
  const groups = new Map<number, number[]>();
  steps.forEach((s, i) => {
    if (fusible(s)) {
      const r = rootOf(i);
      (groups.get(r) ?? groups.set(r, []).get(r))?.push(i);
    }
  });
  // Keep groups within the kernel argument limit: drop members (from the front) until the leaves fit.
  const absorbed = new Set<number>();
  for (const [root, members] of groups) {
    let group = members.slice();
    const external = (g: number[]) => leafSlots(g, steps).filter((slot) => literal(slot) === undefined);
    while (group.length > 1 && external(group).length > svc.maxArgs) {
      group = group.slice(1).filter((i) => reachesRoot(i, root, into, new Set(group.slice(1))));
    }
    const leaves = leafSlots(group, steps);
    // A lone op is only rewritten when it has constants to inline.
    if (group.length < 2 && !leaves.some((slot) => literal(slot) !== undefined)) {
      groups.delete(root);
      continue;
    }
    for (const i of group) if (i !== root) absorbed.add(i);
    groups.set(root, group);
  }
  const out: GpuStep[] = [];
  steps.forEach((s, i) => {
    if (absorbed.has(i)) return;
    const group = groups.get(i);
    if (!group) {
      out.push(s);
      return;
    }
    const members = group.map((k) => (steps[k] as GpuStep).op);
    const all = leafSlots(group, steps);
    const literals = new Map<string, number>();
    for (const slot of all) {
      const v = literal(slot);
      if (v !== undefined) literals.set((tensorOf.get(slot) as Tensor).key, v);
    }
    const leaves = all.filter((slot) => literal(slot) === undefined);
    const leafTensors = leaves.map((slot) => tensorOf.get(slot) as Tensor);
    out.push({
      op: fusedOp(members, leafTensors, literals),
      kernel: svc.fusedKernel(members, leafTensors, literals) as unknown as Kernel,
      inputSlots: leaves,
      outputSlots: s.outputSlots.slice(),
      freeSlots: [],
      device: 'GPU',
      fused: members,
    });
  });
  return dropUnreadConstants(out, fetches);
}

/** The value of a one-element finite float32 constant (not -0), which a kernel can embed as a literal. */
function literalOf(s: GpuStep | undefined): number | undefined {
  if (!s || s.op.type !== 'Const' || s.device !== 'GPU') return undefined;
  const v = s.op.attrs.value as { data: ArrayLike<number>; dtype: string };
  if (v.dtype !== 'float32' || v.data.length !== 1) return undefined;
  const x = Math.fround(v.data[0] as number);
  return Number.isFinite(x) && !Object.is(x, -0) ? x : undefined;
}

/** Const steps whose value nobody reads any more (inlined as literals) are removed. */
function dropUnreadConstants(steps: GpuStep[], fetches: ReadonlySet<number>): GpuStep[] {
  const read = new Set<number>(fetches);
  for (const s of steps) for (const slot of s.inputSlots) read.add(slot);
  return steps.filter((s) => s.op.type !== 'Const' || s.outputSlots.some((slot) => read.has(slot)));
}

/** A member stays in a trimmed group only if its chain of consumers to the root stays in the group. */
function reachesRoot(i: number, root: number, into: Map<number, number>, group: Set<number>): boolean {
  let k = i;
  while (k !== root) {
    const next = into.get(k);
    if (next === undefined || !group.has(next)) return false;
    k = next;
  }
  return true;
}

/** The slots a group reads from outside itself, in order of first use. */
function leafSlots(group: readonly number[], steps: readonly GpuStep[]): number[] {
  const inside = new Set(group.map((i) => (steps[i] as GpuStep).outputSlots[0] as number));
  const leaves: number[] = [];
  for (const i of group) {
    for (const slot of (steps[i] as GpuStep).inputSlots)
      if (slot >= 0 && !inside.has(slot) && !leaves.includes(slot)) leaves.push(slot);
  }
  return leaves;
}

/**
 * The pseudo-op of a fused group: named after its root, with the group's external inputs. Its shape
 * function runs each member's own, so run-time errors (incompatible shapes) name the member op.
 */
function fusedOp(
  members: readonly Operation[],
  leaves: readonly Tensor[],
  literals: ReadonlyMap<string, number>,
): Operation {
  const root = members[members.length - 1] as Operation;
  const def: OpDef = {
    type: '_GpuFused',
    grad: 'none',
    infer: (ctx) => {
      const known = new Map<string, OutputSpec>();
      leaves.forEach((t, k) =>
        known.set(t.key, { shape: ctx.shapes[k] ?? null, dtype: ctx.dtypes[k] as DType }),
      );
      for (const m of members) {
        for (const t of m.inputs)
          if (literals.has(t.key)) known.set(t.key, { shape: t.shape, dtype: t.dtype });
      }
      for (const m of members) {
        const ins = m.inputs.map((t) => known.get(t.key) as OutputSpec);
        const mctx: InferContext = {
          type: m.type,
          name: m.name,
          shapes: ins.map((x) => x.shape),
          dtypes: ins.map((x) => x.dtype),
          attrs: m.attrs,
          runtime: ctx.runtime,
          value: () => undefined,
          fail: (message) => {
            throw new InvalidArgumentError(message);
          },
        };
        let spec: OutputSpec[];
        try {
          spec = m.def.infer(mctx);
        } catch (e) {
          throw nameMember(e, m);
        }
        known.set((m.outputs[0] as Tensor).key, spec[0] as OutputSpec);
      }
      return [known.get((root.outputs[0] as Tensor).key) as OutputSpec];
    },
  };
  const op = new Operation(
    root.graph,
    -1,
    root.name,
    '_GpuFused',
    leaves,
    { ops: members.map((m) => m.type) },
    [],
    def,
    root.device,
    root.site,
  );
  op.outputs = root.outputs;
  return op;
}

function nameMember(e: unknown, m: Operation): Error {
  const err = e instanceof Error ? e : new Error(String(e));
  const Ctor =
    err instanceof TensorGraphError ? (err.constructor as new (msg: string) => Error) : InvalidArgumentError;
  return new Ctor(`${err.message}\n\t [[node ${m.name} (op: ${m.type}, defined at ${m.site}) ]]`);
}
