// The `tf.io` namespace: TensorFlow.js graph models and GraphDef protobuf encoding.
export { loadGraphModel, graphModelFromArtifacts, GraphModel, decodeWeights } from './graph_model';
export type {
  GraphModelJSON,
  GraphModelSignature,
  LoadGraphModelOptions,
  GraphModelInputs,
  WeightSpec,
  WeightsManifestGroup,
} from './graph_model';
export { encodeGraphDef } from './graph_def/proto';
export type { GraphDefJSON, NodeDefJSON, AttrValueJSON, TensorProtoJSON } from './graph_def/proto';
