import { fileURLToPath, isLibraryUrl, path } from '../platform';

/**
 * Root of this library's own code: src/ when run from source; dist/ when built (dist/cjs/ holds the code,
 * dist/esm/ the ES-module entry that re-exports it), so frames from either are skipped.
 */
const LIBRARY_DIR = libraryDir(path.resolve(__dirname, '..'));

/** A frame whose file is a URL (browsers; `file://` URLs are turned into paths first). */
const URL_FRAME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** The library root for a module directory (`…/dist/cjs` → `…/dist`; anything else as is). */
export function libraryDir(codeDir: string): string {
  const parent = path.dirname(codeDir);
  return path.basename(codeDir) === 'cjs' && path.basename(parent) === 'dist' ? parent : codeDir;
}

/** One parsed V8 stack frame: the file (a path, `file://` URLs decoded), line and column. */
export interface StackFrame {
  file: string;
  line: number;
  column: number;
}

/**
 * Parses one line of a V8 stack trace: `at fn (/a/b.js:12:5)`, `at /a/b.js:12:5`, ES-module frames
 * `at fn (file:///a/my%20dir/b.mjs:12:5)` / `at file:///a/b.mjs:12:5` (the URL becomes a path), and
 * Windows paths. Returns undefined for frames without a file location (`native`, `<anonymous>`, eval).
 */
export function parseStackFrame(frame: string): StackFrame | undefined {
  let s = frame.trim();
  if (!s.startsWith('at ')) return undefined;
  s = s.slice(3);
  if (s.endsWith(')')) {
    const open = s.indexOf(' (');
    if (open >= 0) s = s.slice(open + 2, -1);
    else if (s.startsWith('(')) s = s.slice(1, -1);
  }
  if (s.startsWith('eval at ')) return undefined;
  const m = /^(.*):(\d+):(\d+)$/.exec(s);
  if (!m) return undefined;
  let file = m[1] as string;
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file);
    } catch {
      file = decodeURIComponent(file.slice('file://'.length));
    }
  }
  if (file === '' || file.startsWith('<') || file.includes('(')) return undefined;
  return { file, line: Number(m[2]), column: Number(m[3]) };
}

/** Whether a frame's file is outside the user's code (node internals, dependencies, this library). */
export function isLibraryFrame(file: string, libraryRoot: string = LIBRARY_DIR): boolean {
  if (file.startsWith('node:') || file.startsWith('internal/')) return true;
  // A browser frame's URL (http:, https:, blob:): this library's bundle or a dependency's file.
  if (URL_FRAME.test(file)) return isLibraryUrl(file);
  if (file.includes(`${path.sep}node_modules${path.sep}`) || file.includes('/node_modules/')) return true;
  if (!path.isAbsolute(file)) return true;
  return file === libraryRoot || file.startsWith(libraryRoot + path.sep);
}

/**
 * The `file:line` of the first stack frame outside this library: where the user's code created an op
 * (CommonJS and ES-module callers alike). Captured once per op at build time, so errors at run time can
 * point at the user's line.
 */
export function userCallSite(): string {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = saved;
  for (const line of stack.split('\n').slice(1)) {
    const f = parseStackFrame(line);
    if (!f || isLibraryFrame(f.file)) continue;
    if (URL_FRAME.test(f.file)) return `${f.file}:${f.line}`; // a browser frame's URL
    return `${path.relative(process.cwd(), f.file) || f.file}:${f.line}`;
  }
  return '<unknown>';
}
