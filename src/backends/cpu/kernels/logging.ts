import { registerKernel } from '../../backend';
import type { NDArray } from '../../../ndarray';
import { formatFloat, printStream, writeStd } from '../../../ops/logging';

/** Logging kernels: `Print` (TF1's tf.Print, identity plus a log line) and `PrintV2` (tf.print). */

function element(x: NDArray, i: number): string {
  const v = x.data[i] as number;
  if (x.dtype === 'bool') return v ? '1' : '0';
  if (x.dtype === 'int32') return String(v);
  return formatFloat(v);
}

/** TF1's `Tensor::SummarizeValue(limit)` (v1 layout: `[1 2][3...]...`). */
export function summarizeV1(x: NDArray, maxEntries: number): string {
  const n = x.data.length;
  if (n === 0) return '';
  const limit = maxEntries < 0 ? n : Math.min(maxEntries, n);
  const shape = x.shape;
  let out = '';
  if (shape.length === 0) {
    for (let i = 0; i < limit; i++) out += (i > 0 ? ' ' : '') + element(x, i);
    return n > limit ? out + '...' : out;
  }
  let index = 0;
  const dim = (d: number): void => {
    if (index >= limit) return;
    const count = shape[d] as number;
    if (d === shape.length - 1) {
      for (let i = 0; i < count; i++) {
        if (index >= limit) {
          if (d !== 0) out += '...';
          return;
        }
        if (i > 0) out += ' ';
        out += element(x, index++);
      }
      return;
    }
    for (let i = 0; i < count; i++) {
      let open = false;
      if (index < limit) {
        out += '[';
        open = true;
      }
      dim(d + 1);
      if (index < limit || open) out += ']';
    }
  };
  dim(0);
  return n > limit ? out + '...' : out;
}

/** TF1's `SummarizeValue(limit, print_v2=true)`: numpy-style, first and last `limit` per dimension. */
export function summarizeV2(x: NDArray, summarize: number): string {
  const n = x.data.length;
  const shape = x.shape;
  if (shape.length === 0) return n ? element(x, 0) : '';
  if (n === 0) return '[]';
  const ends = summarize < 0 ? n : Math.min(summarize, n);
  const rank = shape.length;
  let out = '';
  const spacing = (d: number): void => {
    if (d === rank - 1) {
      out += ' ';
      return;
    }
    out += '\n'.repeat(rank - d - 1) + ' '.repeat(d + 1);
  };
  const dim = (d: number, base: number): void => {
    if (d === rank) {
      out += element(x, base);
      return;
    }
    out += '[';
    const count = shape[d] as number;
    const startOfEnd = Math.max(ends, count - ends);
    let per = 1;
    for (let i = d + 1; i < rank; i++) per *= shape[i] as number;
    for (let i = 0; i < ends && i < count; i++) {
      if (i > 0) spacing(d);
      dim(d + 1, base + per * i);
    }
    if (count > 2 * ends) {
      spacing(d);
      out += '...';
    }
    for (let i = startOfEnd; i < count; i++) {
      spacing(d);
      dim(d + 1, base + per * i);
    }
    out += ']';
  };
  dim(0, 0);
  return out;
}

/** Per-session, per-op log counts for `first_n` (keyed by the run's per-session random stream of the op). */
const counts = new WeakMap<object, number>();

registerKernel('cpu', 'Print', (inputs, ctx) => {
  const [x, ...data] = inputs as [NDArray, ...NDArray[]];
  const firstN = ctx.attrs.first_n as number;
  let log = true;
  if (firstN >= 0) {
    const key = ctx.state.random(ctx.op);
    const c = counts.get(key) ?? 0;
    if (c >= firstN) log = false;
    else counts.set(key, c + 1);
  }
  if (log) {
    const summarize = ctx.attrs.summarize as number;
    const msg = (ctx.attrs.message as string) + data.map((d) => `[${summarizeV1(d, summarize)}]`).join('');
    writeStd('stderr', `${msg}\n`);
  }
  return [x];
});

registerKernel('cpu', 'PrintV2', (inputs, ctx) => {
  const template = ctx.attrs.template as (string | null)[];
  const summarize = ctx.attrs.summarize as number;
  let next = 0;
  const parts = template.map((t) => (t === null ? summarizeV2(inputs[next++] as NDArray, summarize) : t));
  printStream(ctx.attrs.output_stream as string)(
    parts.join(ctx.attrs.sep as string) + (ctx.attrs.end as string),
  );
  return [];
});
