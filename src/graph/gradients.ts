import { InvalidArgumentError, UnimplementedError } from '../errors';
import { Operation, Tensor, TensorLike } from './tensor';
import { convertToTensor } from '../ops/op_def';
import { addN, onesLike, sumToShapeOf, zerosLike } from '../ops/array/broadcast';

export interface GradientsOptions {
  /** Seeds for `ys` (default: ones shaped like each y). */
  gradYs?: (TensorLike | null)[];
  /** Tensors treated as constants: no gradient flows through them. */
  stopGradients?: Tensor[];
  /** What an x unconnected to ys gets: `null` (default) or zeros. */
  unconnectedGradients?: 'none' | 'zero';
  /** Name scope for the gradient ops (default 'gradients'). */
  name?: string;
}

/**
 * Symbolic partial derivatives of `sum(ys)` with respect to each of `xs`, added to the graph as ordinary
 * ops under `gradients/…`. Returns one entry per x: a Tensor, or `null` when x does not affect ys.
 *
 * @example
 * const [dW, db] = tf.gradients(loss, [W, b]);
 * sess.run([dW, db], feeds);
 */
export function gradients(
  ys: Tensor | Tensor[],
  xs: Tensor | Tensor[],
  options: GradientsOptions = {},
): (Tensor | null)[] {
  const yList = Array.isArray(ys) ? ys : [ys];
  const xList = Array.isArray(xs) ? xs : [xs];
  if (yList.length === 0) throw new InvalidArgumentError('gradients: ys is empty');
  const graph = (yList[0] as Tensor).graph;
  const stopped = new Set((options.stopGradients ?? []).map((t) => t.key));

  return graph.nameScope(options.name ?? 'gradients', () => {
    const between = opsBetween(xList, yList, stopped);
    const pending = new Map<string, Tensor[]>();
    const add = (t: Tensor, g: Tensor): void => {
      const list = pending.get(t.key);
      if (list) list.push(g);
      else pending.set(t.key, [g]);
    };
    yList.forEach((y, i) => {
      const seed = options.gradYs?.[i];
      const g =
        seed === undefined || seed === null
          ? onesLike(y, `grad_ys_${i}`)
          : convertToTensor(seed, y.dtype, graph);
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

    for (const op of [...between].sort((a, b) => b.id - a.id)) {
      if (op.outputs.every((t) => stopped.has(t.key))) continue;
      const dys = op.outputs.map((t) => (stopped.has(t.key) ? null : total(t)));
      if (dys.every((d) => d === null)) continue;
      const rule = op.def.grad;
      if (rule === 'none') continue;
      if (rule === undefined) {
        throw new UnimplementedError(`No gradient defined for operation '${op.name}' (op type: ${op.type})`);
      }
      graph.nameScope(`${op.name}_grad`, () => {
        const dxs = rule(op, dys);
        op.inputs.forEach((input, i) => {
          const g = dxs[i];
          if (!g || input.dtype !== 'float32' || op.def.refInputs?.includes(i)) return;
          add(input, needsUnbroadcast(g, input) ? sumToShapeOf(g, input) : g);
        });
      });
    }

    return xList.map((x) => {
      const g = total(x);
      if (g) return g;
      return options.unconnectedGradients === 'zero' ? zerosLike(x) : null;
    });
  });
}

/** True unless both static shapes are fully known and equal. */
function needsUnbroadcast(g: Tensor, x: Tensor): boolean {
  if (g.shape === null || x.shape === null) return true;
  if (g.shape.length !== x.shape.length) return true;
  return !g.shape.every((d, i) => d !== null && d === x.shape?.[i]);
}

/** Ops on a data path from some x to some y (not through stopped tensors). */
function opsBetween(xs: Tensor[], ys: Tensor[], stopped: ReadonlySet<string>): Set<Operation> {
  const graph = (ys[0] as Tensor).graph;
  const fromX = new Set<string>(xs.map((x) => x.key));
  const reached = new Set<Operation>();
  const minId = Math.min(...xs.map((x) => x.op.id));
  for (const op of graph.getOperations()) {
    if (op.id < minId) continue;
    if (op.inputs.some((t) => fromX.has(t.key) && !stopped.has(t.key))) {
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
