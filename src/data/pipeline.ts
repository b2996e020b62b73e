/**
 * The run-time side of tf.data: a dataset definition (plain data stored in the iterator op's attrs) and
 * the values of its input tensors become a `Source`; each `open()` starts one pass over it (an epoch, for
 * `repeat`). Elements are flat lists of NDArrays (the dataset's components). The pipeline runs on the
 * host, pulled one element at a time by `IteratorGetNext`; graph functions (`map`, `filter`) run through
 * the session's executor (`PullContext.call`), never as JS callbacks.
 */
import { FailedPreconditionError, InvalidArgumentError } from '../errors';
import type { DType, TypedArray } from '../graph/dtype';
import type { FuncDef } from '../graph/func_graph';
import { shapeToString } from '../graph/shape';
import { NDArray } from '../ndarray';
import { Random } from '../util/random';

/** A scalar argument: a constant, or the value of the iterator op's input at this index. */
export type ArgDef = number | { input: number };

/** One dataset transformation or source, as plain data (an attr value). */
export type DatasetDef =
  | { op: 'tensors' | 'slices'; components: number[] }
  | { op: 'range'; start: ArgDef; stop: ArgDef; step: ArgDef }
  | { op: 'zip' | 'concatenate'; children: DatasetDef[] }
  | { op: 'map' | 'filter'; child: DatasetDef; fn: FuncDef; captures: number[] }
  | { op: 'batch'; child: DatasetDef; batchSize: ArgDef; dropRemainder: boolean; padded?: Padding }
  | { op: 'shuffle'; child: DatasetDef; bufferSize: ArgDef; seed: number | null; reshuffle: boolean }
  | { op: 'repeat' | 'take' | 'skip'; child: DatasetDef; count: ArgDef }
  | { op: 'prefetch'; child: DatasetDef; bufferSize: ArgDef }
  | { op: 'cache'; child: DatasetDef };

export type Element = NDArray[];

/** `paddedBatch`: per component, the padded shape (null: the batch's largest) and the padding value. */
export interface Padding {
  shapes: (number | null)[][];
  values: number[];
}

/** What pulling an element may need from the run: graph functions and output buffers. */
export interface PullContext {
  call(fn: FuncDef, args: NDArray[]): NDArray[];
  alloc(dtype: DType, size: number): TypedArray;
}

/** One pass over a dataset. `next` returns null at the end (and keeps returning null). */
export interface Stream {
  next(ctx: PullContext): Element | null;
}

/** A dataset whose inputs are known (an initialized iterator's pipeline). */
export interface Source {
  open(): Stream;
}

const EMPTY: Stream = { next: () => null };

/** Builds the source of `def` from the iterator op's input values. */
export function buildSource(def: DatasetDef, inputs: readonly NDArray[]): Source {
  const arg = (a: ArgDef, what: string): number => {
    if (typeof a === 'number') return a;
    const v = inputs[a.input];
    if (!v || v.size !== 1 || v.rank !== 0)
      throw new InvalidArgumentError(`${what} must be a scalar, got shape ${shapeToString(v?.shape ?? [])}`);
    if (v.dtype !== 'int32') throw new InvalidArgumentError(`${what} must be an integer, got ${v.dtype}`);
    return v.data[0] as number;
  };
  const input = (i: number): NDArray => inputs[i] as NDArray;
  switch (def.op) {
    case 'tensors': {
      const element = def.components.map(input);
      return {
        open() {
          let done = false;
          return { next: () => (done ? null : ((done = true), element)) };
        },
      };
    }
    case 'slices':
      return slicesSource(def.components.map(input));
    case 'range': {
      const start = arg(def.start, 'start');
      const stop = arg(def.stop, 'stop');
      const step = arg(def.step, 'step');
      if (step === 0) throw new InvalidArgumentError('step must be a non-zero integer.');
      return {
        open() {
          let i = start;
          return {
            next() {
              if (step > 0 ? i >= stop : i <= stop) return null;
              const out = new NDArray(Int32Array.of(i), [], 'int32');
              i += step;
              return [out];
            },
          };
        },
      };
    }
    case 'zip': {
      const kids = def.children.map((c) => buildSource(c, inputs));
      return {
        open() {
          const streams = kids.map((k) => k.open());
          return {
            next(ctx) {
              const out: NDArray[] = [];
              for (const s of streams) {
                const e = s.next(ctx);
                if (!e) return null;
                out.push(...e);
              }
              return out;
            },
          };
        },
      };
    }
    case 'concatenate': {
      const kids = def.children.map((c) => buildSource(c, inputs));
      return {
        open() {
          let k = 0;
          let cur = kids[0]?.open() ?? EMPTY;
          return {
            next(ctx) {
              for (;;) {
                const e = cur.next(ctx);
                if (e || k + 1 >= kids.length) return e;
                cur = (kids[++k] as Source).open();
              }
            },
          };
        },
      };
    }
    case 'map':
    case 'filter': {
      const child = buildSource(def.child, inputs);
      const captured = def.captures.map(input);
      const fn = def.fn;
      const isMap = def.op === 'map';
      return {
        open() {
          const s = child.open();
          return {
            next(ctx) {
              for (;;) {
                const e = s.next(ctx);
                if (!e) return null;
                const out = ctx.call(fn, [...e, ...captured]);
                if (isMap) return out;
                const keep = out[0] as NDArray;
                if (keep.size !== 1 || keep.dtype !== 'bool') {
                  throw new InvalidArgumentError(
                    `The predicate of Dataset.filter must return a scalar bool, got ${keep.dtype} of shape ${shapeToString(keep.shape)}`,
                  );
                }
                if (keep.data[0] !== 0) return e;
              }
            },
          };
        },
      };
    }
    case 'batch': {
      const child = buildSource(def.child, inputs);
      const size = arg(def.batchSize, 'batch_size');
      if (size <= 0) throw new InvalidArgumentError('Batch size must be greater than zero.');
      const drop = def.dropRemainder;
      const padded = def.padded;
      return {
        open() {
          const s = child.open();
          let ended = false;
          return {
            next(ctx) {
              if (ended) return null;
              const items: Element[] = [];
              while (items.length < size) {
                const e = s.next(ctx);
                if (!e) {
                  ended = true;
                  break;
                }
                items.push(e);
              }
              if (items.length === 0 || (drop && items.length < size)) return null;
              return padded ? padStack(items, padded, ctx) : stack(items, ctx);
            },
          };
        },
      };
    }
    case 'shuffle':
      return shuffleSource(
        buildSource(def.child, inputs),
        arg(def.bufferSize, 'buffer_size'),
        def.seed,
        def.reshuffle,
      );
    case 'repeat': {
      const child = buildSource(def.child, inputs);
      const count = arg(def.count, 'count');
      return {
        open() {
          let epoch = 0;
          let cur: Stream | null = count === 0 ? null : child.open();
          let any = false;
          return {
            next(ctx) {
              while (cur) {
                const e = cur.next(ctx);
                if (e) {
                  any = true;
                  return e;
                }
                epoch++;
                // An empty input ends the repetition (TF1 does not loop forever on it).
                cur = any && (count < 0 || epoch < count) ? child.open() : null;
                any = false;
              }
              return null;
            },
          };
        },
      };
    }
    case 'take':
    case 'skip': {
      const child = buildSource(def.child, inputs);
      const count = arg(def.count, 'count');
      const isTake = def.op === 'take';
      return {
        open() {
          const s = child.open();
          let n = 0;
          let skipped = false;
          return {
            next(ctx) {
              if (isTake) {
                if (count >= 0 && n >= count) return null;
                n++;
                return s.next(ctx);
              }
              if (!skipped) {
                skipped = true;
                for (let i = 0; count < 0 || i < count; i++) if (!s.next(ctx)) return null;
              }
              return s.next(ctx);
            },
          };
        },
      };
    }
    case 'prefetch': {
      const size = arg(def.bufferSize, 'buffer_size');
      if (size < 0 && size !== -1) {
        throw new InvalidArgumentError(
          'buffer_size must be >= 0 or set buffer_size to be -1 for auto-tuning',
        );
      }
      // One thread: elements are produced when pulled, so prefetching changes no value or order.
      return buildSource(def.child, inputs);
    }
    case 'cache':
      return cacheSource(buildSource(def.child, inputs));
  }
}

function slicesSource(components: NDArray[]): Source {
  const first = components[0] as NDArray;
  for (const c of components) {
    if (c.rank === 0)
      throw new InvalidArgumentError(
        'Dataset.fromTensorSlices: a component is a scalar; slicing needs rank >= 1',
      );
    if (c.shape[0] !== first.shape[0]) {
      throw new InvalidArgumentError(
        `Dataset.fromTensorSlices: all components must have the same size in the 0th dimension, got ${shapeToString(first.shape)} and ${shapeToString(c.shape)}`,
      );
    }
  }
  const n = first.shape[0] as number;
  return {
    open() {
      let i = 0;
      return {
        next() {
          if (i >= n) return null;
          const k = i++;
          return components.map((c) => {
            const inner = c.size / n;
            return new NDArray(c.data.subarray(k * inner, (k + 1) * inner), c.shape.slice(1), c.dtype);
          });
        },
      };
    },
  };
}

/** Stacks elements along a new axis 0 (one batch); every element must have the same shapes. */
function stack(items: Element[], ctx: PullContext): Element {
  const first = items[0] as Element;
  return first.map((c0, j) => {
    const out = ctx.alloc(c0.dtype, c0.size * items.length);
    items.forEach((e, i) => {
      const c = e[j] as NDArray;
      if (c.shape.length !== c0.shape.length || c.shape.some((d, q) => d !== c0.shape[q])) {
        throw new InvalidArgumentError(
          `Cannot batch tensors with different shapes in component ${j}. First element had shape ${shapeToString(c0.shape)} and element ${i} had shape ${shapeToString(c.shape)}.`,
        );
      }
      out.set(c.data, i * c0.size);
    });
    return new NDArray(out, [items.length, ...c0.shape], c0.dtype);
  });
}

/** `paddedBatch`: each component padded (at the end of each dim) to its padded shape, then stacked. */
function padStack(items: Element[], pad: Padding, ctx: PullContext): Element {
  return (items[0] as Element).map((c0, j) => {
    const want = pad.shapes[j] as (number | null)[];
    const comps = items.map((e) => e[j] as NDArray);
    const shape = want.map((d, k) => d ?? Math.max(...comps.map((c) => c.shape[k] ?? 0)));
    for (const c of comps) {
      if (c.rank !== want.length || c.shape.some((d, k) => d > (shape[k] as number))) {
        throw new InvalidArgumentError(
          `Attempted to pad to a smaller size than the input element: component ${j} has shape ${shapeToString(c.shape)}, padded shape ${shapeToString(shape)}`,
        );
      }
    }
    const size = shape.reduce((a, b) => a * b, 1);
    const out = ctx.alloc(c0.dtype, size * comps.length);
    out.fill(pad.values[j] ?? 0);
    comps.forEach((c, i) => copyInto(c, shape, out, i * size));
    return new NDArray(out, [comps.length, ...shape], c0.dtype);
  });
}

/** Copies `c` into the leading corner of a row-major block of shape `shape` starting at `offset`. */
function copyInto(c: NDArray, shape: number[], out: TypedArray, offset: number): void {
  const rank = shape.length;
  if (c.size === 0) return;
  if (rank === 0) {
    out[offset] = c.data[0] as number;
    return;
  }
  const strides = new Array<number>(rank);
  for (let k = rank - 1, st = 1; k >= 0; k--) {
    strides[k] = st;
    st *= shape[k] as number;
  }
  const inner = c.shape[rank - 1] as number;
  const rows = c.size / inner;
  const idx = new Array<number>(rank - 1).fill(0);
  for (let r = 0; r < rows; r++) {
    let o = offset;
    for (let k = 0; k < rank - 1; k++) o += (idx[k] as number) * (strides[k] as number);
    out.set(c.data.subarray(r * inner, (r + 1) * inner), o);
    for (let k = rank - 2; k >= 0; k--) {
      idx[k] = (idx[k] as number) + 1;
      if ((idx[k] as number) < (c.shape[k] as number)) break;
      idx[k] = 0;
    }
  }
}

/**
 * TF1's shuffle buffer: fill it with up to `bufferSize` elements, output one picked uniformly at random
 * and put the next input element in its place. With a seed, every initialization gives the same first
 * pass; `reshuffle` draws a new order for each later pass (each epoch of a following `repeat`).
 */
function shuffleSource(child: Source, bufferSize: number, seed: number | null, reshuffle: boolean): Source {
  if (bufferSize <= 0) throw new InvalidArgumentError('buffer_size must be greater than zero.');
  const base = seed ?? (Math.random() * 4294967296) >>> 0;
  const seeds = new Random(base);
  return {
    open() {
      const rng = new Random(reshuffle ? seeds.nextUint32() : base);
      const s = child.open();
      const buffer: Element[] = [];
      let ended = false;
      return {
        next(ctx) {
          while (!ended && buffer.length < bufferSize) {
            const e = s.next(ctx);
            if (e) buffer.push(e);
            else ended = true;
          }
          if (buffer.length === 0) return null;
          const k = Math.floor(rng.uniform() * buffer.length);
          const out = buffer[k] as Element;
          const e = ended ? null : s.next(ctx);
          if (e) buffer[k] = e;
          else {
            ended = true;
            buffer[k] = buffer[buffer.length - 1] as Element;
            buffer.pop();
          }
          return out;
        },
      };
    },
  };
}

/** In-memory `cache()`: the first complete pass is recorded, later passes replay it. */
function cacheSource(child: Source): Source {
  let done: Element[] | null = null;
  return {
    open() {
      if (done) {
        const all = done;
        let i = 0;
        return { next: () => (i < all.length ? (all[i++] as Element) : null) };
      }
      const s = child.open();
      const rec: Element[] = [];
      return {
        next(ctx) {
          const e = s.next(ctx);
          if (e) rec.push(e);
          else if (!done) done = rec;
          return e;
        },
      };
    },
  };
}

/** The iterator's error when `getNext` runs before its initializer (TF1's wording). */
export function notInitializedError(): FailedPreconditionError {
  return new FailedPreconditionError(
    'GetNext() failed because the iterator has not been initialized. Ensure that you have run the initializer operation for this iterator before getting the next element.',
  );
}
