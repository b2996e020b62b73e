import type { DType } from '../../graph/dtype';
import { Dim, Shape } from '../../graph/shape';
import { Tensor, TensorLike } from '../../graph/tensor';
import { declare, kinds, param } from '../../graph/signature';
import { convertToTensor, defineOp, graphOf, InferContext } from '../op_def';
import { buildOp, intTensor, intValues, requireInt } from '../array/util';

/**
 * TF's non-maximum suppression (non_max_suppression_op.cc, as NonMaxSuppressionV5): greedy selection in
 * descending score order (ties: lower index first), hard suppression of boxes whose IOU with a selected
 * box is >= iou_threshold, and — with soft_nms_sigma > 0 — Gaussian score decay `exp(-0.5 * iou^2 /
 * sigma)` of the others, re-queued while above score_threshold. Arithmetic in float32, as TF's kernel.
 */
export interface NmsResult {
  indices: number[];
  scores: number[];
}

const f32 = Math.fround;

/** IOU of boxes i and j ([y1, x1, y2, x2], corners in any order); 0 when either has no area. */
function iou(b: ArrayLike<number>, i: number, j: number): number {
  const yi1 = Math.min(b[4 * i] as number, b[4 * i + 2] as number);
  const xi1 = Math.min(b[4 * i + 1] as number, b[4 * i + 3] as number);
  const yi2 = Math.max(b[4 * i] as number, b[4 * i + 2] as number);
  const xi2 = Math.max(b[4 * i + 1] as number, b[4 * i + 3] as number);
  const yj1 = Math.min(b[4 * j] as number, b[4 * j + 2] as number);
  const xj1 = Math.min(b[4 * j + 1] as number, b[4 * j + 3] as number);
  const yj2 = Math.max(b[4 * j] as number, b[4 * j + 2] as number);
  const xj2 = Math.max(b[4 * j + 1] as number, b[4 * j + 3] as number);
  const areaI = f32(f32(yi2 - yi1) * f32(xi2 - xi1));
  const areaJ = f32(f32(yj2 - yj1) * f32(xj2 - xj1));
  if (areaI <= 0 || areaJ <= 0) return 0;
  const ih = Math.max(f32(Math.min(yi2, yj2) - Math.max(yi1, yj1)), 0);
  const iw = Math.max(f32(Math.min(xi2, xj2) - Math.max(xi1, xj1)), 0);
  const inter = f32(ih * iw);
  return f32(inter / f32(f32(areaI + areaJ) - inter));
}

interface Candidate {
  index: number;
  score: number;
  suppressBegin: number;
}

/** Higher score first; equal scores: lower box index first. */
const before = (a: Candidate, b: Candidate): boolean =>
  a.score > b.score || (a.score === b.score && a.index < b.index);

/** A binary max-heap of candidates (TF's std::priority_queue with the same order). */
class Queue {
  private readonly items: Candidate[] = [];
  get size(): number {
    return this.items.length;
  }
  push(c: Candidate): void {
    const h = this.items;
    h.push(c);
    let k = h.length - 1;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (!before(h[k] as Candidate, h[p] as Candidate)) break;
      [h[k], h[p]] = [h[p] as Candidate, h[k] as Candidate];
      k = p;
    }
  }
  pop(): Candidate {
    const h = this.items;
    const top = h[0] as Candidate;
    const last = h.pop() as Candidate;
    if (h.length > 0) {
      h[0] = last;
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < h.length && before(h[l] as Candidate, h[m] as Candidate)) m = l;
        if (r < h.length && before(h[r] as Candidate, h[m] as Candidate)) m = r;
        if (m === k) break;
        [h[k], h[m]] = [h[m] as Candidate, h[k] as Candidate];
        k = m;
      }
    }
    return top;
  }
}

/** Runs TF's NMS on `boxes` ([n, 4] flat) and `scores` ([n]). */
export function nonMaxSuppressionRun(
  boxes: ArrayLike<number>,
  scores: ArrayLike<number>,
  maxOutputSize: number,
  iouThreshold: number,
  scoreThreshold: number,
  softNmsSigma: number,
): NmsResult {
  const thr = f32(iouThreshold);
  const sthr = f32(scoreThreshold);
  const scale = softNmsSigma > 0 ? f32(-0.5 / f32(softNmsSigma)) : 0;
  const weight = (sim: number): number => (sim <= thr ? f32(Math.exp(f32(f32(scale * sim) * sim))) : 0);
  const queue = new Queue();
  for (let i = 0; i < scores.length; i++) {
    const s = f32(scores[i] as number);
    if (s > sthr) queue.push({ index: i, score: s, suppressBegin: 0 });
  }
  const selected: number[] = [];
  const selectedScores: number[] = [];
  while (selected.length < maxOutputSize && queue.size > 0) {
    const next = queue.pop();
    const original = next.score;
    let hard = false;
    for (let j = selected.length - 1; j >= next.suppressBegin; j--) {
      const sim = iou(boxes, next.index, selected[j] as number);
      next.score = f32(next.score * weight(sim));
      if (sim >= thr) {
        hard = true;
        break;
      }
      if (next.score <= sthr) break;
    }
    next.suppressBegin = selected.length;
    if (hard) continue;
    if (next.score === original) {
      selected.push(next.index);
      selectedScores.push(next.score);
      continue;
    }
    if (next.score > sthr) queue.push(next);
  }
  return { indices: selected, scores: selectedScores };
}

function scalarInput(ctx: InferContext, i: number, what: string, dtype: DType): void {
  if (ctx.dtypes[i] !== dtype)
    ctx.fail(
      `Input '${what}' of '${ctx.type}' Op has type ${ctx.dtypes[i]} that does not match expected type of ${dtype === 'int32' ? 'int32' : 'float'}`,
    );
  const s = ctx.shapes[i] as Shape;
  if (s !== null && s.length !== 0) ctx.fail(`Shape must be rank 0 but is rank ${s.length}`);
}

function scalarValue(ctx: InferContext, i: number): number | undefined {
  const v = ctx.value(i);
  return v ? (v.data[0] as number) : undefined;
}

/**
 * NonMaxSuppressionV5(boxes [n,4], scores [n], max_output_size:int32, iou_threshold, score_threshold,
 * soft_nms_sigma; attr pad_to_max_output_size) → (selected_indices:int32 [m], selected_scores [m],
 * valid_outputs:int32 scalar). m is known at run time only, unless padding to max_output_size (zeros
 * fill the tail). Not differentiable (TF registers no gradient).
 */
defineOp({
  type: 'NonMaxSuppressionV5',
  defaultName: 'NonMaxSuppressionV5',
  infer: (ctx) => {
    const b = ctx.shapes[0] as Shape;
    const s = ctx.shapes[1] as Shape;
    for (const [i, what] of [
      [0, 'boxes'],
      [1, 'scores'],
    ] as const) {
      if (ctx.dtypes[i] !== 'float32')
        ctx.fail(
          `Value for attr 'T' of ${ctx.dtypes[i]} is not in the list of allowed values: float (input '${what}')`,
        );
    }
    if (b !== null && b.length !== 2) ctx.fail(`Shape must be rank 2 but is rank ${b.length}`);
    if (s !== null && s.length !== 1) ctx.fail(`Shape must be rank 1 but is rank ${s.length}`);
    if (b !== null && b[1] !== null && b[1] !== 4) ctx.fail(`Dimension must be 4 but is ${b[1]}`);
    const nb = b?.[0] ?? null;
    const ns = s?.[0] ?? null;
    if (nb !== null && ns !== null && nb !== ns)
      ctx.fail(`Dimensions must be equal, but are ${nb} and ${ns}`);
    requireInt(ctx, 2, 'max_output_size');
    scalarInput(ctx, 2, 'max_output_size', 'int32');
    scalarInput(ctx, 3, 'iou_threshold', 'float32');
    scalarInput(ctx, 4, 'score_threshold', 'float32');
    scalarInput(ctx, 5, 'soft_nms_sigma', 'float32');
    const max = intValues(ctx, 2)?.[0];
    const iouThr = scalarValue(ctx, 3);
    const sigma = scalarValue(ctx, 5);
    if (max !== undefined && max < 0) ctx.fail(`max_output_size must be non-negative, got ${max}`);
    if (iouThr !== undefined && !(iouThr >= 0 && iouThr <= 1)) ctx.fail('iou_threshold must be in [0, 1]');
    if (sigma !== undefined && !(sigma >= 0)) ctx.fail('soft_nms_sigma must be non negative');
    let m: Dim = null;
    if (ctx.attrs.pad_to_max_output_size === true) m = max ?? null;
    else if (ctx.runtime) {
      const boxes = ctx.value(0);
      const scores = ctx.value(1);
      const st = scalarValue(ctx, 4);
      if (
        boxes &&
        scores &&
        max !== undefined &&
        iouThr !== undefined &&
        st !== undefined &&
        sigma !== undefined
      )
        m = nonMaxSuppressionRun(boxes.data, scores.data, max, iouThr, st, sigma).indices.length;
    }
    return [
      { shape: [m], dtype: 'int32' },
      { shape: [m], dtype: 'float32' },
      { shape: [], dtype: 'int32' },
    ];
  },
  grad: 'none',
});

const f32Scalar = (x: TensorLike, g: ReturnType<typeof graphOf>): Tensor => convertToTensor(x, 'float32', g);

/** Builds the op; `scope` is TF's name scope of the wrappers (the op is named NonMaxSuppressionV5 in it). */
function buildNms(
  a: {
    boxes: TensorLike;
    scores: TensorLike;
    maxOutputSize: TensorLike;
    iouThreshold: TensorLike;
    scoreThreshold: TensorLike;
    softNmsSigma: TensorLike;
    pad: boolean;
  },
  name: string | undefined,
  scope: string | undefined,
): Tensor[] {
  const make = (opName: string | undefined): Tensor[] =>
    buildOp(
      'NonMaxSuppressionV5',
      'NonMaxSuppressionV5',
      opName,
      [a.boxes, a.scores, a.maxOutputSize],
      (g) => ({
        inputs: [
          convertToTensor(a.boxes, 'float32', g),
          convertToTensor(a.scores, 'float32', g),
          intTensor(a.maxOutputSize, 'max_output_size', g),
          f32Scalar(a.iouThreshold, g),
          f32Scalar(a.scoreThreshold, g),
          f32Scalar(a.softNmsSigma, g),
        ],
        attrs: { pad_to_max_output_size: a.pad },
      }),
    ).outputs.slice() as Tensor[];
  if (scope === undefined) return make(name);
  const g = graphOf([a.boxes, a.scores]);
  return g.asDefault(() => g.nameScope(name ?? scope, () => make(undefined)));
}

const thresholds = [
  param('boxes', kinds.tensor),
  param('scores', kinds.tensor),
  param('maxOutputSize', kinds.tensor),
  param('iouThreshold', kinds.tensor, { default: 0.5 as TensorLike }),
  param('scoreThreshold', kinds.tensor, { default: -Infinity as TensorLike }),
] as const;
const nameParam = param('name', kinds.name, { default: undefined as string | undefined });

/**
 * Greedily selects boxes in descending score order, dropping each box whose IOU with an already selected
 * box is at least `iouThreshold` (TF1's `tf.image.non_max_suppression(boxes, scores, max_output_size,
 * iou_threshold=0.5, score_threshold=float('-inf'), name=None)`). `boxes` is `[n, 4]` as `[y1, x1, y2,
 * x2]` (either diagonal pair of corners); boxes scoring at most `scoreThreshold` are never selected.
 * Returns the int32 indices of the selected boxes (at most `maxOutputSize`; the length is known at run
 * time), to use with `tf.gather`.
 *
 * @example
 * const keep = tf.image.nonMaxSuppression(boxes, scores, 10, 0.5);
 * const kept = tf.gather(boxes, keep);
 */
export const nonMaxSuppression = declare(
  'nonMaxSuppression',
  [...thresholds, nameParam] as const,
  (a): Tensor => {
    const [indices] = buildNms({ ...a, softNmsSigma: 0, pad: false }, a.name, 'non_max_suppression');
    return indices as Tensor;
  },
);

/**
 * Non-maximum suppression that also returns the selected boxes' scores, with optional Soft-NMS (TF1's
 * `tf.image.non_max_suppression_with_scores(boxes, scores, max_output_size, iou_threshold=0.5,
 * score_threshold=float('-inf'), soft_nms_sigma=0.0, name=None)`). With `softNmsSigma > 0`, overlapping
 * boxes are not dropped but their scores decay by `exp(-0.5 * iou^2 / softNmsSigma)` (Bodla et al.),
 * and the returned scores are the decayed ones. Returns `[selectedIndices, selectedScores]`.
 *
 * @example
 * const [idx, sc] = tf.image.nonMaxSuppressionWithScores(boxes, scores, 20, 1.0, 0.1, 0.5);
 */
export const nonMaxSuppressionWithScores = declare(
  'nonMaxSuppressionWithScores',
  [...thresholds, param('softNmsSigma', kinds.tensor, { default: 0 as TensorLike }), nameParam] as const,
  (a): [Tensor, Tensor] => {
    const [indices, scores] = buildNms({ ...a, pad: false }, a.name, 'non_max_suppression_with_scores');
    return [indices as Tensor, scores as Tensor];
  },
);

/**
 * The NonMaxSuppressionV5 primitive itself, as in a TensorFlow GraphDef (the importer builds it), with
 * TF's inputs in order and the `pad_to_max_output_size` attr: with padding, the outputs have length
 * `maxOutputSize` (zeros after the valid entries). Returns `[selectedIndices, selectedScores,
 * validOutputs]`.
 *
 * @example
 * const [idx, sc, n] = tf.image.nonMaxSuppressionV5(boxes, scores, 100, 0.5, 0.3, 0, true);
 */
export const nonMaxSuppressionV5 = declare(
  'nonMaxSuppressionV5',
  [
    param('boxes', kinds.tensor),
    param('scores', kinds.tensor),
    param('maxOutputSize', kinds.tensor),
    param('iouThreshold', kinds.tensor),
    param('scoreThreshold', kinds.tensor),
    param('softNmsSigma', kinds.tensor),
    param('padToMaxOutputSize', kinds.bool, { default: false }),
    nameParam,
  ] as const,
  (a): [Tensor, Tensor, Tensor] => {
    const [i, s, n] = buildNms({ ...a, pad: a.padToMaxOutputSize }, a.name, undefined);
    return [i as Tensor, s as Tensor, n as Tensor];
  },
);
