/**
 * Persistence: checkpoints (`Saver`, `latestCheckpoint`) and the JSON form of graphs
 * (`graphToJSON` behind `graph.toJSON()`, `importGraphDef`).
 */
export { Saver, latestCheckpoint, checkpointExists, CHECKPOINT_SUFFIX } from './saver';
export type { SaverOptions, SaveOptions, RestoreOptions, Saveable } from './saver';
export { DataLossError } from './checkpoint_format';
export { getCheckpointState } from './checkpoint_state';
export {
  CheckpointReader,
  loadCheckpoint,
  listVariables,
  loadVariable,
  NewCheckpointReader,
} from './checkpoint_utils';
export type { CheckpointState } from './checkpoint_state';
export { graphToJSON, importGraphDef } from './graph_json';
export type {
  ToJSONOptions,
  ImportGraphDefOptions,
  GraphJSON,
  NodeJSON,
  VariableDefJSON,
  AttrJSON,
  TensorJSON,
} from './graph_json';
export { crc32c, maskedCrc32c } from './crc32c';
