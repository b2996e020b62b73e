// BlazeFace's output decoding for the `pretrained` tutorial, from the facts in @vladmandic/human's
// src/face/blazeface.ts and src/face/facemeshutil.ts (generateAnchors):
//
// - The package's blazeface.json takes one 256×256 RGB picture scaled to [-1, 1] (pixel / 127.5 − 1) and
//   has four outputs: per anchor a score logit ([1, 512, 1] and [1, 384, 1]) and 16 regressors
//   ([1, 512, 16] and [1, 384, 16]). Joined as human does, that is [896, 17]: the 512 anchors of the
//   stride-16 grid first, then the 384 of the stride-32 grid.
// - Anchors: for stride s in (inputSize/16, inputSize/8) = (16, 32) with (2, 6) anchors per cell, on a
//   ⌈inputSize/s⌉² grid, every anchor of a cell at the cell centre (s·(x + ½), s·(y + ½)): 16·16·2 + 8·8·6 =
//   896 anchors.
// - Regressors: (dx, dy) of the box centre from its anchor, the box width and height (pixels of the
//   input), then 6 keypoints (x, y) relative to the anchor (eyes, nose, mouth, ears).
// - Score: sigmoid(logit). Boxes then go through non-max suppression.

/** One detection, in pixels of the model input. */
export interface Detection {
  /** [x1, y1, x2, y2]. */
  box: [number, number, number, number];
  score: number;
  /** 6 keypoints [x, y]: right eye, left eye, nose, mouth, right ear, left ear (the person's sides). */
  keypoints: [number, number][];
  /** Row of the anchor in the 896-row table. */
  anchor: number;
}

/** BlazeFace's anchors (centres, pixels) for a square input of `inputSize` (256 here: 896 anchors). */
export function blazefaceAnchors(inputSize: number): [number, number][] {
  const spec = { strides: [inputSize / 16, inputSize / 8], anchors: [2, 6] };
  const anchors: [number, number][] = [];
  spec.strides.forEach((stride, i) => {
    const grid = Math.floor((inputSize + stride - 1) / stride);
    for (let gy = 0; gy < grid; gy++) {
      for (let gx = 0; gx < grid; gx++) {
        for (let n = 0; n < (spec.anchors[i] as number); n++)
          anchors.push([stride * (gx + 0.5), stride * (gy + 0.5)]);
      }
    }
  });
  return anchors;
}

/** A model output: its shape and values. */
export interface Output {
  shape: readonly number[];
  data: ArrayLike<number>;
}

/**
 * Joins BlazeFace's four outputs into one [896, 17] table as human does: sorted by size, the 512-anchor
 * score and regressors side by side, then the 384-anchor ones.
 */
export function joinOutputs(outputs: Output[]): Float32Array {
  if (outputs.length !== 4) throw new Error(`BlazeFace has 4 outputs, got ${outputs.length}`);
  const size = (o: Output): number => o.shape.reduce((a, b) => a * b, 1);
  const [s384, s512, r384, r512] = [...outputs].sort((a, b) => size(a) - size(b)) as [
    Output,
    Output,
    Output,
    Output,
  ];
  const rows = (score: Output, reg: Output): number[][] => {
    const n = score.shape[1] as number;
    if (size(score) !== n || size(reg) !== n * 16) throw new Error('unexpected BlazeFace output shapes');
    return Array.from({ length: n }, (_, i) => [
      score.data[i] as number,
      ...Array.from({ length: 16 }, (_, k) => reg.data[i * 16 + k] as number),
    ]);
  };
  const table = [...rows(s512, r512), ...rows(s384, r384)];
  return Float32Array.from(table.flat());
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Every anchor's decoded box and score (before non-max suppression). */
export function decodeAll(table: Float32Array, anchors: [number, number][]): Detection[] {
  if (table.length !== anchors.length * 17)
    throw new Error(`expected ${anchors.length}×17 values, got ${table.length}`);
  return anchors.map(([ax, ay], i) => {
    const r = table.subarray(i * 17, i * 17 + 17);
    const cx = ax + (r[1] as number);
    const cy = ay + (r[2] as number);
    const w = r[3] as number;
    const h = r[4] as number;
    const keypoints: [number, number][] = [];
    for (let k = 0; k < 6; k++)
      keypoints.push([ax + (r[5 + 2 * k] as number), ay + (r[6 + 2 * k] as number)]);
    return {
      box: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2],
      score: sigmoid(r[0] as number),
      keypoints,
      anchor: i,
    };
  });
}

/** Intersection over union of two [x1, y1, x2, y2] boxes (corners in any order, as TF's NMS). */
export function iou(a: readonly number[], b: readonly number[]): number {
  const [ax1, ax2] = [Math.min(a[0] as number, a[2] as number), Math.max(a[0] as number, a[2] as number)];
  const [ay1, ay2] = [Math.min(a[1] as number, a[3] as number), Math.max(a[1] as number, a[3] as number)];
  const [bx1, bx2] = [Math.min(b[0] as number, b[2] as number), Math.max(b[0] as number, b[2] as number)];
  const [by1, by2] = [Math.min(b[1] as number, b[3] as number), Math.max(b[1] as number, b[3] as number)];
  const inter =
    Math.max(0, Math.min(ax2, bx2) - Math.max(ax1, bx1)) *
    Math.max(0, Math.min(ay2, by2) - Math.max(ay1, by1));
  const union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Greedy non-max suppression (TF's NonMaxSuppressionV3 rule): highest score first, drop boxes whose IoU
 * with a kept box exceeds `iouThreshold`, ignore scores ≤ `scoreThreshold`; returns the kept indices.
 */
export function nonMaxSuppression(
  boxes: readonly (readonly number[])[],
  scores: readonly number[],
  maxOutputSize: number,
  iouThreshold: number,
  scoreThreshold: number,
): number[] {
  const order = scores
    .map((s, i) => [s, i] as const)
    .filter(([s]) => s > scoreThreshold)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const kept: number[] = [];
  for (const [, i] of order) {
    if (kept.length >= maxOutputSize) break;
    if (kept.every((k) => iou(boxes[k] as number[], boxes[i] as number[]) <= iouThreshold)) kept.push(i);
  }
  return kept;
}
