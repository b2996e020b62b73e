import { fs, path, randomHex } from '../platform';

/**
 * Crash-safe file replacement: write a temp file in the same directory, fsync it, rename it over the
 * target (atomic on POSIX), then fsync the directory so the rename itself is durable. A process killed
 * at any point leaves either the old file or the new one, never a torn file under the target name.
 */
const TEMP_MARK = '.tmp-';

export function writeFileAtomic(target: string, chunks: readonly Uint8Array[]): void {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}${TEMP_MARK}${process.pid}-${randomHex(4)}`);
  const fd = fs.openSync(tmp, 'wx', 0o644);
  try {
    try {
      for (const c of chunks) {
        let off = 0;
        while (off < c.length) off += fs.writeSync(fd, c, off, c.length - off);
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw e;
  }
  fsyncDirectory(dir);
}

/** Makes a directory's entries (a rename) durable; a no-op where directories cannot be fsynced. */
export function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows and some file systems cannot open or fsync a directory.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Removes temp files that `writeFileAtomic` left in `dir` when its process was killed (their writer's
 * pid is no longer running). Files of live processes are left alone.
 */
export function removeStaleTempFiles(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^\..+\.tmp-(\d+)-[0-9a-f]{8}$/.exec(name);
    if (!m || Number(m[1]) === process.pid || isAlive(Number(m[1]))) continue;
    try {
      fs.unlinkSync(path.join(dir, name));
    } catch {
      // raced with another cleaner
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
