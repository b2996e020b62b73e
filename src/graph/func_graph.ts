import { InvalidArgumentError } from '../errors';
import type { DType } from './dtype';
import { getDefaultGraph, Graph, NewOp } from './graph';
import type { Shape } from './shape';
import { Attrs, AttrValue, Operation, Tensor } from './tensor';
import { convertToTensor, getOpDef, makeOp } from '../ops/op_def';

/**
 * Function sub-graphs for functional control flow (TF2's FuncGraph): `tf.cond` branches and
 * `tf.whileLoop` conditions and bodies are traced into a separate graph whose placeholders stand for the
 * function's arguments. A tensor of an enclosing graph used inside is *captured*: replaced by a new
 * placeholder, and the outer tensor becomes an extra input of the control-flow op (`graphOf` in
 * op_def.ts sends ops built while a FuncGraph is the default into it; `addOp` below captures).
 *
 * The traced function is stored in the op's attrs as a `FuncDef` (plain data: nodes with their inputs
 * and attrs), so graph JSON export keeps it; kernels load it back into a graph (cached per FuncDef
 * object) and run it with the session's plan compiler and executor.
 */
export class FuncGraph extends Graph {
  /** Immediate-outer tensor → placeholder, in capture order. */
  private readonly captured = new Map<Tensor, Tensor>();
  /** Any enclosing graph's tensor → placeholder (a capture through several levels of nesting). */
  private readonly byTensor = new Map<Tensor, Tensor>();

  constructor(
    /** For messages: what the function is (`while/body`, `cond/true_branch`). */
    readonly funcName: string,
    private readonly outer: Graph,
  ) {
    super();
    this.seed = outer.seed;
  }

  override get outerGraph(): Graph {
    return this.outer;
  }

  /** Pairs `[outer tensor, placeholder]` of every capture so far, in capture order. */
  get captures(): [Tensor, Tensor][] {
    return [...this.captured];
  }

  /** The placeholder standing for `t` (a tensor of this graph or of an enclosing one), created on first use. */
  capture(t: Tensor): Tensor {
    if (t.graph === this) return t;
    const known = this.byTensor.get(t);
    if (known) return known;
    let outerT: Tensor;
    if (t.graph === this.outer) outerT = t;
    else if (this.outer instanceof FuncGraph && encloses(t.graph, this.outer)) outerT = this.outer.capture(t);
    else {
      throw new InvalidArgumentError(
        `Tensor ${t.name} must be from the same graph as the function '${this.funcName}' or from a graph enclosing it.`,
      );
    }
    let ph = this.captured.get(outerT);
    if (!ph) {
      const base = outerT.op.name.split('/').pop() ?? 'capture';
      ph = this.controlDependencies(null, () =>
        this.nameScope('', () => newPlaceholder(this, outerT.dtype, outerT.shape, base)),
      );
      this.captured.set(outerT, ph);
    }
    this.byTensor.set(t, ph);
    return ph;
  }

  /**
   * Captures foreign inputs, except the variable an assignment updates: that stays the enclosing graph's
   * variable, so the update runs on it each time the branch or iteration runs (the kernels share the
   * run's variable state). Refuses creating variables (their state would live in the sub-graph).
   */
  override addOp(spec: NewOp): Operation {
    if (spec.type === 'VariableV2') {
      throw new InvalidArgumentError(
        `Cannot create variable '${spec.name}' inside the function '${this.funcName}' (a tf.cond branch or tf.whileLoop body): create it before the control flow, or with tf.getVariable, which lifts variable creation out of control flow.`,
      );
    }
    const refs = spec.def.refInputs ?? [];
    for (const i of refs) {
      const ref = spec.inputs[i];
      if (ref && ref.graph !== this && !this.acceptsForeignInput(spec, i)) {
        throw new InvalidArgumentError(
          `Cannot update '${ref.name}' with '${spec.name}' (${spec.type}) inside the function '${this.funcName}': only a variable created outside the control flow can be updated inside it.`,
        );
      }
    }
    if (spec.inputs.every((t) => t.graph === this)) return super.addOp(spec);
    const inputs = spec.inputs.map((t, i) => (refs.includes(i) ? t : this.capture(t)));
    return super.addOp({ ...spec, inputs });
  }

  protected override acceptsForeignInput(spec: NewOp, i: number): boolean {
    const t = spec.inputs[i];
    return (
      t !== undefined &&
      (spec.def.refInputs ?? []).includes(i) &&
      t.op.type === 'VariableV2' &&
      encloses(t.graph, this)
    );
  }
}

function encloses(outer: Graph, g: Graph): boolean {
  for (let h: Graph | undefined = g; h; h = h.outerGraph) if (h === outer) return true;
  return false;
}

/** The outermost graph around `g` (where variables live). */
export function rootGraph(g: Graph = getDefaultGraph()): Graph {
  let h = g;
  while (h.outerGraph) h = h.outerGraph;
  return h;
}

function newPlaceholder(g: Graph, dtype: DType, shape: Shape, name: string): Tensor {
  return makeOp('Placeholder', [], { dtype, shape: shape === null ? null : shape.slice() }, name, g)
    .outputs[0] as Tensor;
}

/** One node of a FuncDef. */
export interface FuncDefNode {
  name: string;
  op: string;
  /** Tensor names (`op:index`) inside the function. */
  inputs: string[];
  /** Names of control-input ops inside the function. */
  control: string[];
  attrs: Attrs;
}

/** A traced function as plain data (an attr value): its nodes, argument placeholders and results. */
export interface FuncDef {
  name: string;
  /** Op names of the argument placeholders, in argument order. */
  inputs: string[];
  /** Tensor names of the results. */
  outputs: string[];
  nodes: FuncDefNode[];
}

/** A FuncDef loaded as a graph: its argument placeholders and result tensors. */
export interface LoadedFunc {
  graph: Graph;
  inputs: Tensor[];
  outputs: Tensor[];
}

const loaded = new WeakMap<FuncDef, LoadedFunc>();

/** Stores `fg` as a FuncDef with the given argument placeholders and results (all of `fg`). */
export function toFuncDef(fg: Graph, name: string, inputs: Tensor[], outputs: Tensor[]): FuncDef {
  for (const t of [...inputs, ...outputs]) {
    if (t.graph !== fg) throw new Error(`internal: ${t.name} is not in function ${name}`);
  }
  const def: FuncDef = {
    name,
    inputs: inputs.map((t) => t.op.name),
    outputs: outputs.map((t) => t.name),
    nodes: fg.getOperations().map((op) => ({
      name: op.name,
      op: op.type,
      inputs: op.inputs.map((t) => t.name),
      control: op.controlInputs.map((c) => c.name),
      attrs: { ...op.attrs },
    })),
  };
  loaded.set(def, { graph: fg, inputs: inputs.slice(), outputs: outputs.slice() });
  return def;
}

/** The FuncDef in attr `key` of `op` (as written by `toFuncDef`). */
export function funcAttr(attrs: Readonly<Attrs>, key: string): FuncDef {
  const v = attrs[key] as unknown;
  const d = v as FuncDef | undefined;
  if (
    !d ||
    typeof d !== 'object' ||
    !Array.isArray(d.nodes) ||
    !Array.isArray(d.inputs) ||
    !Array.isArray(d.outputs)
  ) {
    throw new InvalidArgumentError(`Attr '${key}' is not a function definition`);
  }
  return d;
}

/** A FuncDef as an attr value. */
export function funcAttrValue(def: FuncDef): AttrValue {
  return def as unknown as AttrValue;
}

/**
 * The graph of a FuncDef: the traced graph itself when it was built in this process, else rebuilt from
 * the data (e.g. after graph JSON import) through `makeOp`, so only registered op types are created.
 */
export function loadFunc(def: FuncDef): LoadedFunc {
  const hit = loaded.get(def);
  if (hit) return hit;
  const g = new Graph();
  g.asDefault(() => {
    for (const node of def.nodes) {
      const inputs = node.inputs.map((n) => g.getTensorByName(n));
      const controlInputs = node.control.map((n) => g.getOperationByName(n));
      makeOp(node.op, inputs, node.attrs, undefined, g, { exactName: node.name, controlInputs });
    }
  });
  const fn: LoadedFunc = {
    graph: g,
    inputs: def.inputs.map((n) => g.getTensorByName(n)),
    outputs: def.outputs.map((n) => g.getTensorByName(n)),
  };
  for (const t of fn.inputs) {
    if (t.op.type !== 'Placeholder')
      throw new InvalidArgumentError(`Function ${def.name}: argument ${t.name} is not a placeholder`);
  }
  loaded.set(def, fn);
  return fn;
}

/**
 * Replays a function's nodes into the default graph with `args` in place of its argument placeholders
 * (used to differentiate through control flow: the gradient function recomputes the forward one).
 * Returns the tensors standing for its results.
 */
export function inlineFunc(
  def: FuncDef,
  args: readonly Tensor[],
  wanted?: readonly number[],
  /** Tensors (by name in `def`) to take as given instead of recomputing their nodes: recorded values. */
  given?: ReadonlyMap<string, Tensor>,
): Tensor[] {
  const g = getDefaultGraph();
  const map = new Map<string, Tensor>(given);
  const ops = new Map<string, Operation>();
  def.inputs.forEach((name, i) => map.set(`${name}:0`, args[i] as Tensor));
  const argNames = new Set(def.inputs);
  const needed = wanted ? dataAncestors(def, wanted, given) : undefined;
  for (const node of def.nodes) {
    if (argNames.has(node.name) || (needed && !needed.has(node.name))) continue;
    if (given && given.has(`${node.name}:0`)) continue;
    const inputs = node.inputs.map((n) => {
      const t = map.get(n);
      if (!t) throw new Error(`internal: input ${n} of ${node.name} missing while inlining ${def.name}`);
      return t;
    });
    const controlInputs = node.control.flatMap((n) => {
      const c = ops.get(n);
      return c ? [c] : [];
    });
    const base = node.name.split('/').pop() ?? node.op;
    const op = makeOp(node.op, inputs, node.attrs, base.replace(/_\d+$/, ''), g, { controlInputs });
    ops.set(node.name, op);
    op.outputs.forEach((t, i) => map.set(`${node.name}:${i}`, t));
  }
  return def.outputs.map((n, i) => {
    if (wanted && !wanted.includes(i)) return undefined as unknown as Tensor;
    const t = map.get(n);
    if (!t) throw new Error(`internal: output ${n} missing while inlining ${def.name}`);
    return t;
  });
}

/**
 * Names of the nodes that results `wanted` of `def` are computed from, following data inputs only: a
 * node that a result merely waits for (a control input, such as a variable update) is not among them.
 */
export function dataAncestors(
  def: FuncDef,
  wanted: readonly number[],
  given?: ReadonlyMap<string, Tensor>,
): Set<string> {
  const byName = new Map(def.nodes.map((n) => [n.name, n]));
  const seen = new Set<string>();
  const stack = wanted.map((i) => opNameOf(def.outputs[i] as string));
  while (stack.length) {
    const name = stack.pop() as string;
    if (seen.has(name)) continue;
    const node = byName.get(name);
    if (!node) continue; // a variable of an enclosing graph (an assignment's target)
    seen.add(name);
    if (given?.has(`${name}:0`)) continue; // a recorded value: its inputs are not needed
    for (const input of node.inputs) stack.push(opNameOf(input));
  }
  return seen;
}

/**
 * What a gradient must do about the stateful nodes that results `wanted` of `def` are computed from:
 * `record` — the output tensors (by name) of top-level stateful nodes (random draws, assignments),
 * whose forward values the gradient takes as given instead of drawing or assigning again; `nested` —
 * op types of stateful nodes inside nested control flow among them, which cannot be recorded.
 */
export function statefulToRecord(
  def: FuncDef,
  wanted: readonly number[],
): { record: { name: string; dtype: DType; shape: Shape }[]; nested: string[] } {
  const fn = loadFunc(def);
  const record: { name: string; dtype: DType; shape: Shape }[] = [];
  const nested: string[] = [];
  const needed = dataAncestors(def, wanted);
  for (const node of def.nodes) {
    if (!needed.has(node.name)) continue;
    const funcs = (Object.values(node.attrs) as unknown[]).filter(isFuncDef);
    if (funcs.length) {
      for (const f of funcs) nested.push(...statefulOps(f));
    } else if (getOpDef(node.op).stateful) {
      for (const t of fn.graph.getOperationByName(node.name).outputs)
        record.push({ name: t.name, dtype: t.dtype, shape: t.shape === null ? null : t.shape.slice() });
    }
  }
  return { record, nested };
}

function opNameOf(tensorName: string): string {
  const colon = tensorName.lastIndexOf(':');
  return colon < 0 ? tensorName : tensorName.slice(0, colon);
}

/**
 * Op types of stateful nodes in a function, including nested functions (random ops, assignments); with
 * `wanted`, only among the nodes those results are computed from (see `dataAncestors`).
 */
export function statefulOps(def: FuncDef, wanted?: readonly number[]): string[] {
  const found: string[] = [];
  const needed = wanted ? dataAncestors(def, wanted) : undefined;
  const visit = (d: FuncDef, top: boolean): void => {
    for (const node of d.nodes) {
      if (top && needed && !needed.has(node.name)) continue;
      const funcs = (Object.values(node.attrs) as unknown[]).filter(isFuncDef);
      // Control-flow ops are marked stateful conservatively: look inside them instead.
      if (funcs.length) funcs.forEach((f) => visit(f, false));
      else if (getOpDef(node.op).stateful) found.push(node.op);
    }
  };
  visit(def, true);
  return found;
}

function isFuncDef(v: unknown): v is FuncDef {
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray((v as FuncDef).nodes) &&
    Array.isArray((v as FuncDef).inputs)
  );
}

/** A placeholder argument of a function being traced. */
export interface ArgSpec {
  dtype: DType;
  shape: Shape;
  name: string;
}

/** Traces `fn` into a new FuncGraph enclosed by `outer` (default: the default graph), one placeholder per `args`. */
export function traceFunc<R>(
  funcName: string,
  args: readonly ArgSpec[],
  fn: (...xs: Tensor[]) => R,
  outer: Graph = getDefaultGraph(),
): { graph: FuncGraph; inputs: Tensor[]; result: R } {
  const graph = new FuncGraph(funcName, outer);
  return graph.asDefault(() => {
    const inputs = args.map((a) => newPlaceholder(graph, a.dtype, a.shape, a.name));
    const result = fn(...inputs);
    return { graph, inputs, result };
  });
}

/** A function's result as a tensor of `fg`: foreign tensors are captured, plain values become constants. */
export function resultIn(fg: FuncGraph, x: unknown, dtypeHint?: DType): Tensor {
  if (x instanceof Tensor) return fg.capture(x);
  if (x === undefined || x === null) {
    throw new InvalidArgumentError(`The function '${fg.funcName}' must return tensors, got ${String(x)}`);
  }
  return fg.asDefault(() => convertToTensor(x as Parameters<typeof convertToTensor>[0], dtypeHint, fg));
}

/**
 * Makes sibling functions (cond's branches, a loop's cond and body) take the same captured arguments:
 * returns the union of their captured outer tensors and, per function, its placeholders for them.
 */
export function unifyCaptures(graphs: readonly FuncGraph[]): { outer: Tensor[]; perGraph: Tensor[][] } {
  const outer: Tensor[] = [];
  for (const g of graphs) for (const [t] of g.captures) if (!outer.includes(t)) outer.push(t);
  return { outer, perGraph: graphs.map((g) => outer.map((t) => g.capture(t))) };
}
