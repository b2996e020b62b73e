import { InvalidArgumentError } from '../errors';
import { getDefaultGraph } from '../graph/graph';
import { declare, INVALID, Kind, kinds, param } from '../graph/signature';
import { Operation, Tensor, TensorLike } from '../graph/tensor';
import { convertToTensor, defineOp, graphOf, makeOp } from './op_def';

/**
 * TF1's deprecated `Print` op: passes `input` through unchanged and, each time it runs, writes `message`
 * followed by every `data` tensor (TF1's `[1 2 3...]` summaries) to stderr. Stateful: never folded or
 * merged. Gradient: identity for `input`, none for `data`.
 */
defineOp({
  type: 'Print',
  stateful: true,
  infer: (ctx) => [{ shape: ctx.shapes[0] ?? null, dtype: ctx.dtypes[0] as Tensor['dtype'] }],
  grad: (op, [dy]) => [dy ?? null, ...op.inputs.slice(1).map(() => null)],
});

/** TF1's `PrintV2` (the op `tf.print` builds): formats its inputs into a template and writes it; no outputs. */
defineOp({
  type: 'PrintV2',
  stateful: true,
  infer: () => [],
  grad: 'none',
});

/** Streams given as functions or objects, referenced from the op's `outputStream` attr as `callback:<n>`. */
const callbackStreams: ((s: string) => void)[] = [];
/** The writer of a `PrintV2` op's `outputStream` attr. */
export function printStream(attr: string): (s: string) => void {
  if (attr.startsWith('callback:')) return callbackStreams[Number(attr.slice(9))] as (s: string) => void;
  return (s) => writeStd(attr === 'stdout' ? 'stdout' : 'stderr', s);
}

/** Writes to the process's stdout/stderr (the console in a browser). */
export function writeStd(which: 'stdout' | 'stderr', s: string): void {
  const proc = (globalThis as { process?: { stdout?: { write?: unknown }; stderr?: { write?: unknown } } })
    .process;
  const stream = proc?.[which];
  if (stream && typeof stream.write === 'function') (stream.write as (x: string) => void).call(stream, s);
  else if (which === 'stderr') console.error(s.replace(/\n$/, ''));
  else console.log(s.replace(/\n$/, ''));
}

const dataKind = kinds.custom<TensorLike[]>(
  'a list of Tensors',
  (v) => Array.isArray(v),
  () => [],
);
const optInt = (what: string): Kind<number | null> =>
  kinds.custom<number | null>(what, (v) => v === null || (typeof v === 'number' && Number.isInteger(v)));

/**
 * TF1's deprecated `tf.Print(input_, data, message=None, first_n=None, summarize=None, name=None)`: an
 * identity op on `input` that, every time it runs, writes `message` followed by each tensor of `data`
 * (`[1 2 3...]`, at most `summarize` elements each, default 3) to stderr; `firstN` limits how many runs
 * log (per session; default -1: every run). Use its output in place of `input`.
 *
 * @example
 * let y = tf.matmul(x, W);
 * y = tf.Print(y, [y, W], 'y and W: ', { summarize: 10 });
 */
export const Print = declare(
  'Print',
  [
    param('input', kinds.tensor),
    param('data', dataKind),
    param(
      'message',
      kinds.nullable(
        kinds.custom<string>(
          'a string',
          (v) => typeof v === 'string',
          () => 'm',
          true,
        ),
      ),
      { default: null as string | null },
    ),
    param('firstN', optInt('an integer or null'), { default: null }),
    param('summarize', optInt('an integer or null'), { default: null }),
    param('name', kinds.nullable(kinds.name), { default: null as string | null }),
  ] as const,
  (a): Tensor => {
    const graph = graphOf([a.input as TensorLike, ...a.data]);
    const input = convertToTensor(a.input as TensorLike, undefined, graph);
    const data = a.data.map((d) => convertToTensor(d, undefined, graph));
    return makeOp(
      'Print',
      [input, ...data],
      { message: a.message ?? '', first_n: a.firstN ?? -1, summarize: a.summarize ?? 3 },
      a.name ?? 'Print',
      graph,
    ).outputs[0] as Tensor;
  },
);

/** Where `tf.print` writes: TF1's `sys.stderr` / `sys.stdout` as names, a function, or an object with `write`. */
export type OutputStream = 'stderr' | 'stdout' | ((s: string) => void) | { write(s: string): unknown };

/** Keyword options of `tf.print` (TF1's `output_stream`, `summarize`, `sep`, `end`, `name`). */
export interface PrintOptions {
  outputStream?: OutputStream;
  summarize?: number;
  sep?: string;
  end?: string;
  name?: string;
}
const PRINT_KEYS = ['outputStream', 'summarize', 'sep', 'end', 'name'];

/** A trailing plain object is the options (plain objects are not printable values). */
const isOptions = (v: unknown): v is PrintOptions =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/**
 * TF1's `tf.print(*inputs, output_stream=sys.stderr, summarize=3, sep=' ', end='\n', name=None)`: an op
 * that, when run, writes its inputs joined by `sep` and followed by `end`. Strings are written as they
 * are, tensors numpy-style (`[1 2 3]`, `[[1 2]\n [3 4]]`, the first and last `summarize` elements per
 * dimension with `...` between; `summarize: -1` prints everything). Options go in a trailing object.
 * Returns the op: run it, or make other ops depend on it with `tf.controlDependencies`.
 *
 * @example
 * const printOp = tf.print('loss:', loss, { outputStream: 'stdout' });
 * const train = tf.controlDependencies([printOp], () => opt.minimize(loss));
 */
export function print(...inputs: unknown[]): Operation {
  let opts: PrintOptions = {};
  if (inputs.length > 0 && isOptions(inputs[inputs.length - 1])) opts = inputs.pop() as PrintOptions;
  for (const k of Object.keys(opts)) {
    if (!PRINT_KEYS.includes(k))
      throw new TypeError(
        `print() got an unexpected keyword argument '${k}'; accepted: ${PRINT_KEYS.join(', ')}`,
      );
  }
  const summarize = opts.summarize ?? 3;
  if (!Number.isInteger(summarize))
    throw new TypeError(`print(): summarize must be an integer, got ${String(summarize)}`);
  for (const k of ['sep', 'end', 'name'] as const) {
    if (opts[k] !== undefined && typeof opts[k] !== 'string')
      throw new TypeError(`print(): ${k} must be a string, got ${typeof opts[k]}`);
  }
  const stream = opts.outputStream ?? 'stderr';
  let streamAttr: string;
  if (stream === 'stderr' || stream === 'stdout') streamAttr = stream;
  else if (typeof stream === 'function') streamAttr = `callback:${callbackStreams.push(stream) - 1}`;
  else if (typeof stream === 'object' && stream !== null && typeof stream.write === 'function') {
    const target = stream;
    streamAttr = `callback:${callbackStreams.push((s) => void target.write(s)) - 1}`;
  } else {
    throw new TypeError(
      `print(): outputStream must be 'stderr', 'stdout', a function or an object with write(), got ${String(stream)}`,
    );
  }
  const tensors: TensorLike[] = [];
  const template: (string | null)[] = [];
  for (const x of inputs) {
    if (typeof x === 'string') template.push(x);
    else if (x instanceof Tensor) {
      template.push(null);
      tensors.push(x);
    } else if (typeof x === 'number' || typeof x === 'boolean') template.push(String(x));
    else {
      const t = kinds.tensor.parse(x);
      if (t === INVALID)
        throw new InvalidArgumentError(
          `print(): cannot print ${String(x)}: pass strings, numbers or Tensors`,
        );
      template.push(null);
      tensors.push(t as TensorLike);
    }
  }
  const graph = tensors.length ? graphOf(tensors) : getDefaultGraph();
  return makeOp(
    'PrintV2',
    tensors.map((t) => convertToTensor(t, undefined, graph)),
    { template, summarize, sep: opts.sep ?? ' ', end: opts.end ?? '\n', output_stream: streamAttr },
    opts.name ?? 'PrintV2',
    graph,
  );
}

/** C++ `StrCat(float)`: the shortest of `%.6g` / `%.9g` that reads back as the same float32. */
export function formatFloat(v: number, float32 = true): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const digits = float32 ? [6, 9] : [15, 17];
  for (const p of digits) {
    const s = gFormat(v, p);
    if (!float32 || Math.fround(Number(s)) === Math.fround(v) || p === digits[1]) return s;
  }
  return String(v);
}

/** C's `%.<p>g`. */
function gFormat(v: number, p: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(v.toPrecision(p)))));
  if (exp < -4 || exp >= p) {
    const [m, e] = v.toExponential(p - 1).split('e') as [string, string];
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const s = v.toFixed(Math.max(0, p - 1 - exp));
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}
