/**
 * Elementwise fusion: a connected group of float32 elementwise ops, in which every value but the group's
 * result is read exactly once (by the group) and is neither fetched nor fed, becomes ONE op whose formula
 * is the members' formulas substituted into each other. The CPU backend compiles that formula into one
 * generated loop (src/backends/cpu/elementwise.ts), so the intermediates are never stored. Broadcasting
 * needs no special care: every member is elementwise with numpy broadcasting, so the composed formula,
 * read at each output index through the usual broadcast of the group's inputs, is the same function.
 * (Arithmetic inside the loop is in float64 JS numbers, so a fused result can differ from the unfused one
 * in the last float32 bits: it is the more exact of the two.)
 */
import { ConstantNode, FunctionNode, ParenthesisNode, SymbolNode } from 'mathjs';
import type { MathNode } from 'mathjs';
import { parseFormula } from '../../graph/formula';
import { InvalidArgumentError, TensorGraphError } from '../../errors';
import { broadcastShapes, Shape, shapeToString } from '../../graph/shape';
import type { Operation, Tensor } from '../../graph/tensor';
import type { NDArray } from '../../ndarray';
import type { InferContext, OpDef } from '../../ops/op_def';
import {
  cloneOp,
  controlTargets,
  eliminateDeadOps,
  fetchedKeys,
  hasFedOutput,
  isPure,
  isVariableRead,
  PassInput,
  PassResult,
  useCounts,
} from './rewrite';

export const FUSED_TYPE = 'FusedElementwise';

export interface FusionOptions {
  /** Most ops in one group (bounds the generated formula); default 32. */
  maxOps?: number;
  /**
   * Round each member op's result (and each inlined constant) to float32 inside the fused loop, as the
   * unfused kernels do when they store float32 values — fused and unfused plans then agree bit for bit.
   * optimizeOps sets it for float32 backends; off (default) for float64 computation.
   */
  roundFloat32?: boolean;
  /** Most distinct tensors one fused op may read (a GPU kernel's argument limit); default unbounded. */
  maxInputs?: number;
}

function fusible(op: Operation, fed: ReadonlySet<string>): boolean {
  return (
    op.def.elementwise !== undefined &&
    isPure(op) &&
    op.outputs.length === 1 &&
    op.outputs[0]?.dtype === 'float32' &&
    op.inputs.length > 0 &&
    op.inputs.every((t) => t.dtype === 'float32') &&
    !hasFedOutput(op, fed)
  );
}

/**
 * The input positions an elementwise op's formula actually reads (`ones_like(x)` reads none). An input
 * the formula ignores still sets the output's broadcast shape, so it stays an input of the fused op and
 * its producer is not absorbed.
 */
function referencedInputs(op: Operation): Set<number> {
  const spec = op.def.elementwise as NonNullable<OpDef['elementwise']>;
  const vars = spec.vars(op.attrs);
  const used = new Set<number>();
  parseFormula(spec.formula(op.attrs), vars).traverse((node: MathNode, path: string) => {
    if (node instanceof SymbolNode && path !== 'fn') {
      const i = vars.indexOf(node.name);
      if (i >= 0) used.add(i);
    }
  });
  return used;
}

/** A scalar float32 constant with a finite value (not -0): written into the formula as a literal. */
function literal(op: Operation | undefined): number | undefined {
  if (!op || op.type !== 'Const') return undefined;
  const v = op.attrs.value as NDArray;
  // Rank 0 only: a [1]-shaped constant can still raise the output's rank by broadcasting.
  if (v.dtype !== 'float32' || v.data.length !== 1 || v.shape.length !== 0) return undefined;
  const x = v.data[0] as number;
  return Number.isFinite(x) && !Object.is(x, -0) ? x : undefined;
}

/** Keys of the tensors an op reads that a fused kernel would take as arguments (not scalar literals). */
function externalReads(op: Operation, producer: ReadonlyMap<string, Operation>): string[] {
  return op.inputs.filter((t) => literal(producer.get(t.key)) === undefined).map((t) => t.key);
}

/** The original ops of a fused group (in plan order) and the group's external inputs (in0, in1, …). */
export interface FusedMembers {
  ops: readonly Operation[];
  external: readonly Tensor[];
}

/**
 * The op definition of a fused group: output = broadcast of the inputs, float32; kernels from the formula.
 * When the inputs' shapes do not broadcast, `members` (when given) replays the members' own shape rules
 * so that the error names the user's op and has its wording, exactly as without fusion.
 */
export function fusedDef(formula: string, vars: readonly string[], members?: FusedMembers): OpDef {
  return {
    type: FUSED_TYPE,
    infer: (ctx) => {
      let shape: Shape = [];
      for (const s of ctx.shapes) {
        const b = broadcastShapes(shape, s);
        if (b === undefined) {
          if (members) replayMembers(members, ctx.shapes as number[][]);
          return ctx.fail(
            `Incompatible shapes in fused elementwise group: ${ctx.shapes.map((x) => shapeToString(x)).join(', ')}`,
          );
        }
        shape = b;
      }
      return [{ shape, dtype: 'float32' }];
    },
    grad: 'none',
    elementwise: { vars: () => vars, formula: () => formula },
  };
}

/** Runs each member's shape rule on the run-time shapes; throws the first member's error, with its node. */
function replayMembers(members: FusedMembers, externalShapes: readonly number[][]): void {
  const shapes = new Map<string, Shape>();
  members.external.forEach((t, j) => shapes.set(t.key, externalShapes[j] ?? t.shape));
  for (const op of members.ops) {
    const trailer = `\n\t [[node ${op.name} (op: ${op.type}, defined at ${op.site}) ]]`;
    const ctx: InferContext = {
      type: op.type,
      name: op.name,
      // Inlined literal constants are scalars: their static shape is exact.
      shapes: op.inputs.map((t) => shapes.get(t.key) ?? t.shape),
      dtypes: op.inputs.map((t) => t.dtype),
      attrs: op.attrs,
      runtime: true,
      value: () => undefined,
      fail: (message) => {
        throw new InvalidArgumentError(message);
      },
    };
    let specs;
    try {
      specs = op.def.infer(ctx);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      const Ctor =
        err instanceof TensorGraphError
          ? (err.constructor as new (m: string) => Error)
          : InvalidArgumentError;
      throw new Ctor(err.message.includes('[[node ') ? err.message : err.message + trailer);
    }
    specs.forEach((spec, i) => {
      const t = op.outputs[i];
      if (t) shapes.set(t.key, spec.shape);
    });
  }
}

export function fuseElementwise(input: PassInput, options: FusionOptions = {}): PassResult {
  const maxOps = options.maxOps ?? 32;
  const maxInputs = options.maxInputs ?? Infinity;
  const round = options.roundFloat32 ?? false;
  const stored = (n: MathNode): MathNode =>
    round ? new FunctionNode('fround', [n]) : new ParenthesisNode(n);
  const uses = useCounts(input.ops);
  const fetched = fetchedKeys(input.fetches);
  const controls = controlTargets(input.ops);
  const producer = new Map<string, Operation>();
  for (const op of input.ops) for (const t of op.outputs) producer.set(t.key, op);

  // Where each variable is written (ref input of Assign*), by plan position: a member that reads a
  // variable may join a group only if no write to it lies between the member and the group's root,
  // since the fused loop reads the variable when the root's step runs.
  const position = new Map<number, number>();
  input.ops.forEach((op, i) => position.set(op.id, i));
  const writes = new Map<number, number[]>();
  input.ops.forEach((op, i) => {
    for (const r of op.def.refInputs ?? []) {
      const v = op.inputs[r];
      if (v) writes.set(v.op.id, [...(writes.get(v.op.id) ?? []), i]);
    }
  });
  const readsStable = (member: Operation, root: Operation): boolean => {
    const from = position.get(member.id) as number;
    const to = position.get(root.id) as number;
    return member.inputs.every(
      (t) => !isVariableRead(t, input.fed) || !(writes.get(t.op.id) ?? []).some((w) => w > from && w < to),
    );
  };

  const absorbed = new Set<number>();
  const fusedAt = new Map<number, Operation>();
  let groups = 0;
  let members = 0;
  for (let i = input.ops.length - 1; i >= 0; i--) {
    const root = input.ops[i] as Operation;
    if (absorbed.has(root.id) || !fusible(root, input.fed)) continue;
    // Grow the group backwards through single-use fusible producers.
    const group = new Set<number>([root.id]);
    const stack: Operation[] = [root];
    // The tensors the group reads from outside (inlined scalar literals aside), kept within maxInputs.
    const outside = new Set(externalReads(root, producer));
    while (stack.length && group.size < maxOps) {
      const op = stack.pop() as Operation;
      const read = referencedInputs(op);
      for (const [i, t] of op.inputs.entries()) {
        if (!read.has(i)) continue;
        const p = producer.get(t.key);
        if (!p || group.has(p.id) || absorbed.has(p.id) || !fusible(p, input.fed)) continue;
        if (uses.get(t.key) !== 1 || input.fed.has(t.key) || fetched.ops.has(p.id) || controls.has(p.id))
          continue;
        if (!readsStable(p, root)) continue;
        // A fused loop runs on one device: ops pinned to different devices (tf.device) stay apart.
        if (p.device !== root.device) continue;
        if (group.size >= maxOps) break;
        const widened = new Set(outside);
        widened.delete(t.key);
        for (const k of externalReads(p, producer)) widened.add(k);
        if (widened.size > maxInputs) continue;
        outside.clear();
        for (const k of widened) outside.add(k);
        group.add(p.id);
        stack.push(p);
      }
    }
    if (group.size < 2) continue;
    // Compose the formula; inputs from outside the group become in0, in1, … (one per distinct tensor).
    const external: Tensor[] = [];
    const symbolOf = new Map<string, string>();
    const externalSymbol = (t: Tensor): string => {
      let sym = symbolOf.get(t.key);
      if (!sym) {
        sym = `in${external.length}`;
        symbolOf.set(t.key, sym);
        external.push(t);
      }
      return sym;
    };
    const compose = (op: Operation): MathNode => {
      const spec = op.def.elementwise as NonNullable<OpDef['elementwise']>;
      const vars = spec.vars(op.attrs);
      const tree = parseFormula(spec.formula(op.attrs), vars);
      const composed = tree.transform((node: MathNode, path: string) => {
        if (!(node instanceof SymbolNode) || path === 'fn') return node;
        const v = vars.indexOf(node.name);
        if (v < 0) return node; // a constant such as pi
        const t = op.inputs[v] as Tensor;
        const p = producer.get(t.key);
        if (p && group.has(p.id) && p !== op) return stored(compose(p));
        const raw = literal(p);
        const lit = raw !== undefined && round ? Math.fround(raw) : raw;
        if (lit !== undefined && Number.isFinite(lit)) return new ParenthesisNode(new ConstantNode(lit));
        return new SymbolNode(externalSymbol(t));
      });
      // Inputs the formula ignores still shape the output (broadcast): keep them as inputs.
      const read = referencedInputs(op);
      op.inputs.forEach((t, i) => {
        if (!read.has(i) && literal(producer.get(t.key)) === undefined) externalSymbol(t);
      });
      return composed;
    };
    const formula = compose(root).toString();
    const vars = external.map((_t, j) => `in${j}`);
    const types = input.ops.filter((op) => group.has(op.id)).map((op) => op.type);
    const fused = cloneOp(root, external, {
      type: FUSED_TYPE,
      attrs: { formula, fused_ops: types },
      def: fusedDef(formula, vars, {
        ops: input.ops.filter((op) => group.has(op.id)),
        external: external.slice(),
      }),
    });
    for (const id of group) if (id !== root.id) absorbed.add(id);
    fusedAt.set(root.id, fused);
    groups++;
    members += group.size;
  }
  // Constants inlined as literals may now be unused.
  const ops = eliminateDeadOps(
    input.ops.filter((op) => !absorbed.has(op.id)).map((op) => fusedAt.get(op.id) ?? op),
    input,
  );
  return {
    ops,
    stat: {
      pass: 'elementwise-fusion',
      summary: `${groups} fused loops from ${members} elementwise ops`,
      removed: input.ops.length - ops.length,
    },
  };
}
