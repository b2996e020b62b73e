/**
 * handtrack (@vladmandic/human@3.3.6) cannot run on tensorgraph yet: it is a TF2 detection model whose
 * post-processing `map` was converted into TF1 raw control flow (Enter/Exit/Merge/Switch/LoopCond/
 * NextIteration frames) over TensorList ops, which tensorgraph's importer does not map (its while loops
 * are functional: tf.whileLoop with TensorArrays). `tf.io.loadGraphModel` must say so in one clear error
 * that lists every such op type with nodes of that type, and leave the graph untouched.
 */
import * as tf from '../../src';
import { humanModelPath, readGraphModelFiles } from '../helpers/pretrained_models';

const RAW_CONTROL_FLOW = ['Enter', 'Exit', 'LoopCond', 'Merge', 'NextIteration', 'Switch'];
const TENSOR_LIST = [
  'TensorListFromTensor',
  'TensorListGetItem',
  'TensorListReserve',
  'TensorListSetItem',
  'TensorListStack',
];

test('handtrack: loadGraphModel lists the unsupported op types (raw control flow, TensorList ops) and their nodes', async () => {
  const path = humanModelPath('handtrack');
  const nodes = readGraphModelFiles(path).json.modelTopology.node;
  const graph = new tf.Graph();
  let message = '';
  try {
    await tf.io.loadGraphModel(path, { graph });
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toMatch(/not supported/);
  for (const op of [...RAW_CONTROL_FLOW, ...TENSOR_LIST]) {
    expect(message).toMatch(new RegExp(`\\b${op}\\b`));
    // At least one node of that type is named.
    const named = nodes.filter((n) => n.op === op).some((n) => message.includes(`'${n.name}'`));
    if (!named) throw new Error(`the error names no '${op}' node: ${message.slice(0, 300)}`);
  }
  // Ops the importer maps are not reported as unsupported.
  for (const op of ['Conv2D', 'DepthwiseConv2dNative', 'ConcatV2', 'Reshape', 'Sigmoid']) {
    expect(message).not.toMatch(new RegExp(`\\b${op} \\(`));
  }
  expect(graph.getOperations()).toHaveLength(0); // nothing half-imported
});
