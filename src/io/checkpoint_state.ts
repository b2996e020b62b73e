import * as fs from 'fs';
import * as path from 'path';
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

/** Reads `<dir>/<filename>`; `null` when there is none. Relative paths are joined to `dir` (as TF1 does). */
export function readCheckpointState(dir: string, filename = DEFAULT_STATE_FILENAME): CheckpointState | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, filename), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  let latest: string | undefined;
  const all: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const m = /^(\w+)\s*:\s*("(?:[^"\\]|\\.)*")$/.exec(line);
    if (!m) throw new Error(`Unreadable line in checkpoint state file ${path.join(dir, filename)}: ${line}`);
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
