import * as fs from 'fs';
import * as tfjs from '@tensorflow/tfjs';
import { drawFace } from '../../tutorials/pretrained_face';
import { INPUT_SIZE, NMS, run, toInput } from '../../tutorials/pretrained';
import { humanModelPath, loadTfjsGraphModel } from '../../tutorials/pretrained_models';
import { tempOutDir } from './helpers';

/**
 * BlazeFace decoded independently of the tutorial's code, from @vladmandic/human's recipe with tfjs ops:
 * outputs joined by size, 896 anchors (16×16 cells × 2 at stride 16, then 8×8 cells × 6 at stride 32),
 * centre = anchor + (dx, dy), box = centre ± (w, h) / 2, score = sigmoid(logit), tfjs's own
 * tf.image.nonMaxSuppression.
 */
async function tfjsReference(): Promise<{ boxes: number[][]; scores: number[] }> {
  await tfjs.setBackend('cpu');
  const model = await loadTfjsGraphModel(tfjs, humanModelPath('blazeface'));
  const x = tfjs.tensor(toInput(drawFace(INPUT_SIZE)), [1, INPUT_SIZE, INPUT_SIZE, 3]);
  const outs = (model.execute(x) as tfjs.Tensor[]).sort((a, b) => a.size - b.size);
  const [s384, s512, r384, r512] = outs as [tfjs.Tensor, tfjs.Tensor, tfjs.Tensor, tfjs.Tensor];
  const batch = tfjs.squeeze(
    tfjs.concat([tfjs.concat([s512, r512], 2), tfjs.concat([s384, r384], 2)], 1),
    [0],
  );
  const anchorList: number[][] = [];
  for (const [grid, stride, per] of [
    [16, 16, 2],
    [8, 32, 6],
  ] as const) {
    for (let y = 0; y < grid; y++) {
      for (let xx = 0; xx < grid; xx++)
        for (let k = 0; k < per; k++) anchorList.push([(xx + 0.5) * stride, (y + 0.5) * stride]);
    }
  }
  expect(anchorList).toHaveLength(896);
  const anchors = tfjs.tensor2d(anchorList);
  const centers = tfjs.add(tfjs.slice(batch, [0, 1], [-1, 2]), anchors);
  const half = tfjs.div(tfjs.slice(batch, [0, 3], [-1, 2]), 2);
  const boxes = tfjs.concat([tfjs.sub(centers, half), tfjs.add(centers, half)], 1) as tfjs.Tensor2D;
  const scores = tfjs.squeeze(tfjs.sigmoid(tfjs.slice(batch, [0, 0], [-1, 1]))) as tfjs.Tensor1D;
  const keep = tfjs.image.nonMaxSuppression(
    boxes,
    scores,
    NMS.maxOutputSize,
    NMS.iouThreshold,
    NMS.scoreThreshold,
  );
  const idx = Array.from(keep.dataSync());
  const b = boxes.arraySync();
  const s = Array.from(scores.dataSync());
  return { boxes: idx.map((i) => b[i] as number[]), scores: idx.map((i) => s[i] as number) };
}

describe('tutorial: pretrained (BlazeFace)', () => {
  test('finds the drawn face; boxes and scores agree with tfjs decoded independently; SVG written', async () => {
    const out = tempOutDir();
    const lines: string[] = [];
    const r = await run({ steps: 1, outDir: out, log: (l) => lines.push(l) });
    expect(r.runs).toBe(1);
    // The model finds the one face, where it was drawn.
    expect(r.faces).toBe(1);
    expect(r.score).toBeGreaterThan(0.6);
    expect(r.faceIou).toBeGreaterThan(0.6);
    // Raw outputs: tfjs's to 1e-4 of the output scale.
    expect(r.maxDiff).toBeLessThanOrEqual(1e-4 * Math.max(1, r.outputScale));
    // Decoded detections: the same as tfjs's outputs decoded with tfjs's ops and tfjs's NMS.
    const ref = await tfjsReference();
    expect(r.detections.map((d) => d.box.length)).toEqual(ref.boxes.map(() => 4));
    r.detections.forEach((d, i) => {
      d.box.forEach((v, k) => expect(Math.abs(v - (ref.boxes[i]?.[k] as number))).toBeLessThan(1e-3));
      expect(Math.abs(d.score - (ref.scores[i] as number))).toBeLessThan(1e-5);
    });
    expect(r.tfjsDetections.map((d) => d.anchor)).toEqual(r.detections.map((d) => d.anchor));
    // Timings printed for the three frameworks.
    expect(r.ms).toBeGreaterThan(0);
    expect(r.tfjsCpuMs).toBeGreaterThan(0);
    expect(lines.some((l) => l.startsWith('  tfjs-cpu'))).toBe(true);
    // The picture with its box and keypoints.
    const svg = fs.readFileSync(r.plot as string, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<image ');
    expect(svg).toContain('data:image/png;base64,iVBORw0KGgo');
    expect((svg.match(/<rect /g) ?? []).length).toBe(1);
    expect((svg.match(/<circle /g) ?? []).length).toBe(6);
    expect(svg).not.toContain('NaN');
    expect(r.opTypes).toEqual(
      expect.arrayContaining(['DepthwiseConv2dNative', '_FusedConv2D', 'Pad', 'MaxPool']),
    );
  });
});
