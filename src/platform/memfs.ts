/**
 * The browser build's file system: the synchronous subset of Node's `fs` that the library uses (Saver,
 * checkpoint index, atomic writes, summary FileWriter), kept in memory for the page's lifetime. Paths
 * under `indexeddb://` are also persisted to IndexedDB (database `tensorgraph`, store `files`): every
 * change is queued to IndexedDB in order (`flush()` resolves when written), and `load()` (part of
 * `tf.ready()`) reads them back into memory, so `saver.restore(sess, 'indexeddb://model')` works
 * synchronously after a page reload.
 */

interface MemStat {
  size: number;
  mtimeMs: number;
  isFile(): boolean;
  isDirectory(): boolean;
}

const files = new Map<string, Uint8Array>();
const dirs = new Set<string>(['/', 'indexeddb://']);
const open = new Map<number, { path: string; chunks: Uint8Array[] }>();
let nextFd = 3;
const IDB_ROOT = 'indexeddb://';

function errno(code: string, syscall: string, p: string): Error {
  const text: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EEXIST: 'file already exists',
    EISDIR: 'illegal operation on a directory',
    EBADF: 'bad file descriptor',
  };
  return Object.assign(new Error(`${code}: ${text[code] ?? code}, ${syscall} '${p}'`), {
    code,
    syscall,
    path: p,
  });
}

function parent(p: string): string {
  if (p === '/' || p === IDB_ROOT) return p;
  const root = p.startsWith(IDB_ROOT) ? IDB_ROOT : '/';
  const rest = p.slice(root.length).replace(/\/+$/, '');
  const i = rest.lastIndexOf('/');
  return i < 0 ? root : root + rest.slice(0, i);
}

function child(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

// ---- IndexedDB persistence (indexeddb:// paths) ----------------------------------------------------

interface IdbRequest<T> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IdbStore {
  put(v: Uint8Array, k: string): IdbRequest<unknown>;
  delete(k: string): IdbRequest<unknown>;
  getAllKeys(): IdbRequest<string[]>;
  getAll(): IdbRequest<Uint8Array[]>;
}
interface IdbDatabase {
  transaction(s: string, mode: string): { objectStore(s: string): IdbStore };
  createObjectStore(s: string): void;
  objectStoreNames: { contains(s: string): boolean };
}
const idbFactory = (
  globalThis as unknown as {
    indexedDB?: {
      open(n: string, v: number): IdbRequest<IdbDatabase> & { onupgradeneeded: (() => void) | null };
    };
  }
).indexedDB;

let db: Promise<IdbDatabase> | undefined;
function database(): Promise<IdbDatabase> {
  if (!idbFactory) return Promise.reject(new Error('IndexedDB is not available in this context'));
  db ??= new Promise((resolve, reject) => {
    const req = (idbFactory as NonNullable<typeof idbFactory>).open('tensorgraph', 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains('files')) req.result.createObjectStore('files');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return db;
}

function request<T>(r: IdbRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

let queue: Promise<void> = Promise.resolve();
let persistError: unknown = null;
function persist(p: string): void {
  if (!p.startsWith(IDB_ROOT)) return;
  const data = files.get(p);
  queue = queue.then(async () => {
    try {
      const store = (await database()).transaction('files', 'readwrite').objectStore('files');
      await request(data ? store.put(data.slice(), p) : store.delete(p));
    } catch (e) {
      persistError = e;
    }
  });
}

/** Resolves when every change to `indexeddb://` paths so far is in IndexedDB (rejects on a failed write). */
export async function flush(): Promise<void> {
  await queue;
  if (persistError) {
    const e = persistError;
    persistError = null;
    throw new Error(`IndexedDB write failed: ${(e as Error)?.message ?? String(e)}`);
  }
}

/** Reads the persisted `indexeddb://` files into memory (once; where IndexedDB exists). */
let loaded: Promise<void> | undefined;
export function load(): Promise<void> {
  loaded ??= (async () => {
    if (!idbFactory) return;
    try {
      const store = (await database()).transaction('files', 'readonly').objectStore('files');
      const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
      keys.forEach((k, i) => {
        if (files.has(k)) return;
        files.set(k, new Uint8Array(values[i] as Uint8Array));
        for (let d = parent(k); !dirs.has(d); d = parent(d)) dirs.add(d);
      });
    } catch {
      // IndexedDB refused (e.g. an opaque origin): indexeddb:// paths live in memory only
    }
  })();
  return loaded;
}

// ---- the fs subset -----------------------------------------------------------------------------------

function norm(p: string): string {
  return p.length > 1 && !p.endsWith('://') ? p.replace(/\/+$/, '') : p;
}

export function existsSync(p: string): boolean {
  const q = norm(p);
  return files.has(q) || dirs.has(q);
}

export function mkdirSync(p: string, o?: { recursive?: boolean }): void {
  const q = norm(p);
  if (dirs.has(q)) return;
  if (files.has(q)) throw errno('EEXIST', 'mkdir', p);
  if (!dirs.has(parent(q))) {
    if (!o?.recursive) throw errno('ENOENT', 'mkdir', p);
    mkdirSync(parent(q), o);
  }
  dirs.add(q);
}

export function readdirSync(p: string): string[] {
  const q = norm(p);
  if (!dirs.has(q)) throw errno('ENOENT', 'scandir', p);
  const out = new Set<string>();
  for (const name of [...files.keys(), ...dirs])
    if (name !== q && parent(name) === q) out.add(name.slice(child(q, '').length));
  return [...out].sort();
}

export function statSync(p: string): MemStat {
  const q = norm(p);
  const f = files.get(q);
  if (!f && !dirs.has(q)) throw errno('ENOENT', 'stat', p);
  return { size: f?.length ?? 0, mtimeMs: Date.now(), isFile: () => !!f, isDirectory: () => !f };
}

export function readFileSync(p: string, enc?: string | { encoding?: string }): Uint8Array | string {
  const q = norm(p);
  if (dirs.has(q)) throw errno('EISDIR', 'read', p);
  const f = files.get(q);
  if (!f) throw errno('ENOENT', 'open', p);
  const e = typeof enc === 'string' ? enc : enc?.encoding;
  return e ? new TextDecoder().decode(f) : f.slice();
}

export function writeFileSync(p: string, data: Uint8Array | string): void {
  const q = norm(p);
  if (!dirs.has(parent(q))) throw errno('ENOENT', 'open', p);
  files.set(q, typeof data === 'string' ? new TextEncoder().encode(data) : data.slice());
  persist(q);
}

export function unlinkSync(p: string): void {
  const q = norm(p);
  if (!files.delete(q)) throw errno('ENOENT', 'unlink', p);
  persist(q);
}

export function renameSync(from: string, to: string): void {
  const a = norm(from);
  const b = norm(to);
  const f = files.get(a);
  if (!f) throw errno('ENOENT', 'rename', from);
  if (!dirs.has(parent(b))) throw errno('ENOENT', 'rename', to);
  files.delete(a);
  files.set(b, f);
  persist(a);
  persist(b);
}

export function openSync(p: string, flags = 'r'): number {
  const q = norm(p);
  if (flags.startsWith('r')) {
    if (!files.has(q) && !dirs.has(q)) throw errno('ENOENT', 'open', p);
  } else {
    if (flags.includes('x') && (files.has(q) || dirs.has(q))) throw errno('EEXIST', 'open', p);
    if (!dirs.has(parent(q))) throw errno('ENOENT', 'open', p);
    files.set(q, new Uint8Array(0));
  }
  const fd = nextFd++;
  open.set(fd, { path: q, chunks: [] });
  return fd;
}

export function writeSync(fd: number, buf: Uint8Array, off = 0, len = buf.length - off): number {
  const f = open.get(fd);
  if (!f) throw errno('EBADF', 'write', String(fd));
  f.chunks.push(buf.slice(off, off + len));
  return len;
}

/** Appends what was written through `fd` to its file (called by fsync and close). */
export function fsyncSync(fd: number): void {
  const f = open.get(fd);
  if (!f) throw errno('EBADF', 'fsync', String(fd));
  if (!f.chunks.length || !files.has(f.path)) return;
  const old = files.get(f.path) as Uint8Array;
  const out = new Uint8Array(old.length + f.chunks.reduce((s, c) => s + c.length, 0));
  out.set(old);
  let o = old.length;
  for (const c of f.chunks) {
    out.set(c, o);
    o += c.length;
  }
  f.chunks = [];
  files.set(f.path, out);
  persist(f.path);
}

export function closeSync(fd: number): void {
  fsyncSync(fd);
  open.delete(fd);
}
