/**
 * Pretrained models on the GPU backend: the small models of @vladmandic/human@3.3.6 imported with
 * `tf.io.loadGraphModel` and run by the gpu.js backend (its best mode here, e.g. headless WebGL under
 * xvfb-run) give @tensorflow/tfjs's CPU outputs to 1e-4 of the output scale. The larger models run on
 * the GPU backend in parity.slow.test.ts.
 */
import { gpuSession, describeGpu, testedModes } from '../backends/gpujs/gpu_env';
import type { HumanModel } from '../helpers/pretrained_models';
import { checkParity } from './parity_cases';

const SMALL: HumanModel[] = ['liveness', 'emotion', 'antispoof', 'iris', 'blazeface'];

describeGpu(
  'pretrained models on the GPU backend',
  (mode) => {
    test.each(SMALL)('%s: the outputs of @tensorflow/tfjs to 1e-4 of the output scale', async (name) => {
      await checkParity(name, `gpu-${mode}`, (graph) => gpuSession(graph, mode));
    });
  },
  testedModes().slice(0, 1),
);
