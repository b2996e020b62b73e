import { fs, path } from '../platform';
import { declare, kinds, param } from '../graph/signature';
import { DataLossError, InvalidArgumentError } from '../errors';
import { writeFileAtomic } from './atomic';

/**
 * The `checkpoint` index file next to the checkpoints, in TF1's text format (CheckpointState):
 *
 *   model_checkpoint_path: "model.ckpt-300"
 *   all_model_checkpoint_paths: "model.ckpt-200"
 *   all_model_checkpoint_paths: "model.ckpt-300"
 *
 * Paths inside the directory are stored relative to it, so a directory of checkpoints can be moved.
 */
export interface CheckpointState {
  /** Absolute (or as given) prefix of the newest checkpoint. */
  modelCheckpointPath: string;
  /** Prefixes of every kept checkpoint, oldest first (the newest last). */
  allModelCheckpointPaths: string[];
}

export const DEFAULT_STATE_FILENAME = 'checkpoint';

/** Largest checkpoint index file read (a real one is a few lines per kept checkpoint). */
const MAX_STATE_BYTES = 1 << 20;

/**
 * Checks the name of a checkpoint index file (TF1's `latest_filename`): a plain file name inside the
 * checkpoint directory, never a path that could leave it.
 */
export function checkStateFilename(filename: unknown, where: string): string {
  if (
    typeof filename !== 'string' ||
    filename === '' ||
    filename === '.' ||
    filename === '..' ||
    /[/\\\0]/.test(filename)
  ) {
    throw new InvalidArgumentError(
      `${where}: latestFilename must be a plain file name inside the checkpoint directory, got ${JSON.stringify(filename)}`,
    );
  }
  return filename;
}

/**
 * Reads `<dir>/<filename>`; `null` when there is none. Relative paths are joined to `dir` (as TF1 does).
 * A file that is not a regular file, too large, or not in the index format is a DataLossError.
 */
export function readCheckpointState(dir: string, filename = DEFAULT_STATE_FILENAME): CheckpointState | null {
  checkStateFilename(filename, 'readCheckpointState');
  const file = path.join(dir, filename);
  let text: string;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw new DataLossError(`Checkpoint state ${file} is not a regular file`);
    if (st.size > MAX_STATE_BYTES)
      throw new DataLossError(`Checkpoint state ${file} is ${st.size} bytes: not a checkpoint index`);
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if (e instanceof DataLossError) throw e;
    throw new DataLossError(`Cannot read checkpoint state ${file}: ${(e as Error).message}`);
  }
  let latest: string | undefined;
  const all: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const m = /^(\w+)\s*:\s*("(?:[^"\\]|\\.)*")$/.exec(line);
    if (!m)
      throw new DataLossError(
        `Unreadable line in checkpoint state file ${path.join(dir, filename)}: ${line}`,
      );
    const given = unquote(m[2] as string);
    const value = path.isAbsolute(given) ? given : path.join(dir, given);
    if (m[1] === 'model_checkpoint_path') latest = value;
    else if (m[1] === 'all_model_checkpoint_paths') all.push(value);
  }
  if (latest === undefined) return null;
  if (!all.includes(latest)) all.push(latest);
  return { modelCheckpointPath: latest, allModelCheckpointPaths: all };
}

/** Atomically replaces `<dir>/<filename>` with `state`. */
export function writeCheckpointState(
  dir: string,
  state: CheckpointState,
  filename = DEFAULT_STATE_FILENAME,
): void {
  const rel = (p: string): string => {
    const r = path.relative(dir, p);
    return r !== '' && !r.startsWith('..') && !path.isAbsolute(r) ? r : p;
  };
  const lines = [`model_checkpoint_path: ${quote(rel(state.modelCheckpointPath))}`];
  for (const p of state.allModelCheckpointPaths) lines.push(`all_model_checkpoint_paths: ${quote(rel(p))}`);
  writeFileAtomic(path.join(dir, filename), [new TextEncoder().encode(lines.join('\n') + '\n')]);
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function unquote(q: string): string {
  return q.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

/**
 * TF1's `tf.train.get_checkpoint_state(checkpoint_dir, latest_filename=None)`: the directory's
 * CheckpointState (`modelCheckpointPath`, `allModelCheckpointPaths`, relative paths joined to the
 * directory), or `null` when there is no index file or it cannot be parsed (TF1 logs and returns None).
 *
 * @example
 * const ckpt = tf.train.getCheckpointState('ckpt');
 * if (ckpt) saver.restore(sess, ckpt.modelCheckpointPath);
 */
export const getCheckpointState = declare(
  'getCheckpointState',
  [
    param('checkpointDir', kinds.string),
    param('latestFilename', kinds.nullable(kinds.string), { default: null }),
  ] as const,
  (a): CheckpointState | null => {
    const file = checkStateFilename(a.latestFilename ?? DEFAULT_STATE_FILENAME, 'getCheckpointState');
    try {
      return readCheckpointState(a.checkpointDir, file);
    } catch (e) {
      if (e instanceof DataLossError) return null;
      throw e;
    }
  },
);
