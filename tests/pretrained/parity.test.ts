/**
 * Pretrained models (issue 18): every TensorFlow.js graph model of @vladmandic/human@3.3.6 that runs in
 * a few seconds, imported with `tf.io.loadGraphModel` and run on the CPU backend, gives @tensorflow/tfjs's
 * outputs (CPU backend, same seeded input) to 1e-4 of the output scale. centernet (512×512, ~10 s in
 * tfjs) is in parity.slow.test.ts; handtrack is in unsupported.test.ts.
 */
import * as tf from '../../src';
import type { HumanModel } from '../helpers/pretrained_models';
import { checkParity } from './parity_cases';

const MODELS: HumanModel[] = [
  'antispoof',
  'blazeface',
  'emotion',
  'facemesh',
  'faceres',
  'handlandmark-lite',
  'iris',
  'liveness',
  'movenet-lightning',
];

describe.each(MODELS)('pretrained model %s', (name) => {
  test('CPU backend: the outputs of @tensorflow/tfjs to 1e-4 of the output scale', async () => {
    await checkParity(name, 'cpu', (graph) => new tf.Session({ graph }));
  });
});
