/**
 * `tf.data.Dataset` (TF1 r1.15 semantics): an input pipeline described in the graph and run by an
 * iterator (`makeOneShotIterator`, `makeInitializableIterator`), whose `getNext()` tensors take the next
 * element on every run — no feed dict. Elements are tensors or tuples (arrays) / dicts (plain objects)
 * of tensors. Graph functions (`map`, `filter`) are traced once into a function graph and run per
 * element by the session.
 */
import { InvalidArgumentError } from '../errors';
import type { DType } from '../graph/dtype';
import type { Graph } from '../graph/graph';
import { mergeShapes, Shape, shapeToString } from '../graph/shape';
import { bindCall, CallForms, declare, isOptionsObject, kinds, param } from '../graph/signature';
import { Tensor } from '../graph/tensor';
import { resolveSeed } from '../util/random';
import type { DatasetDef } from './pipeline';
import { flattenNested, leavesLike, Nested, rebuild, sameStructure, Structure } from './structure';
import { Iterator } from './iterator';
import {
  graphOfArgs,
  graphOfTensors,
  lowerNode,
  mostSpecificCompatible,
  Node,
  sameGraph,
  scalarArg,
  toTensors,
  traceElementFn,
} from './lower';
import { argKind, SIG, valueKind } from './signatures';
import './ops';

/**
 * A TF1 dataset. Build one with a static factory, chain transformations, then make an iterator.
 *
 * @example
 * const ds = tf.data.Dataset.fromTensorSlices([x, y]).shuffle(1000, 42).batch(32).repeat();
 * const [xb, yb] = ds.makeOneShotIterator().getNext() as tf.Tensor[];
 */
export class Dataset {
  private constructor(
    /** @internal */ readonly node: Node,
    /** @internal */ readonly structure: Structure,
    /** Flat component dtypes. @internal */ readonly types: readonly DType[],
    /** Flat component static shapes. @internal */ readonly shapes: readonly Shape[],
    /** The graph the dataset's tensors (and its iterators) live in. */
    readonly graph: Graph,
  ) {}

  /** The dtypes of an element, in its structure (TF1's `output_types`). @example ds.outputTypes */
  get outputTypes(): Nested<DType> {
    return rebuild(this.structure, this.types);
  }

  /** The static shapes of an element, in its structure (TF1's `output_shapes`). @example ds.outputShapes */
  get outputShapes(): Nested<Shape> {
    return rebuild(
      this.structure,
      this.shapes.map((s) => (s === null ? null : s.slice())),
    );
  }

  /**
   * One element per slice of `tensors` along dimension 0 (a tensor, or a tuple/dict of them with equal
   * first dimensions). Placeholders are fed when an initializable iterator's initializer runs.
   *
   * @example
   * tf.data.Dataset.fromTensorSlices({ x: xs, y: ys }); // elements {x: xs[i], y: ys[i]}
   */
  static fromTensorSlices = declare(
    'data.Dataset.fromTensorSlices',
    [param('tensors', valueKind)] as const,
    (a) => {
      const { structure, tensors } = toTensors(a.tensors, 'Dataset.fromTensorSlices');
      let n: Shape = null;
      const shapes = tensors.map((t) => {
        if (t.shape !== null && t.shape.length === 0) {
          throw new InvalidArgumentError(
            `Dataset.fromTensorSlices: component ${t.name} is a scalar; slicing needs rank >= 1`,
          );
        }
        const first: Shape = t.shape === null ? null : [t.shape[0] ?? null];
        const merged = mergeShapes(n, first);
        if (merged === undefined) {
          throw new InvalidArgumentError(
            `Dataset.fromTensorSlices: dimensions ${shapeToString(n)} and ${shapeToString(first)} are not compatible: every component must have the same size in dimension 0`,
          );
        }
        n = merged;
        return t.shape === null ? null : t.shape.slice(1);
      });
      return Dataset.make(
        { op: 'slices', components: tensors },
        structure,
        tensors.map((t) => t.dtype),
        shapes,
        graphOfTensors(tensors),
      );
    },
  );

  /**
   * A dataset of one element: `tensors` (a tensor, or a tuple/dict of them).
   *
   * @example
   * tf.data.Dataset.fromTensors([1, 2, 3]); // one element of shape [3]
   */
  static fromTensors = declare('data.Dataset.fromTensors', [param('tensors', valueKind)] as const, (a) => {
    const { structure, tensors } = toTensors(a.tensors, 'Dataset.fromTensors');
    return Dataset.make(
      { op: 'tensors', components: tensors },
      structure,
      tensors.map((t) => t.dtype),
      tensors.map((t) => (t.shape === null ? null : t.shape.slice())),
      graphOfTensors(tensors),
    );
  });

  /**
   * Scalar int32 elements like Python's `range`: `range(stop)`, `range(start, stop)`,
   * `range(start, stop, step)`.
   *
   * @example
   * tf.data.Dataset.range(2, 10, 3); // 2, 5, 8
   */
  static range = declare(
    'data.Dataset.range',
    [
      param('start', argKind),
      param('stop', kinds.nullable(argKind), { default: null }),
      param('step', argKind, { default: 1 }),
    ] as const,
    (a) => {
      const [start, stop] = a.stop === null ? [0, a.start] : [a.start, a.stop];
      if (a.step === 0) throw new InvalidArgumentError('Dataset.range: step must be a non-zero integer.');
      const node: Node = {
        op: 'range',
        start: scalarArg(start, 'start'),
        stop: scalarArg(stop, 'stop'),
        step: scalarArg(a.step, 'step'),
      };
      return Dataset.make(node, { kind: 'leaf' }, ['int32'], [[]], graphOfArgs([start, stop, a.step]));
    },
  );

  /**
   * Zips datasets given as a tuple (array) or dict (object): elements are tuples/dicts of their elements;
   * it ends with the shortest.
   *
   * @example
   * tf.data.Dataset.zip([tf.data.Dataset.range(3), tf.data.Dataset.range(10, 13)]); // [0, 10], [1, 11], …
   */
  static zip(...args: unknown[]): Dataset {
    // A dict of datasets is the positional argument, not an options object (unless it is `{ datasets }`).
    const only = args[0];
    const keyword = args.length === 1 && isOptionsObject(only) && Object.keys(only).join() === 'datasets';
    const a = bindCall(SIG.zip, keyword ? args : args.length === 1 ? [{ datasets: only }] : args);
    const { structure, leaves } = flattenNested<Dataset>(
      a.datasets,
      (x) => x instanceof Dataset,
      'Dataset.zip',
    );
    let i = 0;
    const nest = (s: Structure): Structure => {
      if (s.kind === 'leaf') return (leaves[i++] as Dataset).structure;
      if (s.kind === 'tuple') return { kind: 'tuple', items: s.items.map(nest) };
      return { kind: 'dict', keys: s.keys, items: s.items.map(nest) };
    };
    return Dataset.make(
      { op: 'zip', children: leaves.map((d) => d.node) },
      nest(structure),
      leaves.flatMap((d) => d.types),
      leaves.flatMap((d) => d.shapes),
      sameGraph(leaves.map((d) => d.graph)),
    );
  }

  /**
   * Applies the graph function `mapFunc` to each element. A tuple element is passed as separate arguments
   * (TF1's `map_func(*element)`), a dict or single tensor as one. `mapFunc` is called once, to build the
   * function; it returns a tensor or a tuple/dict of tensors. `numParallelCalls` (a positive integer or
   * `tf.data.experimental.AUTOTUNE`) keeps TF1's deterministic order.
   *
   * @example
   * ds.map((x, y) => [tf.multiply(x, 2), y]);
   */
  map(...args: CallForms<typeof SIG.map.params>): Dataset {
    const a = bindCall(SIG.map, args);
    if (typeof a.numParallelCalls === 'number' && a.numParallelCalls <= 0 && a.numParallelCalls !== -1) {
      throw new InvalidArgumentError('Dataset.map: num_parallel_calls must be positive or AUTOTUNE (-1)');
    }
    if (a.numParallelCalls instanceof Tensor) scalarArg(a.numParallelCalls, 'numParallelCalls');
    const f = this.trace('Dataset.map', a.mapFunc as (...xs: unknown[]) => unknown);
    return Dataset.make(
      { op: 'map', child: this.node, fn: f.fn, captures: f.captures },
      f.structure,
      f.outputs.map((t) => t.dtype),
      f.outputs.map((t) => (t.shape === null ? null : t.shape.slice())),
      this.graph,
    );
  }

  /**
   * Keeps the elements for which the graph function `predicate` (called like `map`'s function) returns
   * true; it must return a scalar bool tensor.
   *
   * @example
   * tf.data.Dataset.range(10).filter((x) => tf.equal(tf.mod(x, 2), 0)); // 0, 2, 4, 6, 8
   */
  filter(...args: CallForms<typeof SIG.filter.params>): Dataset {
    const a = bindCall(SIG.filter, args);
    const f = this.trace('Dataset.filter', a.predicate as (...xs: unknown[]) => unknown);
    const out = f.outputs[0] as Tensor;
    if (f.outputs.length !== 1 || out.dtype !== 'bool' || (out.shape !== null && out.shape.length !== 0)) {
      throw new InvalidArgumentError(
        `Dataset.filter: \`predicate\` must return a scalar boolean tensor, got ${f.outputs.map((t) => `${t.dtype} ${shapeToString(t.shape)}`).join(', ')}`,
      );
    }
    return this.derive({ op: 'filter', child: this.node, fn: f.fn, captures: f.captures });
  }

  /**
   * Stacks `batchSize` consecutive elements into one (a new dimension 0). The last batch may be smaller
   * unless `dropRemainder`.
   *
   * @example
   * tf.data.Dataset.range(5).batch(2); // [0, 1], [2, 3], [4]
   */
  batch(...args: CallForms<typeof SIG.batch.params>): Dataset {
    const a = bindCall(SIG.batch, args);
    if (typeof a.batchSize === 'number' && a.batchSize <= 0) {
      throw new InvalidArgumentError('Dataset.batch: Batch size must be greater than zero.');
    }
    const dim = a.dropRemainder && typeof a.batchSize === 'number' ? a.batchSize : null;
    return Dataset.make(
      {
        op: 'batch',
        child: this.node,
        batchSize: scalarArg(a.batchSize, 'batchSize'),
        dropRemainder: a.dropRemainder,
      },
      this.structure,
      this.types,
      this.shapes.map((s) => (s === null ? null : [dim, ...s])),
      this.graph,
    );
  }

  /**
   * `batch` with padding: each component is padded at the end of every dimension to its padded shape
   * (`null` or -1: the largest in the batch) with its padding value (default 0), as TF1's
   * `padded_batch(batch_size, padded_shapes, padding_values=None, drop_remainder=False)`.
   *
   * @example
   * tf.data.Dataset.range(1, 4).map((n) => tf.fill(tf.reshape(n, [1]), n)).paddedBatch(2, [null]);
   * // [[1, 0], [2, 2]], [[3, 3, 3]]
   */
  paddedBatch(...args: CallForms<typeof SIG.paddedBatch.params>): Dataset {
    // Dicts of shapes / values for a dict element are positional arguments, not the options object:
    // the call is normalized to keywords here, then bound.
    const raw = args as unknown[];
    const s = this.structure;
    const keys = s.kind === 'dict' ? s.keys.join('\0') : undefined;
    const isDictArg = (v: unknown): boolean =>
      isOptionsObject(v) && Object.keys(v).sort().join('\0') === keys;
    const last = raw[raw.length - 1];
    const lastIsValue = isDictArg(last) && (raw.length === 2 || raw.length === 3);
    const options = isOptionsObject(last) && !lastIsValue ? last : {};
    const positional = isOptionsObject(last) && !lastIsValue ? raw.slice(0, -1) : raw;
    const names = SIG.paddedBatch.params.map((q) => q.name);
    if (positional.length > names.length) {
      throw new TypeError(
        `Dataset.paddedBatch() takes at most ${names.length} positional arguments (${names.join(', ')}) but ${positional.length} were given`,
      );
    }
    const opts: Record<string, unknown> = {};
    positional.forEach((v, i) => {
      if (v !== undefined) opts[names[i] as string] = v;
    });
    for (const [k, v] of Object.entries(options)) {
      const camel = k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
      if (camel in opts)
        throw new TypeError(`Dataset.paddedBatch() got multiple values for argument '${camel}'`);
      opts[k] = v;
    }
    const a = bindCall(SIG.paddedBatch, [opts]);
    if (typeof a.batchSize === 'number' && a.batchSize <= 0) {
      throw new InvalidArgumentError('Dataset.paddedBatch: Batch size must be greater than zero.');
    }
    const shapes = leavesLike(s, a.paddedShapes, isShapeList, 'Dataset.paddedBatch: paddedShapes') as (
      number | null
    )[][];
    const padShapes = shapes.map((sh) => sh.map((d) => (d === null || d === -1 ? null : d)));
    const values =
      a.paddingValues === null
        ? this.types.map(() => 0)
        : (
            leavesLike(
              s,
              a.paddingValues,
              (v) => typeof v === 'number' || typeof v === 'boolean',
              'Dataset.paddedBatch: paddingValues',
            ) as (number | boolean)[]
          ).map(Number);
    padShapes.forEach((p, j) => {
      const c = this.shapes[j] ?? null;
      if (
        c !== null &&
        (c.length !== p.length || c.some((d, k) => d !== null && p[k] !== null && d > (p[k] as number)))
      ) {
        throw new InvalidArgumentError(
          `Dataset.paddedBatch: the padded shape ${shapeToString(p)} is not compatible with the corresponding input component shape ${shapeToString(c)}`,
        );
      }
    });
    const dim = a.dropRemainder && typeof a.batchSize === 'number' ? a.batchSize : null;
    return Dataset.make(
      {
        op: 'batch',
        child: this.node,
        batchSize: scalarArg(a.batchSize, 'batchSize'),
        dropRemainder: a.dropRemainder,
        padded: { shapes: padShapes, values },
      },
      s,
      this.types,
      padShapes.map((p) => [dim, ...p]),
      this.graph,
    );
  }

  /**
   * Shuffles with TF1's buffer: fill `bufferSize` elements, output a uniformly picked one, replace it by
   * the next input element. Deterministic with `seed` or `tf.setRandomSeed`; `reshuffleEachIteration`
   * (default true) gives each epoch of a following `repeat` a new order.
   *
   * @example
   * tf.data.Dataset.range(100).shuffle(100, 7).batch(10);
   */
  shuffle(...args: CallForms<typeof SIG.shuffle.params>): Dataset {
    const a = bindCall(SIG.shuffle, args);
    if (typeof a.bufferSize === 'number' && a.bufferSize <= 0) {
      throw new InvalidArgumentError('Dataset.shuffle: buffer_size must be greater than zero.');
    }
    const g = this.graph;
    // TF1's get_seed: an op seed or the graph seed makes it deterministic; neither, a fresh seed per init.
    const seed =
      a.seed === null && g.seed === undefined ? null : resolveSeed(g.seed, a.seed ?? undefined, g.version);
    return this.derive({
      op: 'shuffle',
      child: this.node,
      bufferSize: scalarArg(a.bufferSize, 'bufferSize'),
      seed,
      reshuffle: a.reshuffleEachIteration ?? true,
    });
  }

  /**
   * Repeats the dataset `count` times (`null` or -1: forever).
   *
   * @example
   * tf.data.Dataset.range(2).repeat(3); // 0, 1, 0, 1, 0, 1
   */
  repeat(...args: CallForms<typeof SIG.repeat.params>): Dataset {
    const a = bindCall(SIG.repeat, args);
    return this.derive({ op: 'repeat', child: this.node, count: scalarArg(a.count ?? -1, 'count') });
  }

  /** The first `count` elements (-1: all). @example tf.data.Dataset.range(10).take(3); // 0, 1, 2 */
  take(...args: CallForms<typeof SIG.take.params>): Dataset {
    const a = bindCall(SIG.take, args);
    return this.derive({ op: 'take', child: this.node, count: scalarArg(a.count, 'count') });
  }

  /** All but the first `count` elements (-1: none). @example tf.data.Dataset.range(5).skip(3); // 3, 4 */
  skip(...args: CallForms<typeof SIG.skip.params>): Dataset {
    const a = bindCall(SIG.skip, args);
    return this.derive({ op: 'skip', child: this.node, count: scalarArg(a.count, 'count') });
  }

  /**
   * TF1's prefetch buffer (`bufferSize` ≥ 0, or -1 for AUTOTUNE). The pipeline runs on the calling thread
   * when an element is pulled, so prefetching changes neither values nor order.
   *
   * @example
   * ds.batch(32).prefetch(1);
   */
  prefetch(...args: CallForms<typeof SIG.prefetch.params>): Dataset {
    const a = bindCall(SIG.prefetch, args);
    if (typeof a.bufferSize === 'number' && a.bufferSize < 0 && a.bufferSize !== -1) {
      throw new InvalidArgumentError(
        'Dataset.prefetch: buffer_size must be >= 0 or set buffer_size to be -1 for auto-tuning',
      );
    }
    return this.derive({
      op: 'prefetch',
      child: this.node,
      bufferSize: scalarArg(a.bufferSize, 'bufferSize'),
    });
  }

  /**
   * Caches the elements in memory after the first complete pass (`filename` must be '': file caches are
   * not supported).
   *
   * @example
   * ds.map(preprocess).cache().repeat();
   */
  cache(...args: CallForms<typeof SIG.cache.params>): Dataset {
    const a = bindCall(SIG.cache, args);
    if (a.filename !== '') {
      throw new InvalidArgumentError(
        `Dataset.cache: caching to a file ('${a.filename}') is not supported; use cache() for the in-memory cache`,
      );
    }
    return this.derive({ op: 'cache', child: this.node });
  }

  /**
   * The elements of this dataset, then those of `dataset` (same structure and dtypes).
   *
   * @example
   * tf.data.Dataset.range(2).concatenate(tf.data.Dataset.range(5, 7)); // 0, 1, 5, 6
   */
  concatenate(...args: CallForms<typeof SIG.concatenate.params>): Dataset {
    const other = bindCall(SIG.concatenate, args).dataset;
    if (!sameStructure(this.structure, other.structure) || this.types.some((t, i) => t !== other.types[i])) {
      throw new TypeError(
        `Dataset.concatenate: the datasets have different types ${JSON.stringify(this.outputTypes)} and ${JSON.stringify(other.outputTypes)}`,
      );
    }
    const shapes = this.shapes.map((s, i) => mostSpecificCompatible(s, other.shapes[i] ?? null));
    return Dataset.make(
      { op: 'concatenate', children: [this.node, other.node] },
      this.structure,
      this.types,
      shapes,
      sameGraph([this.graph, other.graph]),
    );
  }

  /** `transformationFunc(this)`, which returns a Dataset. @example ds.apply((d) => d.batch(2)) */
  apply(...args: CallForms<typeof SIG.apply.params>): Dataset {
    const fn = bindCall(SIG.apply, args).transformationFunc as (d: Dataset) => unknown;
    const out = fn(this);
    if (!(out instanceof Dataset))
      throw new TypeError('Dataset.apply: `transformationFunc` must return a Dataset');
    return out;
  }

  /**
   * An iterator that initializes itself on its first run in each session (its dataset may not depend on
   * placeholders: use `makeInitializableIterator` for those).
   *
   * @example
   * const next = ds.makeOneShotIterator().getNext();
   */
  makeOneShotIterator(): Iterator {
    return Iterator.oneShot(this);
  }

  /**
   * An iterator with an `initializer` op that (re)starts it, reading placeholders fed at that run.
   *
   * @example
   * const it = ds.makeInitializableIterator();
   * sess.run(it.initializer, { x: data });
   */
  makeInitializableIterator(...args: CallForms<typeof SIG.makeInitializableIterator.params>): Iterator {
    const a = bindCall(SIG.makeInitializableIterator, args);
    if (a.sharedName !== null && a.sharedName !== '') {
      throw new InvalidArgumentError(
        'Dataset.makeInitializableIterator: sharedName (sharing an iterator between sessions) is not supported',
      );
    }
    return Iterator.initializable(this);
  }

  /** @internal The definition as plain data, with the input tensors it reads (for iterator ops). */
  lower(): { def: DatasetDef; inputs: Tensor[] } {
    return lowerNode(this.node);
  }

  private static make(
    node: Node,
    structure: Structure,
    types: readonly DType[],
    shapes: readonly Shape[],
    graph: Graph,
  ): Dataset {
    return new Dataset(node, structure, types.slice(), shapes.slice(), graph);
  }

  private derive(node: Node): Dataset {
    return new Dataset(node, this.structure, this.types, this.shapes, this.graph);
  }

  private trace(what: string, fn: (...xs: unknown[]) => unknown): ReturnType<typeof traceElementFn> {
    return traceElementFn(this, what, fn);
  }
}

function isShapeList(v: unknown): boolean {
  return Array.isArray(v) && v.every((d) => d === null || (Number.isInteger(d) && (d as number) >= -1));
}
