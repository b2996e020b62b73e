import { InvalidArgumentError } from '../../errors';
import { getDefaultGraph } from '../../graph/graph';
import { Tensor, TensorLike } from '../../graph/tensor';
import { addN } from '../array/broadcast';
import { identity } from '../control/basic';
import { add, divide, minimum, multiply, square, subtract } from '../math/builders';
import { convertToTensor, makeOp } from '../op_def';
import { reduceSum } from '../reduce';
import { declare, kinds, param } from '../../graph/signature';

/** A list of Tensors, where `null` entries (no gradient) are allowed. */
const tensorList = kinds.custom<(Tensor | null)[]>(
  'a list of Tensors (null entries allowed)',
  (v) => Array.isArray(v) && v.every((t) => t === null || t === undefined || t instanceof Tensor),
  () => [],
);
const nameParam = param('name', kinds.name, { default: undefined as string | undefined });

export interface ClipByGlobalNormOptions {
  /** The global norm to use instead of computing it (e.g. one computed earlier). */
  useNorm?: TensorLike;
  /** Name scope (default `clip_by_global_norm`). */
  name?: string;
}

/**
 * The L2 norm of all the tensors together, `sqrt(Σ_t Σ t²)`; `null` entries are skipped (TF1's
 * `global_norm`).
 *
 * @example
 * const norm = tf.globalNorm(grads.map(([g]) => g));
 */
export const globalNorm = declare(
  'globalNorm',
  [param('tList', tensorList), nameParam] as const,
  (a): Tensor => globalNormOf(a.tList, a.name),
);

function globalNormOf(tList: (Tensor | null)[], name?: string): Tensor {
  if (!Array.isArray(tList)) throw new InvalidArgumentError('t_list should be a sequence');
  const present = tList.filter((t): t is Tensor => t !== null && t !== undefined);
  if (present.length === 0) throw new InvalidArgumentError('globalNorm: t_list has no tensors');
  for (const t of present) {
    if (!(t instanceof Tensor)) throw new InvalidArgumentError(`globalNorm: ${String(t)} is not a Tensor`);
    if (t.dtype !== 'float32')
      throw new InvalidArgumentError(`globalNorm: ${t.name} has dtype ${t.dtype}, expected float32`);
  }
  const graph = (present[0] as Tensor).graph;
  return graph.asDefault(() =>
    graph.nameScope(name ?? 'global_norm', () => {
      const scope = graph.currentScope;
      const squares = present.map((t) => reduceSum(square(t)));
      const total = addN(squares);
      return makeOp('Sqrt', [total], {}, undefined, graph, { exactName: `${scope}/global_norm` })
        .outputs[0] as Tensor;
    }),
  );
}

/**
 * Rescales a list of tensors (typically gradients) so that their global L2 norm is at most `clipNorm`:
 * `t · clipNorm / max(globalNorm, clipNorm)`, TF1's `clip_by_global_norm`. Returns the clipped list
 * (`null` entries stay `null`) and the global norm before clipping. A NaN or infinite norm makes every
 * clipped value NaN, as in TF1.
 *
 * @example
 * const gv = opt.computeGradients(loss);
 * const [clipped, norm] = tf.clipByGlobalNorm(gv.map(([g]) => g), 5);
 * const train = opt.applyGradients(gv.map(([, v], i) => [clipped[i] ?? null, v]));
 */
export const clipByGlobalNorm = declare(
  'clipByGlobalNorm',
  [
    param('tList', tensorList),
    param('clipNorm', kinds.tensor),
    param('useNorm', kinds.nullable(kinds.tensor), { default: null }),
    nameParam,
  ] as const,
  (a): [(Tensor | null)[], Tensor] =>
    clipByGlobalNormOf(a.tList, a.clipNorm as TensorLike, {
      ...(a.useNorm === null ? {} : { useNorm: a.useNorm as TensorLike }),
      ...(a.name === undefined ? {} : { name: a.name }),
    }),
);

function clipByGlobalNormOf(
  tList: (Tensor | null)[],
  clipNorm: TensorLike,
  o: ClipByGlobalNormOptions,
): [(Tensor | null)[], Tensor] {
  const first = tList.find((t): t is Tensor => t instanceof Tensor);
  const graph = first?.graph ?? getDefaultGraph();
  return graph.asDefault(() => {
    const norm =
      o.useNorm === undefined ? globalNormOf(tList, o.name) : convertToTensor(o.useNorm, 'float32', graph);
    const clipped = graph.nameScope(o.name ?? 'clip_by_global_norm', () => {
      const clip = convertToTensor(clipNorm, 'float32', graph);
      if (clip.shape !== null && clip.shape.length !== 0) {
        throw new InvalidArgumentError(
          `clipByGlobalNorm: clip_norm must be a scalar, got shape [${clip.shape.join(',')}]`,
        );
      }
      // TF1: clip · min(1/norm, 1/clip) (= clip / max(norm, clip)), plus (norm − norm) so that an
      // infinite or NaN norm yields NaN rather than silently zeroing the values.
      const scaleForFinite = multiply(clip, minimum(divide(1, norm), divide(1, clip)));
      const scale = add(scaleForFinite, subtract(norm, norm));
      return tList.map((t, i) =>
        t === null || t === undefined ? null : identity(multiply(t, scale), `_${i}`),
      );
    });
    return [clipped, norm];
  });
}
