import { fs, MAX_FILE_BYTES, path } from '../platform';
import {
  DataLossError,
  InvalidArgumentError,
  NotFoundError,
  ResourceExhaustedError,
  TensorGraphError,
} from '../errors';
import { getDefaultGraph, Graph, GraphKeys } from '../graph/graph';
import { isCompatible, shapeToString } from '../graph/shape';
import { Operation, Tensor } from '../graph/tensor';
import type { NDArray } from '../ndarray';
import { makeOp } from '../ops/op_def';
import { bindCall, declareConstructor, kinds, param } from '../graph/signature';
import type { Session } from '../session/session';
import { removeStaleTempFiles, writeFileAtomic } from './atomic';
import {
  CheckpointTensorEntry,
  decodeCheckpoint,
  DecodedCheckpoint,
  encodeCheckpoint,
} from './checkpoint_format';
import {
  CheckpointState,
  checkStateFilename,
  DEFAULT_STATE_FILENAME,
  readCheckpointState,
  writeCheckpointState,
} from './checkpoint_state';

/** A checkpoint with prefix `p` is the single file `p + CHECKPOINT_SUFFIX`. */
export const CHECKPOINT_SUFFIX = '.tgckpt';

/** Largest checkpoint file `restore` reads (what one Node buffer holds). */
const MAX_CHECKPOINT_BYTES = MAX_FILE_BYTES;

/** A variable to save: a `tf.Variable` or the output of a `VariableV2` op (e.g. from an imported graph). */
export type Saveable = Tensor;

export interface SaverOptions {
  /** Variables to save and restore: a list (keyed by op name) or an object `{ checkpointKey: variable }`. Default: every global variable. */
  varList?: readonly Saveable[] | Readonly<Record<string, Saveable>> | null;
  /** Checkpoints to keep; older ones are deleted. `0` or `null` keeps all. Default 5. */
  maxToKeep?: number | null;
  /** Name scope of the restore ops (default `'save'`). */
  name?: string | null;
  /** TF1's restore_sequentially: accepted; restoring is all-or-nothing either way. */
  restoreSequentially?: boolean;
  /** Steps in checkpoint names padded to 8 digits (`model-00000100`), as TF1. */
  padStepNumber?: boolean;
}

export interface SaveOptions {
  /** Appended to the path as `-<step>`: a number, or a scalar tensor (e.g. the global step) evaluated in `sess`. */
  globalStep?: number | Tensor | null;
  /** Name of the index file in the checkpoint's directory (default `'checkpoint'`). */
  latestFilename?: string | null;
  /** Update the index file and apply `maxToKeep` (default true). */
  writeState?: boolean;
}

export interface RestoreOptions {
  /** Accept checkpoints that hold tensors this Saver does not restore (default false: they are reported). */
  allowUnexpected?: boolean;
}

const isVarList = (v: unknown): boolean =>
  (Array.isArray(v) && v.every((x) => x instanceof Tensor)) ||
  (v !== null &&
    typeof v === 'object' &&
    Object.getPrototypeOf(v) === Object.prototype &&
    Object.keys(v).length > 0 &&
    Object.values(v).every((x) => x instanceof Tensor));

/** Values of a TF1 parameter that tensorgraph accepts only at TF1's default (anything else is an error). */
const onlyDefault = <T>(what: string, value: T) =>
  kinds.custom<T>(
    `${what} (only ${JSON.stringify(value)} is supported)`,
    (v) => v === value,
    () => value,
  );

/**
 * TF1's `Saver(var_list=None, reshape=False, sharded=False, max_to_keep=5,
 * keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False, saver_def=None,
 * builder=None, defer_build=False, allow_empty=False, write_version=V2, pad_step_number=False,
 * save_relative_paths=False, filename=None)`.
 */
const SAVER_SIG = declareConstructor(
  'Saver',
  [
    param(
      'varList',
      kinds.nullable(
        kinds.custom<SaverOptions['varList']>('a list of Variables or an object of them', isVarList),
      ),
      { default: null },
    ),
    param('reshape', onlyDefault('false', false), { default: false }),
    param('sharded', onlyDefault('false: a checkpoint is always one file', false), { default: false }),
    param('maxToKeep', kinds.nullable(kinds.nonNegInt), { default: 5 }),
    param(
      'keepCheckpointEveryNHours',
      onlyDefault('10000 (the TF1 default; periodic keeping is not implemented)', 10000),
      { default: 10000 },
    ),
    param('name', kinds.nullable(kinds.name), { default: null }),
    // Restoring is all-or-nothing in one step, so sequential restoring changes nothing observable.
    param('restoreSequentially', kinds.bool, { default: false }),
    param('saverDef', onlyDefault('null', null), { default: null }),
    param('builder', onlyDefault('null', null), { default: null }),
    param('deferBuild', onlyDefault('false', false), { default: false }),
    param('allowEmpty', onlyDefault('false', false), { default: false }),
    param('writeVersion', onlyDefault('2 (SaverDef.V2)', 2), { default: 2 }),
    param('padStepNumber', kinds.bool, { default: false }),
    param('saveRelativePaths', onlyDefault('false', false), { default: false }),
    param('filename', onlyDefault('null', null), { default: null }),
  ] as const,
  (...args: unknown[]) => new Saver(...(args as [])),
);

/**
 * TF1's `save(sess, save_path, global_step=None, latest_filename=None, meta_graph_suffix='meta',
 * write_meta_graph=True, write_state=True, strip_default_attrs=False, save_debug_info=False)`.
 * tensorgraph writes no `.meta` file (the graph is saved with `graph.toJSON()`), so `writeMetaGraph`
 * defaults to false here and `true` is an error rather than silently writing nothing.
 */
const SAVE_PARAMS = [
  param(
    'sess',
    kinds.custom<Session>('a Session', (v) => typeof v === 'object' && v !== null && 'run' in v),
  ),
  param('savePath', kinds.string),
  param(
    'globalStep',
    kinds.nullable(
      kinds.custom<number | Tensor>(
        'an integer or a scalar Tensor',
        (v) => (typeof v === 'number' && Number.isInteger(v)) || v instanceof Tensor,
      ),
    ),
    { default: null },
  ),
  param('latestFilename', kinds.nullable(kinds.string), { default: null }),
  param('metaGraphSuffix', kinds.string, { default: 'meta' }),
  param(
    'writeMetaGraph',
    onlyDefault('false (tensorgraph writes no .meta file; use graph.toJSON())', false),
    { default: false },
  ),
  param('writeState', kinds.bool, { default: true }),
  param('stripDefaultAttrs', kinds.bool, { default: false }),
  param('saveDebugInfo', onlyDefault('false', false), { default: false }),
] as const;

/** TF1's `restore(sess, save_path)`, plus tensorgraph's `allowUnexpected` (see RestoreOptions). */
const RESTORE_PARAMS = [
  param(
    'sess',
    kinds.custom<Session>('a Session', (v) => typeof v === 'object' && v !== null && 'run' in v),
  ),
  param(
    'savePath',
    kinds.custom<string>(
      'a checkpoint prefix (string)',
      (v) => typeof v === 'string',
      () => 'x',
      true,
    ),
  ),
  param('allowUnexpected', kinds.bool, { default: false }),
] as const;

interface Entry {
  key: string;
  variable: Tensor;
  feed: Tensor;
}

/**
 * Saves and restores variables (TF1's `tf.train.Saver`). A checkpoint is one file, `<prefix>.tgckpt`,
 * holding each variable's value under its name with a checksum per tensor (docs/checkpoint-format.md).
 * Saving is atomic (temp file, fsync, rename), so a crash mid-save keeps the previous checkpoint.
 * `restore` needs no initializer and changes nothing unless every variable can be restored.
 *
 * @example
 * const saver = new tf.train.Saver({ maxToKeep: 3 });
 * const prefix = saver.save(sess, 'ckpt/model', { globalStep: 100 }); // 'ckpt/model-100'
 * // later, in a new session (or process) with the same graph:
 * saver.restore(sess2, tf.train.latestCheckpoint('ckpt')!);
 */
export class Saver {
  readonly graph: Graph;
  readonly maxToKeep: number;
  private readonly entries: Entry[];
  private readonly restoreOp: Operation;
  /** Prefixes of the checkpoints this Saver keeps, oldest first. */
  private kept: string[] = [];
  private adoptedDirs = new Set<string>();

  private readonly padStepNumber: boolean;

  constructor(
    varList?: SaverOptions['varList'] | SaverOptions,
    ...rest: (boolean | number | string | null | SaverOptions | undefined)[]
  ) {
    const options = bindCall(SAVER_SIG, [varList, ...rest]);
    this.padStepNumber = options.padStepNumber;
    const list = options.varList ?? getDefaultGraph().getCollection<Tensor>(GraphKeys.GLOBAL_VARIABLES);
    const pairs: [string, Saveable][] = Array.isArray(list)
      ? (list as readonly Saveable[]).map((v) => [asVariable(v).op.name, v])
      : Object.entries(list as Record<string, Saveable>);
    if (pairs.length === 0) throw new InvalidArgumentError('No variables to save');
    const graph =
      pairs.length === 0 ? getDefaultGraph() : asVariable((pairs[0] as [string, Saveable])[1]).graph;
    const keys = new Set<string>();
    const ops = new Set<Operation>();
    for (const [key, v] of pairs) {
      const t = asVariable(v);
      if (t.graph !== graph)
        throw new InvalidArgumentError(
          `Saver: variable ${t.op.name} is from a different graph than ${pairs[0]?.[0]}`,
        );
      if (ops.has(t.op)) throw new InvalidArgumentError(`Saver: variable ${t.op.name} is in varList twice`);
      if (keys.has(key)) throw new InvalidArgumentError(`Saver: the checkpoint key '${key}' is used twice`);
      keys.add(key);
      ops.add(t.op);
    }
    this.graph = graph;
    this.maxToKeep = options.maxToKeep === undefined ? 5 : (options.maxToKeep ?? 0);
    // Restore ops are built now (as TF1 does), so restoring works after graph.finalize().
    const built = graph.controlDependencies(null, () =>
      graph.device('', () =>
        graph.nameScope(options.name ?? 'save', () => {
          const entries = pairs.map(([key, v]): Entry => {
            const variable = asVariable(v);
            const feed = makeOp(
              'Placeholder',
              [],
              { dtype: variable.dtype, shape: variable.shape },
              'restore_value',
              graph,
            ).outputs[0] as Tensor;
            return { key, variable, feed };
          });
          const assigns = entries.map((e) => makeOp('Assign', [e.variable, e.feed], {}, 'Assign', graph));
          return {
            entries,
            restoreOp: makeOp('NoOp', [], {}, 'restore_all', graph, { controlInputs: assigns }),
          };
        }),
      ),
    );
    this.entries = built.entries;
    this.restoreOp = built.restoreOp;
  }

  /** Prefixes (absolute) of the checkpoints currently kept, oldest first: TF1's `last_checkpoints`. */
  get lastCheckpoints(): string[] {
    return this.kept.slice();
  }

  /**
   * Writes the variables' values from `sess` to `<savePath>[-<globalStep>].tgckpt` and returns the
   * checkpoint prefix (what `restore` and `latestCheckpoint` use).
   */
  save(
    sess: Session,
    savePath: string,
    globalStep?: number | Tensor | null | SaveOptions,
    ...rest: (string | boolean | null | SaveOptions | undefined)[]
  ): string {
    const options = bindCall({ fn: 'Saver.save', params: SAVE_PARAMS }, [
      sess,
      savePath,
      globalStep,
      ...rest,
    ]);
    this.checkSession(sess);
    if (savePath === '') throw new InvalidArgumentError('Saver.save: savePath must be a non-empty string');
    const stateFile = checkStateFilename(options.latestFilename ?? DEFAULT_STATE_FILENAME, 'Saver.save');
    const step = globalStepValue(sess, options.globalStep ?? undefined);
    const stepText = step === null ? '' : this.padStepNumber ? String(step).padStart(8, '0') : String(step);
    // Normalised ('a/missing/../model' → 'a/model'): the prefix returned is the one written, which
    // restore can open even where a path component in the given form does not exist.
    const given = path.normalize(step === null ? savePath : `${savePath}-${stepText}`);
    const prefix = path.resolve(given);
    const dir = path.dirname(prefix);
    fs.mkdirSync(dir, { recursive: true });
    removeStaleTempFiles(dir);
    const values = sess.run(this.entries.map((e) => e.variable)) as NDArray[];
    const tensors = new Map(this.entries.map((e, i) => [e.key, values[i] as NDArray]));
    writeFileAtomic(prefix + CHECKPOINT_SUFFIX, encodeCheckpoint(tensors, step));
    if (options.writeState === false) return given;

    if (!this.adoptedDirs.has(dir)) {
      // Continue the retention of an earlier run that saved into this directory.
      this.adoptedDirs.add(dir);
      const prev = readCheckpointStateOrNull(dir, stateFile);
      for (const p of prev?.allModelCheckpointPaths ?? []) {
        const abs = path.resolve(p);
        if (!this.kept.includes(abs) && checkpointExists(abs)) this.kept.push(abs);
      }
    }
    this.kept = this.kept.filter((p) => p !== prefix);
    this.kept.push(prefix);
    const doomed =
      this.maxToKeep > 0 ? this.kept.slice(0, Math.max(0, this.kept.length - this.maxToKeep)) : [];
    this.kept = this.kept.slice(doomed.length);
    // The index is replaced before old checkpoints are deleted: it never points at a missing file.
    writeCheckpointState(dir, { modelCheckpointPath: prefix, allModelCheckpointPaths: this.kept }, stateFile);
    for (const p of doomed) {
      try {
        fs.unlinkSync(p + CHECKPOINT_SUFFIX);
      } catch {
        // already removed
      }
    }
    return given;
  }

  /**
   * Sets the variables in `sess` to the values in checkpoint `savePath` (a prefix returned by `save`,
   * or the `.tgckpt` file). Verifies every checksum and reports missing, unexpected and mis-shaped
   * variables by name; when anything is wrong it throws and no variable changes.
   */
  restore(sess: Session, savePath: string, options?: RestoreOptions): void {
    const bound = bindCall({ fn: 'Saver.restore', params: RESTORE_PARAMS }, [sess, savePath, options]);
    this.checkSession(sess);
    if (typeof savePath !== 'string' || savePath === '') {
      throw new InvalidArgumentError(
        'Saver.restore: savePath must be a checkpoint prefix such as tf.train.latestCheckpoint(dir)',
      );
    }
    const ckpt = readCheckpoint(savePath);
    const byKey = new Map(ckpt.header.tensors.map((t) => [t.name, t]));
    const problems: string[] = [];
    let shapeProblem = false;
    for (const e of this.entries) {
      const t = byKey.get(e.key);
      if (!t) {
        problems.push(
          `Key ${e.key} not found in checkpoint (variable ${e.variable.op.name} would stay unrestored)`,
        );
      } else if (t.dtype !== e.variable.dtype || !isCompatible(e.variable.shape, t.shape)) {
        shapeProblem = true;
        problems.push(
          `Variable ${e.variable.op.name} has shape ${shapeToString(e.variable.shape)} and dtype ${e.variable.dtype}, but the checkpoint's ${e.key} has shape ${shapeToString(t.shape)} and dtype ${t.dtype}`,
        );
      }
    }
    if (!bound.allowUnexpected) {
      const wanted = new Set(this.entries.map((e) => e.key));
      for (const t of ckpt.header.tensors) {
        if (!wanted.has(t.name))
          problems.push(`Unexpected key ${t.name} in checkpoint: no variable of this Saver has that name`);
      }
    }
    if (problems.length) {
      const Ctor = shapeProblem ? InvalidArgumentError : NotFoundError;
      throw new Ctor(
        `Restoring from checkpoint ${savePath} failed; no variable was changed:\n\t${problems.join('\n\t')}`,
      );
    }
    // Every tensor is read and checksummed before anything is assigned.
    const feeds = new Map<Tensor, NDArray>();
    for (const e of this.entries)
      feeds.set(e.feed, ckpt.readTensor(byKey.get(e.key) as CheckpointTensorEntry));
    // A run commits its variable writes only when it succeeds as a whole.
    sess.run(this.restoreOp, feeds);
  }

  private checkSession(sess: Session): void {
    if (sess.graph !== this.graph) {
      throw new InvalidArgumentError("The Session's graph is not the graph of this Saver's variables.");
    }
  }
}

function asVariable(v: Saveable): Tensor {
  if (!(v instanceof Tensor) || v.op.type !== 'VariableV2') {
    throw new InvalidArgumentError(
      `Saver: ${String(v)} is not a variable (a tf.Variable or the output of a VariableV2 op)`,
    );
  }
  return v;
}

function globalStepValue(sess: Session, step: number | Tensor | undefined): number | null {
  if (step === undefined) return null;
  const n = typeof step === 'number' ? step : Number(sess.run(step).item());
  if (!Number.isSafeInteger(n))
    throw new InvalidArgumentError(`Saver.save: globalStep must be an integer, got ${n}`);
  return n;
}

function readCheckpointStateOrNull(dir: string, file: string): ReturnType<typeof readCheckpointState> {
  try {
    return readCheckpointState(dir, file);
  } catch {
    return null; // an unreadable index is replaced by the next save
  }
}

/**
 * Reads and verifies the checkpoint with prefix `savePath` (bounded: a regular file no larger than a
 * buffer holds). A missing file is TF1's NotFoundError "Unsuccessful checkpoint read".
 */
export function readCheckpoint(savePath: string): DecodedCheckpoint {
  const file = savePath.endsWith(CHECKPOINT_SUFFIX) ? savePath : savePath + CHECKPOINT_SUFFIX;
  let bytes: Uint8Array;
  try {
    // Bounded read: only a regular file (a symlink to /dev/zero or a FIFO would read forever), and
    // no larger than a buffer can hold.
    const st = fs.statSync(file);
    if (!st.isFile())
      throw new DataLossError(`Checkpoint ${file} is not a regular file: refusing to read it`);
    if (st.size > MAX_CHECKPOINT_BYTES) {
      throw new ResourceExhaustedError(
        `Checkpoint ${file} is ${st.size} bytes, more than the ${MAX_CHECKPOINT_BYTES} bytes a restore reads`,
      );
    }
    bytes = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NotFoundError(
        `Unsuccessful checkpoint read: failed to find any matching files for ${savePath}`,
      );
    }
    if (e instanceof TensorGraphError) throw e;
    throw new DataLossError(`Cannot read checkpoint ${file}: ${(e as Error).message}`);
  }
  return decodeCheckpoint(bytes, file);
}

/** True when a checkpoint with this prefix exists. */
export function checkpointExists(prefix: string): boolean {
  return fs.existsSync(prefix.endsWith(CHECKPOINT_SUFFIX) ? prefix : prefix + CHECKPOINT_SUFFIX);
}

/**
 * The prefix of the newest checkpoint recorded in `<dir>/checkpoint`, or `null` when there is none
 * (TF1's `tf.train.latest_checkpoint`).
 *
 * @example
 * const last = tf.train.latestCheckpoint('ckpt');
 * if (last) saver.restore(sess, last);
 */
export function latestCheckpoint(
  checkpointDir: string,
  latestFilename = DEFAULT_STATE_FILENAME,
): string | null {
  checkStateFilename(latestFilename, 'latestCheckpoint');
  let state: CheckpointState | null;
  try {
    state = readCheckpointState(checkpointDir, latestFilename);
  } catch (e) {
    // TF1's get_checkpoint_state logs an unparsable index and returns None.
    if (e instanceof DataLossError) return null;
    throw e;
  }
  if (!state || !checkpointExists(state.modelCheckpointPath)) return null;
  return state.modelCheckpointPath;
}
