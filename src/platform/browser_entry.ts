/**
 * Entry of the browser bundle (dist/browser/tensorgraph.mjs): the whole public API, plus
 * - `ready()`: resolves once the WebAssembly kernels next to the bundle are fetched and compiled (until
 *   then the CPU backend runs its TypeScript kernels), the WebGPU adapter probe has answered (so that
 *   `new tf.Session({ backend: 'gpu' })` can pick, or be forced to, gpu.js's `webgpu` mode at once), and
 *   the checkpoints saved to `indexeddb://…` paths are read back from IndexedDB;
 * - `browserFiles`: the page's file system (in memory; `indexeddb://` paths persisted), to take a
 *   checkpoint or an event file out as an ArrayBuffer / Blob or to put one in.
 *
 * @example
 * await tf.ready();
 * const prefix = saver.save(sess, 'indexeddb://mnist');          // survives a reload
 * saver.restore(sess, 'indexeddb://mnist');
 * const bytes = tf.browserFiles.read(prefix + '.tgckpt');           // ArrayBuffer
 * tf.browserFiles.write('/upload/model.tgckpt', bytes);
 * saver.restore(sess, '/upload/model');
 * const events = writer.toBlob();                                   // a FileWriter's event file
 */
import { probeWebGPU } from '../backends/gpujs/modes';
import { ready as platformReady } from './index';
import * as memfs from './memfs';

export * from '../index';

/** Resolves when the WebAssembly kernels, the WebGPU probe and the IndexedDB files are ready. */
export async function ready(): Promise<void> {
  await Promise.all([platformReady(), probeWebGPU()]);
}

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return p.slice(0, p.slice(0, i).endsWith(':/') ? i + 1 : i) || '/';
}

/** The page's files (what Saver and FileWriter write in a browser). */
export const browserFiles = {
  /** A file's bytes. */
  read(path: string): ArrayBuffer {
    const b = memfs.readFileSync(path) as Uint8Array;
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  },
  /** Writes a file (its directories are created). */
  write(path: string, data: ArrayBuffer | Uint8Array): void {
    memfs.mkdirSync(parentOf(path), { recursive: true });
    memfs.writeFileSync(path, data instanceof Uint8Array ? data : new Uint8Array(data));
  },
  /** A file as a Blob (for a download link). */
  blob(path: string): Blob {
    return new Blob([memfs.readFileSync(path) as Uint8Array<ArrayBuffer>]);
  },
  /** The names in a directory. */
  list(dir: string): string[] {
    return memfs.readdirSync(dir);
  },
  exists: (path: string): boolean => memfs.existsSync(path),
  remove: (path: string): void => memfs.unlinkSync(path),
  /** Resolves when every change under `indexeddb://` is stored in IndexedDB. */
  flush: (): Promise<void> => memfs.flush(),
};
