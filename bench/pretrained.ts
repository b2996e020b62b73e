/**
 * The pretrained-model rows of `npm run bench`: inference (one picture, outputs read back) of two
 * TensorFlow.js graph models from @vladmandic/human@3.3.6 (fetched once into .cache/pretrained/, see
 * tutorials/pretrained_models.ts), loaded by tensorgraph's `tf.io.loadGraphModel` and by
 * @tensorflow/tfjs's `loadGraphModel` (CPU and WASM backends) from the same files:
 *
 * - `blazeface`: BlazeFace, 256×256×3 (the `pretrained` tutorial's model);
 * - `handlandmark`: HandLandmark-lite, 224×224×3 — a MobileNetV2-style network (inverted residual
 *   blocks: 1×1 Conv2D, depthwise 3×3, ReLU6, residual adds). It stands in for the nsfwjs MobileNetV2 of
 *   the issue: nsfwjs's npm package ships its MobileNetV2 only as a uint8-quantized Keras *layers* model
 *   (wrapped in .min.js bundles), not as a graph model.
 *
 * Every framework gets the same seeded input picture.
 */
import type { Framework, Workload } from './common';
import { uniform } from './common';
import type { Prepared } from './tensorgraph';

export const PRETRAINED_WORKLOADS = ['blazeface', 'handlandmark'] as const;
export type PretrainedWorkload = (typeof PRETRAINED_WORKLOADS)[number];

export const PRETRAINED_LABELS: Record<PretrainedWorkload, string> = {
  blazeface: 'BlazeFace inference 256×256 (ms)',
  handlandmark: 'HandLandmark-lite (MobileNetV2-style) inference 224×224 (ms)',
};

const MODELS = {
  blazeface: { file: 'blazeface', shape: [1, 256, 256, 3] },
  handlandmark: { file: 'handlandmark-lite', shape: [1, 224, 224, 3] },
} as const;

export function isPretrainedWorkload(w: string): w is PretrainedWorkload {
  return (PRETRAINED_WORKLOADS as readonly string[]).includes(w);
}

/**
 * Loads the model into `framework` and returns the timed step (one inference, outputs read back) and
 * the thread count used.
 */
export async function preparePretrained(
  framework: Framework,
  workload: Workload,
  threads: number,
): Promise<{ prepared: Prepared; threads: number; note?: string }> {
  if (!isPretrainedWorkload(workload)) throw new Error(`not a pretrained workload: ${workload}`);
  const { humanModelPath, loadTfjsGraphModel } = await import('../tutorials/pretrained_models');
  const spec = MODELS[workload];
  const modelPath = humanModelPath(spec.file);
  const shape: number[] = [...spec.shape];
  const input = uniform(
    shape.reduce((a, b) => a * b, 1),
    7,
    -1,
    1,
  );
  if (framework === 'tensorgraph') {
    process.env.TENSORGRAPH_THREADS = String(threads);
    const tf = await import('../src');
    const { kernelInfo, warmUpWorkers } = await import('../src/backends/cpu/wasm');
    const { loadGraphModelInto } = await import('../tutorials/pretrained');
    const graph = new tf.Graph();
    const model = await loadGraphModelInto(graph, modelPath);
    const sess = new tf.Session({ graph });
    const feed = new Map([[model.inputs[0] as import('../src').Tensor, tf.ndarray(input, shape, 'float32')]]);
    if (threads > 1) warmUpWorkers();
    return { prepared: { step: () => void sess.run(model.outputs, feed) }, threads, note: kernelInfo() };
  }
  const { initTfjs } = await import('./tfjs');
  const used = await initTfjs(framework === 'tfjs-wasm' ? 'wasm' : 'cpu', threads);
  const tfjs = await import('@tensorflow/tfjs');
  const model = await loadTfjsGraphModel(tfjs, modelPath);
  const x = tfjs.tensor(input, shape);
  return {
    prepared: {
      step: () => {
        const outs = model.execute(x) as
          import('@tensorflow/tfjs').Tensor[] | import('@tensorflow/tfjs').Tensor;
        const list = Array.isArray(outs) ? outs : [outs];
        for (const o of list) o.dataSync();
        tfjs.dispose(list);
      },
    },
    threads: used,
  };
}
