// TF1's checkpoint inspection (training/checkpoint_utils.py and pywrap_tensorflow.NewCheckpointReader):
// tf.train.list_variables, load_variable, load_checkpoint and NewCheckpointReader, over tensorgraph's
// checkpoint files.
import { fs } from '../platform';
import { InvalidArgumentError, NotFoundError } from '../errors';
import { DType } from '../graph/dtype';
import { declare, declareConstructor, bindCall, kinds, param } from '../graph/signature';
import type { NDArray } from '../ndarray';
import type { DecodedCheckpoint } from './checkpoint_format';
import { latestCheckpoint, readCheckpoint } from './saver';

const READER_PARAMS = [param('filepattern', kinds.string)] as const;
const READER_SIG = declareConstructor(
  'CheckpointReader',
  READER_PARAMS,
  (...args: unknown[]) => new CheckpointReader(...(args as [string])),
);

/**
 * Reads the tensors of one checkpoint (TF1's `CheckpointReader`, from `tf.train.load_checkpoint` or
 * `tf.train.NewCheckpointReader(filepattern)`): names, shapes, dtypes and values.
 *
 * @example
 * const reader = tf.train.loadCheckpoint('logs');
 * reader.getVariableToShapeMap(); // { 'hidden1/weights': [784, 128], … }
 * reader.getTensor('hidden1/biases');
 */
export class CheckpointReader {
  private readonly ckpt: DecodedCheckpoint;
  /** The checkpoint prefix read. */
  readonly prefix: string;

  constructor(filepattern: string, ...rest: unknown[]) {
    const a = bindCall(READER_SIG, [filepattern, ...rest]);
    this.prefix = a.filepattern;
    this.ckpt = readCheckpoint(a.filepattern);
  }

  /** `{ name: shape }` of every tensor (TF1's `get_variable_to_shape_map`). */
  getVariableToShapeMap(): Record<string, number[]> {
    return Object.fromEntries(this.ckpt.header.tensors.map((t) => [t.name, [...t.shape]]));
  }

  /** `{ name: dtype }` of every tensor (TF1's `get_variable_to_dtype_map`). */
  getVariableToDtypeMap(): Record<string, DType> {
    return Object.fromEntries(this.ckpt.header.tensors.map((t) => [t.name, t.dtype]));
  }

  /** Whether the checkpoint holds `name` (TF1's `has_tensor`). */
  hasTensor(name: string): boolean {
    return this.ckpt.header.tensors.some((t) => t.name === name);
  }

  /** The value of `name` (TF1's `get_tensor`); a missing name is TF1's NotFoundError. */
  getTensor(name: string): NDArray {
    const entry = this.ckpt.header.tensors.find((t) => t.name === name);
    if (!entry) throw new NotFoundError(`Key ${name} not found in checkpoint`);
    return this.ckpt.readTensor(entry);
  }
}

/** A checkpoint prefix, or the latest checkpoint of a directory (TF1's `_get_checkpoint_filename`). */
function checkpointFilename(ckptDirOrFile: string): string {
  let isDir = false;
  try {
    isDir = fs.statSync(ckptDirOrFile).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) return ckptDirOrFile;
  const latest = latestCheckpoint(ckptDirOrFile);
  if (latest === null) {
    throw new InvalidArgumentError(
      `Couldn't find 'checkpoint' file or checkpoints in given directory ${ckptDirOrFile}`,
    );
  }
  return latest;
}

const DIR_OR_FILE = param('ckptDirOrFile', kinds.string);

/**
 * A `CheckpointReader` for a checkpoint prefix or a directory's latest checkpoint (TF1
 * `tf.train.load_checkpoint(ckpt_dir_or_file)`).
 *
 * @example
 * const reader = tf.train.loadCheckpoint('/tmp/model_dir');
 */
export const loadCheckpoint = declare(
  'loadCheckpoint',
  [DIR_OR_FILE] as const,
  (a): CheckpointReader => new CheckpointReader(checkpointFilename(a.ckptDirOrFile)),
);

/**
 * `[name, shape]` of every variable in a checkpoint, sorted by name (TF1
 * `tf.train.list_variables(ckpt_dir_or_file)`).
 *
 * @example
 * tf.train.listVariables('logs'); // [['global_step', []], ['hidden1/biases', [128]], …]
 */
export const listVariables = declare('listVariables', [DIR_OR_FILE] as const, (a): [string, number[]][] => {
  const map = loadCheckpoint(a.ckptDirOrFile).getVariableToShapeMap();
  return Object.keys(map)
    .sort()
    .map((name) => [name, map[name] as number[]]);
});

/**
 * The value of one variable of a checkpoint (TF1 `tf.train.load_variable(ckpt_dir_or_file, name)`; a
 * trailing ':0' is dropped, as TF1 does).
 *
 * @example
 * const w = tf.train.loadVariable('logs', 'hidden1/weights');
 */
export const loadVariable = declare(
  'loadVariable',
  [DIR_OR_FILE, param('name', kinds.string)] as const,
  (a): NDArray => {
    const name = a.name.endsWith(':0') ? a.name.slice(0, -2) : a.name;
    return loadCheckpoint(a.ckptDirOrFile).getTensor(name);
  },
);

/**
 * TF1's `tf.train.NewCheckpointReader(filepattern)`: a `CheckpointReader` for a checkpoint prefix.
 *
 * @example
 * const reader = tf.train.NewCheckpointReader(tf.train.latestCheckpoint('logs')!);
 */
export const NewCheckpointReader = declare(
  'NewCheckpointReader',
  [param('filepattern', kinds.string)] as const,
  (a): CheckpointReader => new CheckpointReader(a.filepattern),
);
