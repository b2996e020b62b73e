import { InvalidArgumentError, UnimplementedError } from '../errors';
import { Operation, Tensor, TensorLike } from './tensor';
import { bindCall, INVALID, Kind, kinds, param } from './signature';
import { convertToTensor } from '../ops/op_def';
import { addN, onesLike, sumToShapeOf, zerosLike } from '../ops/array/broadcast';

/** TF1's `tf.AggregationMethod`: how gradient contributions to one tensor are summed. */
export const AggregationMethod = {
  ADD_N: 0,
  DEFAULT: 0,
  EXPERIMENTAL_TREE: 1,
  EXPERIMENTAL_ACCUMULATE_N: 2,
} as const;

/** Keyword options of `tf.gradients` (TF1's keyword names in camelCase). */
export interface GradientsOptions {
  /** Seeds for `ys` (default: ones shaped like each y). */
  gradYs?: TensorLike | (TensorLike | null)[] | null;
  /** Name scope for the gradient ops (default 'gradients'). */
  name?: string;
  /** Place each gradient op on the device of the forward op it differentiates (default: the enclosing `tf.device`). */
  colocateGradientsWithOps?: boolean;
  /** TF1's gating of gradient tuples (accepted; no effect on the values). */
  gateGradients?: boolean;
  /** `tf.AggregationMethod` (all sum the same terms; accepted). */
  aggregationMethod?: number | null;
  /** Tensors treated as constants: no gradient flows through them. */
  stopGradients?: Tensor | Tensor[] | null;
  /** What an x unconnected to ys gets: `null` (default) or zeros. */
  unconnectedGradients?: 'none' | 'zero';
}

const tensorOrList = (what: string): Kind<Tensor[]> => ({
  accepts: `a Tensor or a list of Tensors (${what})`,
  parse: (v) =>
    v instanceof Tensor
      ? [v]
      : Array.isArray(v) && v.every((t) => t instanceof Tensor)
        ? (v as Tensor[])
        : INVALID,
  sample: () => [],
});

const gradYsKind: Kind<(TensorLike | null)[] | null> = {
  accepts: 'a Tensor (or value) per y: a list as long as ys, with null for the default ones, or null',
  parse: (v) => {
    if (v === null) return null;
    if (v instanceof Tensor) return [v];
    if (Array.isArray(v)) return v as (TensorLike | null)[];
    return INVALID;
  },
  sample: () => null,
};

const gradientsSig = {
  fn: 'gradients',
  params: [
    param('ys', tensorOrList('the ys')),
    param('xs', tensorOrList('the xs')),
    param('gradYs', gradYsKind, { default: null }),
    param('name', kinds.name, { default: 'gradients' }),
    param('colocateGradientsWithOps', kinds.bool, { default: false }),
    param('gateGradients', kinds.bool, { default: false }),
    param(
      'aggregationMethod',
      kinds.custom<number | null>(
        'null or a tf.AggregationMethod (0 = ADD_N / DEFAULT, 1 = EXPERIMENTAL_TREE, 2 = EXPERIMENTAL_ACCUMULATE_N)',
        (v) => v === null || v === 0 || v === 1 || v === 2,
      ),
      { default: null },
    ),
    param('stopGradients', kinds.nullable(tensorOrList('tensors treated as constants')), { default: null }),
    param('unconnectedGradients', kinds.oneOf('none', 'zero'), { default: 'none' as 'none' | 'zero' }),
  ] as const,
};

/**
 * Symbolic partial derivatives of `sum(ys)` with respect to each of `xs`, added to the graph as ordinary
 * ops under `gradients/…`: TF1's `tf.gradients(ys, xs, grad_ys=None, name='gradients',
 * colocate_gradients_with_ops=False, gate_gradients=False, aggregation_method=None,
 * stop_gradients=None, unconnected_gradients='none')`, positionally or with keyword options. Returns
 * one entry per x: a Tensor, or `null` when x does not affect ys (zeros with
 * `unconnectedGradients: 'zero'`). `gradYs` seeds each y (default ones). `stopGradients` are treated as
 * constants: no gradient flows through them to their inputs, but a listed tensor that is also in `xs`
 * still gets its own gradient. `colocateGradientsWithOps: true` places the gradient ops of each op
 * (and the sum of its outputs' gradients) on that op's device (`op.device`), so a model split across
 * devices runs its backward pass split the same way; otherwise they get the enclosing `tf.device`.
 * `gateGradients` and `aggregationMethod` are TF1 performance hints: accepted, with no effect on the values.
 *
 * @example
 * const [dW, db] = tf.gradients(loss, [W, b]);
 * const [dx] = tf.gradients(y, [x], [dy]); // seeded with dy
 * sess.run([dW, db], feeds);
 */
export function gradients(
  ys: Tensor | Tensor[],
  xs: Tensor | Tensor[],
  gradYs?: TensorLike | (TensorLike | null)[] | GradientsOptions | null | string,
  ...rest: unknown[]
): (Tensor | null)[];
export function gradients(...args: unknown[]): (Tensor | null)[] {
  const a = bindCall(gradientsSig, args);
  const yList = a.ys;
  const xList = a.xs;
  if (yList.length === 0) throw new InvalidArgumentError('gradients: ys is empty');
  const graph = (yList[0] as Tensor).graph;
  if (a.gradYs !== null && a.gradYs.length !== yList.length) {
    throw new InvalidArgumentError(
      `Passed ${a.gradYs.length} grad_ys for ${yList.length} ys (gradients: gradYs needs one entry per y)`,
    );
  }
  // TF1: the ops producing `stopGradients` do not pass gradients on to their inputs.
  const stoppedOps = new Set((a.stopGradients ?? []).map((t) => t.op));

  return graph.nameScope(a.name, () => {
    const between = opsBetween(xList, yList, stoppedOps);
    const pending = new Map<string, Tensor[]>();
    const add = (t: Tensor, g: Tensor): void => {
      const list = pending.get(t.key);
      if (list) list.push(g);
      else pending.set(t.key, [g]);
    };
    yList.forEach((y, i) => {
      const seed = a.gradYs?.[i];
      let g: Tensor;
      if (seed === undefined || seed === null) g = onesLike(y, { name: `grad_ys_${i}` });
      else {
        g = convertToTensor(seed, y.dtype, graph);
        if (g.dtype !== y.dtype) {
          throw new InvalidArgumentError(
            `Gradient type ${g.dtype} generated for y ${y.name} does not match the dtype of y (${y.dtype}) (gradYs[${i}])`,
          );
        }
      }
      add(y, g);
    });

    const total = (t: Tensor): Tensor | null => {
      const list = pending.get(t.key);
      if (!list || list.length === 0) return null;
      if (list.length > 1) {
        const sum = addN(list);
        pending.set(t.key, [sum]);
        return sum;
      }
      return list[0] as Tensor;
    };

    for (const op of [...between].sort((p, q) => q.id - p.id)) {
      if (stoppedOps.has(op)) continue;
      // TF1's colocate_gradients_with_ops: the op's gradients (and their aggregation) go where it runs.
      const colocate = <T>(fn: () => T): T =>
        a.colocateGradientsWithOps ? graph.device(op.device, fn) : fn();
      const dys = colocate(() => op.outputs.map((t) => total(t)));
      if (dys.every((d) => d === null)) continue;
      const rule = op.def.grad;
      if (rule === 'none') continue;
      if (rule === undefined) {
        throw new UnimplementedError(`No gradient defined for operation '${op.name}' (op type: ${op.type})`);
      }
      colocate(() =>
        graph.nameScope(`${op.name}_grad`, () => {
          const dxs = rule(op, dys);
          op.inputs.forEach((input, i) => {
            const g = dxs[i];
            if (!g || input.dtype !== 'float32' || op.def.refInputs?.includes(i)) return;
            // A unary elementwise op's input gradient has the input's shape already (no broadcasting).
            const unary = op.def.elementwise !== undefined && op.inputs.length === 1;
            add(input, !unary && needsUnbroadcast(g, input) ? sumToShapeOf(g, input) : g);
          });
        }),
      );
    }

    return xList.map((x) => {
      const g = total(x);
      if (g) return g;
      return a.unconnectedGradients === 'zero' ? zerosLike(x) : null;
    });
  });
}

/** True unless both static shapes are fully known and equal. */
function needsUnbroadcast(g: Tensor, x: Tensor): boolean {
  if (g.shape === null || x.shape === null) return true;
  if (g.shape.length !== x.shape.length) return true;
  return !g.shape.every((d, i) => d !== null && d === x.shape?.[i]);
}

/** Ops on a data path from some x to some y (not through the stopped ops). */
function opsBetween(xs: Tensor[], ys: Tensor[], stopped: ReadonlySet<Operation>): Set<Operation> {
  const graph = (ys[0] as Tensor).graph;
  const fromX = new Set<string>(xs.map((x) => x.key));
  const reached = new Set<Operation>();
  const minId = Math.min(...xs.map((x) => x.op.id));
  for (const op of graph.getOperations()) {
    if (op.id < minId) continue;
    if (stopped.has(op)) continue;
    if (op.inputs.some((t) => fromX.has(t.key))) {
      reached.add(op);
      for (const o of op.outputs) fromX.add(o.key);
    }
  }
  const between = new Set<Operation>();
  const stack = ys.map((y) => y.op).filter((op) => reached.has(op));
  while (stack.length) {
    const op = stack.pop() as Operation;
    if (between.has(op)) continue;
    between.add(op);
    for (const t of op.inputs) if (reached.has(t.op)) stack.push(t.op);
  }
  return between;
}
