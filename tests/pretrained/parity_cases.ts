/**
 * The per-model parity check shared by the pretrained test files: the model loaded by @tensorflow/tfjs
 * (CPU backend) and by `tf.io.loadGraphModel`, run on the same seeded input in a tensorgraph Session
 * (made by `session`), every output within 1e-4 × max(1, max |tfjs output|) of tfjs's.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '../../src';
import {
  compareOutputs,
  expectParity,
  HumanModel,
  loadTensorgraph,
  loadTfjs,
  modelOps,
  runTensorgraph,
  runTfjs,
  seededInputs,
  worst,
} from '../helpers/pretrained_models';

export async function checkParity(
  name: HumanModel,
  backend: string,
  session: (graph: tf.Graph) => tf.Session,
  seed = 1234,
): Promise<void> {
  const ref = await loadTfjs(name);
  const inputs = seededInputs(ref, seed);
  let t0 = performance.now();
  const expected = await runTfjs(ref, inputs);
  const tfjsMs = performance.now() - t0;

  const m = await loadTensorgraph(name);
  expect(m.inputs.map((t) => t.dtype)).toEqual(
    ref.inputs.map((i) => (i.dtype === 'int32' ? 'int32' : 'float32')),
  );
  // The same output tensors as tfjs's, in tfjs's order (SPEC §7), named as the model's nodes.
  const tfjsNames = ref.outputNames.map((n) => (n.includes(':') ? n : `${n}:0`));
  expect(m.outputs.map((t) => t.name)).toEqual(tfjsNames);
  const sess = session(m.graph);
  try {
    t0 = performance.now();
    const ours = runTensorgraph(sess, m, inputs);
    const oursMs = performance.now() - t0;
    const diffs = compareOutputs(ours, expected, ref.outputNames);
    // One line per model and backend under test-output/ (the figures of the report).
    const dir = path.join(__dirname, '../../test-output/pretrained');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, `${name}-${backend}.json`),
      JSON.stringify(
        {
          name,
          backend,
          ops: modelOps(name),
          worst: worst(diffs),
          diffs,
          firstRunMs: { tensorgraph: oursMs, tfjsCpu: tfjsMs },
        },
        null,
        1,
      ),
    );
    expectParity(diffs, `${name} on ${backend}`);
  } finally {
    sess.close();
  }
}
