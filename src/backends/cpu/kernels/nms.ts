// CPU kernel of NonMaxSuppressionV5 (tf.image.nonMaxSuppression*), registered on import.
import { registerKernel } from '../../backend';
import { NDArray } from '../../../ndarray';
import { nonMaxSuppressionRun } from '../../../ops/image/nms';

registerKernel('cpu', 'NonMaxSuppressionV5', ([boxes, scores, max, iou, scoreThr, sigma], ctx) => {
  const scalar = (x: NDArray | undefined): number => (x as NDArray).data[0] as number;
  const res = nonMaxSuppressionRun(
    (boxes as NDArray).data,
    (scores as NDArray).data,
    scalar(max),
    scalar(iou),
    scalar(scoreThr),
    scalar(sigma),
  );
  const m = (ctx.outputs[0] as { shape: number[] }).shape[0] as number;
  const idx = ctx.alloc('int32', m);
  const sc = ctx.alloc('float32', m);
  // Padded to max_output_size: the tail stays zero.
  res.indices.forEach((v, k) => (idx[k] = v));
  res.scores.forEach((v, k) => (sc[k] = v));
  const valid = ctx.alloc('int32', 1);
  valid[0] = res.indices.length;
  return [new NDArray(idx, [m], 'int32'), new NDArray(sc, [m], 'float32'), new NDArray(valid, [], 'int32')];
});
