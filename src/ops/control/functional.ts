import { InvalidArgumentError } from '../../errors';
import { DType } from '../../graph/dtype';
import { getDefaultGraph, Graph } from '../../graph/graph';
import { declare, kinds, param, parseDType } from '../../graph/signature';
import { Tensor, TensorLike } from '../../graph/tensor';
import { NDArray } from '../../ndarray';
import { concat } from '../array/concat';
import { expandDims } from '../array/expand_dims';
import { gather } from '../array/gather';
import { reverse as reverseOp } from '../array/reverse';
import { shape as shapeOf } from '../fill/shape';
import { add, less, maximum, subtract } from '../math/builders';
import { convertToTensor } from '../op_def';
import { assertSameStructure, flatten, isComposite, Nested, packSequenceAs, structureString } from './nest';
import { TensorArray } from './tensor_array';
import { buildWhile } from './while_loop';

/*
 * TF1's functional higher-order ops (`tf.map_fn`, `tf.scan`, `tf.foldl`, `tf.foldr`), as in TF1 built on
 * a while loop: the elements are unstacked into TensorArrays read by index in the loop body, so the
 * number of elements may be known only at run time (a placeholder [null, 3]). Per-iteration results
 * are stacked by the While op itself (its accumulated outputs), and gradients flow through the loop to
 * `elems`, the initializer and every tensor `fn` captures.
 */

function isValueLeaf(v: unknown): boolean {
  return v instanceof Tensor || v instanceof NDArray || ArrayBuffer.isView(v);
}

/** The keyword names of these functions: a record of only these is the options object, not elems. */
const KEYWORDS = new Set(
  [
    'elems',
    'initializer',
    'dtype',
    'parallelIterations',
    'backProp',
    'swapMemory',
    'inferShape',
    'reverse',
    'name',
  ]
    .flatMap((k) => [k, k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)])
    .concat(['infer_shape']),
);

function holdsTensor(v: unknown): boolean {
  if (isValueLeaf(v)) return true;
  if (Array.isArray(v)) return v.some(holdsTensor);
  return typeof v === 'object' && v !== null && Object.values(v).some(holdsTensor);
}

/** A structure of tensors: arrays and records whose leaves are Tensors, NDArrays or plain numbers. */
function isElemsStructure(v: unknown): boolean {
  if (isValueLeaf(v) || typeof v === 'number' || typeof v === 'boolean') return true;
  if (isComposite(v)) return false;
  if (Array.isArray(v)) return v.length > 0 && v.every(isElemsStructure);
  if (typeof v === 'object' && v !== null) {
    if (Object.getPrototypeOf(v) === Object.prototype) {
      // A plain record is a structure only when it holds a tensor; otherwise it is the options object
      // (so `{ sum: 0 }` as an initializer needs tensors: `{ sum: tf.constant(0) }`).
      if (Object.keys(v).every((k) => KEYWORDS.has(k)) || !holdsTensor(v)) return false;
    }
    const vals = Object.values(v);
    return vals.length > 0 && vals.every(isElemsStructure);
  }
  return false;
}

const elemsKind = kinds.custom<unknown>(
  'a Tensor (or a value convertible to one), or a nested structure (arrays, records) of them',
  isElemsStructure,
  () => [1, 2],
);

const initKind = kinds.nullable(
  kinds.custom<unknown>(
    'a Tensor (or a value convertible to one), or a nested structure (arrays, records) of them',
    isElemsStructure,
  ),
);

function isDtypeStructure(v: unknown): boolean {
  if (parseDType(v) !== undefined) return true;
  if (Array.isArray(v)) return v.length > 0 && v.every(isDtypeStructure);
  if (typeof v === 'object' && v !== null) {
    const vals = Object.values(v);
    return vals.length > 0 && vals.every(isDtypeStructure);
  }
  return false;
}

const dtypeStructureKind = kinds.nullable(
  kinds.custom<unknown>(
    'a dtype, or a nested structure (arrays, records) of dtypes matching the output of fn',
    isDtypeStructure,
    () => 'float32',
    true,
  ),
);

/** A structure of dtypes as [skeleton with leaves 0, flat dtypes]. */
function dtypeSkeleton(v: unknown): [unknown, DType[]] {
  const flat: DType[] = [];
  const walk = (x: unknown): unknown => {
    const dt = parseDType(x);
    if (dt !== undefined) {
      flat.push(dt);
      return 0;
    }
    if (Array.isArray(x)) return x.map(walk);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x as object).sort()) out[k] = walk((x as Record<string, unknown>)[k]);
    return out;
  };
  return [walk(v), flat];
}

/**
 * `elems` with its flat lists of plain numbers taken as one tensor each (a JS array literal stands for
 * TF1's numpy array; TF1 would reject a Python list of scalars, since its elements have no first dim).
 */
function normalizeElems(v: unknown): unknown {
  if (Array.isArray(v)) {
    if (v.every((e) => typeof e === 'number' || typeof e === 'boolean')) return v;
    return v.map(normalizeElems);
  }
  if (isValueLeaf(v) || typeof v !== 'object' || v === null) return v;
  const proto = Object.getPrototypeOf(v) as object | null;
  const out = Object.create(proto) as Record<string, unknown>;
  for (const k of Object.keys(v)) out[k] = normalizeElems((v as Record<string, unknown>)[k]);
  return out;
}

/** Flattens a structure whose flat number lists are leaves (see normalizeElems). */
function flattenElems(v: unknown): unknown[] {
  if (Array.isArray(v) && v.every((e) => typeof e === 'number' || typeof e === 'boolean')) return [v];
  if (Array.isArray(v)) return v.flatMap(flattenElems);
  if (isValueLeaf(v) || typeof v !== 'object' || v === null) return [v];
  return Object.keys(v)
    .sort()
    .flatMap((k) => flattenElems((v as Record<string, unknown>)[k]));
}

/** Rebuilds `structure` (see flattenElems) with `leaves`. */
function packElems(structure: unknown, leaves: readonly unknown[]): unknown {
  let i = 0;
  const build = (v: unknown): unknown => {
    if (Array.isArray(v) && v.every((e) => typeof e === 'number' || typeof e === 'boolean'))
      return leaves[i++];
    if (Array.isArray(v)) return v.map(build);
    if (isValueLeaf(v) || typeof v !== 'object' || v === null) return leaves[i++];
    const out = Object.create(Object.getPrototypeOf(v) as object | null) as Record<string, unknown>;
    for (const k of Object.keys(v).sort()) out[k] = build((v as Record<string, unknown>)[k]);
    return out;
  };
  return build(structure);
}

interface Elems {
  structure: unknown;
  /** The elements' TensorArrays, one per flattened tensor of elems. */
  tas: TensorArray[];
  /** Number of elements: static, or an int32 scalar tensor. */
  n: number | Tensor;
}

function unstackElems(fnName: string, elems: unknown, graph: Graph): Elems {
  const structure = normalizeElems(elems);
  const flat = flattenElems(structure).map((e) => convertToTensor(e as TensorLike, undefined, graph));
  if (flat.length === 0) throw new InvalidArgumentError(`${fnName}(): elems must hold at least one tensor`);
  for (const e of flat) {
    if (e.shape !== null && e.shape.length === 0) {
      throw new InvalidArgumentError(
        flat.length === 1
          ? `${fnName}(): elems must be a 1+ dimensional Tensor, not a scalar`
          : `${fnName}(): elements in elems must be 1+ dimensional Tensors, not scalars`,
      );
    }
  }
  const first = flat[0] as Tensor;
  const d0 = first.shape?.[0];
  const n: number | Tensor = d0 === null || d0 === undefined ? gather(shapeOf(first), 0) : d0;
  const tas = flat.map((e) =>
    new TensorArray(e.dtype, { size: n, dynamicSize: false, inferShape: true }).unstack(e),
  );
  return { structure, tas, n };
}

function readElems(e: Elems, index: Tensor): unknown {
  return packElems(
    e.structure,
    e.tas.map((ta) => ta.read(index)),
  );
}

/** `fn`'s result as flat tensors, checked against the expected structure and dtypes. */
function flatResult(
  fnName: string,
  out: unknown,
  skeleton: unknown,
  dtypes: readonly DType[],
  what: string,
): Tensor[] {
  if (out === undefined) throw new TypeError(`${fnName}(): fn returned undefined; it must return ${what}`);
  assertSameStructure(skeleton, out, `${fnName}(): fn must return ${what}`);
  return flatten(out as Nested<TensorLike>).map((v, j) => {
    const t = convertToTensor(v, dtypes[j]);
    if (t.dtype !== dtypes[j]) {
      throw new InvalidArgumentError(
        `${fnName}(): fn returned a ${t.dtype} tensor where ${what} has dtype ${dtypes[j]} (output ${j}${fnName === 'mapFn' ? "; pass the outputs' dtypes as mapFn's dtype" : ''})`,
      );
    }
    return t;
  });
}

const positiveInt = kinds.custom<number>(
  'a positive integer',
  (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1,
  () => 10,
);
const NAME = param('name', kinds.name, { default: undefined as string | undefined });

/** Counter < n. */
function before(i: Tensor, n: number | Tensor): Tensor {
  return less(i, n);
}

/**
 * Applies `fn` to each element of `elems` (its slices along the first dimension) and stacks the
 * results — TF1's `tf.map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True,
 * swap_memory=False, infer_shape=True, name=None)`. `elems` may be a nested structure (arrays,
 * records) of tensors with the same first dimension; `fn` then receives the structure of their slices.
 * When `fn` returns a different structure or dtypes than `elems`, `dtype` gives them (a dtype or a
 * structure of dtypes). The first dimension may be unknown until run time. Runs as a while loop:
 * `parallelIterations` and `swapMemory` are TF1 performance hints (checked, no effect on the values);
 * `inferShape` only affects static shapes; `backProp: false` stops gradients.
 *
 * @example
 * const squares = tf.mapFn((x) => tf.multiply(x, x), tf.constant([1, 2, 3, 4, 5, 6]));
 * // [1, 4, 9, 16, 25, 36]
 * const sums = tf.mapFn(([a, b]) => tf.add(a, b), [xs, ys], { dtype: tf.float32 });
 */
export const mapFn = declare(
  'mapFn',
  [
    param('fn', kinds.fn),
    param('elems', elemsKind),
    param('dtype', dtypeStructureKind, { default: null }),
    param('parallelIterations', kinds.nullable(positiveInt), { default: null }),
    param('backProp', kinds.bool, { default: true }),
    param('swapMemory', kinds.bool, { default: false }),
    param('inferShape', kinds.bool, { default: true }),
    NAME,
  ] as const,
  (a): unknown => {
    const graph = getDefaultGraph();
    return graph.nameScope(a.name ?? 'map', () => {
      const e = unstackElems('mapFn', a.elems, graph);
      const [skeleton, dtypes] =
        a.dtype === null
          ? dtypeSkeleton(
              packElems(
                e.structure,
                e.tas.map((t) => t.dtype),
              ),
            )
          : dtypeSkeleton(a.dtype);
      const userFn = a.fn as (x: unknown) => unknown;
      const r = buildWhile({
        name: 'while',
        loopVars: [convertToTensor(0, 'int32', graph)],
        cond: (i) => before(i, e.n),
        body: (i) => {
          const out = userFn(readElems(e, i));
          const what =
            a.dtype === null
              ? `the structure and dtypes of elems (${structureString(skeleton)})`
              : `the structure of dtype (${structureString(skeleton)})`;
          return { next: [add(i, 1)], acc: flatResult('mapFn', out, skeleton, dtypes, what) };
        },
        accSize: e.n,
        backProp: a.backProp,
      });
      return packSequenceAs(skeleton as Nested<unknown>, r.accs);
    });
  },
);

/** The initial accumulator: the initializer's tensors, or the first (last) element of elems. */
function initialAccumulator(
  e: Elems,
  initializer: unknown,
  first: number | Tensor,
  graph: Graph,
): { structure: unknown; flat: Tensor[] } {
  if (initializer === null) {
    const idx = convertToTensor(first, 'int32', graph);
    const structure = readElems(e, idx);
    return { structure, flat: flatten(structure as Nested<Tensor>) };
  }
  const structure = initializer;
  // Plain numbers take the elements' dtype (TF1: `initializer=0` next to int32 elems is an int32 0).
  const elemDtype = e.tas[0]?.dtype;
  const hintFor = (v: unknown): DType | undefined =>
    typeof v === 'number' && (elemDtype !== 'int32' || Number.isInteger(v)) ? elemDtype : undefined;
  const flat = flatten(structure as Nested<TensorLike>).map((v) => convertToTensor(v, hintFor(v), graph));
  return { structure, flat };
}

/** n - 1 - k (the element a reversed loop visits at iteration k). */
function mirrored(n: number | Tensor, k: Tensor): Tensor {
  return typeof n === 'number' ? subtract(n - 1, k) : subtract(subtract(n, 1), k);
}

function lastIndex(n: number | Tensor): number | Tensor {
  return typeof n === 'number' ? n - 1 : subtract(n, 1);
}

/** Shared loop of scan and the folds: a ← fn(a, elems[index(k)]) for k = k0 .. n-1. */
function accumulate(
  fnName: string,
  fn: (acc: unknown, x: unknown) => unknown,
  e: Elems,
  init: { structure: unknown; flat: Tensor[] },
  k0: number,
  index: (k: Tensor) => Tensor,
  options: { backProp: boolean; collect: boolean },
  graph: Graph,
): { finals: Tensor[]; accs: Tensor[] } {
  const [skeleton, dtypes] = dtypeSkeleton(
    packSequenceAs(
      init.structure as Nested<unknown>,
      init.flat.map((t) => t.dtype),
    ),
  );
  const what = `the structure and dtypes of the accumulator (${structureString(skeleton)})`;
  const size =
    typeof e.n === 'number' ? Math.max(e.n - k0, 0) : k0 === 0 ? e.n : maximum(subtract(e.n, k0), 0);
  const r = buildWhile({
    name: 'while',
    loopVars: [convertToTensor(k0, 'int32', graph), ...init.flat],
    cond: (k) => before(k, e.n),
    body: (k, ...as) => {
      const acc = packSequenceAs(init.structure as Nested<unknown>, as);
      const out = flatResult(fnName, fn(acc, readElems(e, index(k))), skeleton, dtypes, what);
      return { next: [add(k, 1), ...out], ...(options.collect ? { acc: out } : {}) };
    },
    ...(options.collect ? { accSize: size } : {}),
    backProp: options.backProp,
  });
  return { finals: r.finals.slice(1), accs: r.accs };
}

const FOLD_PARAMS = [
  param('fn', kinds.fn),
  param('elems', elemsKind),
  param('initializer', initKind, { default: null }),
  param('parallelIterations', positiveInt, { default: 10 }),
  param('backProp', kinds.bool, { default: true }),
  param('swapMemory', kinds.bool, { default: false }),
  NAME,
] as const;

function fold(
  fnName: 'foldl' | 'foldr',
  a: { fn: unknown; elems: unknown; initializer: unknown; backProp: boolean; name: string | undefined },
): unknown {
  const graph = getDefaultGraph();
  return graph.nameScope(a.name ?? fnName, () => {
    const e = unstackElems(fnName, a.elems, graph);
    const right = fnName === 'foldr';
    const init = initialAccumulator(e, a.initializer, right ? lastIndex(e.n) : 0, graph);
    const k0 = a.initializer === null ? 1 : 0;
    // foldr visits elements n-1-k (k counts iterations from k0).
    const index = (k: Tensor): Tensor => (right ? mirrored(e.n, k) : k);
    const r = accumulate(
      fnName,
      a.fn as (acc: unknown, x: unknown) => unknown,
      e,
      init,
      k0,
      index,
      { backProp: a.backProp, collect: false },
      graph,
    );
    return packSequenceAs(init.structure as Nested<unknown>, r.finals);
  });
}

/**
 * Folds `fn` over the elements of `elems` from first to last — TF1's `tf.foldl(fn, elems,
 * initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None)`:
 * `a = fn(a, x)` for each element `x`, starting from `initializer` or, without one, from the first
 * element (then folding the rest). `elems` and `initializer` may be nested structures; `fn` returns the
 * accumulator's structure. The number of elements may be unknown until run time.
 *
 * @example
 * const total = tf.foldl((a, x) => tf.add(a, x), tf.constant([1, 2, 3, 4, 5, 6])); // 21
 */
export const foldl = declare('foldl', FOLD_PARAMS, (a): unknown => fold('foldl', a));

/**
 * Folds `fn` over the elements of `elems` from last to first — TF1's `tf.foldr(fn, elems,
 * initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None)`; without an
 * initializer the accumulator starts as the last element. See `tf.foldl`.
 *
 * @example
 * const total = tf.foldr((a, x) => tf.add(a, x), tf.constant([1, 2, 3, 4, 5, 6])); // 21
 */
export const foldr = declare('foldr', FOLD_PARAMS, (a): unknown => fold('foldr', a));

/**
 * Scans `fn` over the elements of `elems` and stacks every accumulator — TF1's `tf.scan(fn, elems,
 * initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, infer_shape=True,
 * reverse=False, name=None)`: `a = fn(a, x)` for each element; result `i` is the accumulator after
 * element `i`. Without an initializer the first element is the initial accumulator and the first
 * result; `reverse` scans from the last element (results keep the elements' positions). Nested
 * structures work as in `tf.foldl`; the number of elements may be unknown until run time.
 *
 * @example
 * tf.scan((a, x) => tf.add(a, x), tf.constant([1, 2, 3, 4, 5, 6])); // [1, 3, 6, 10, 15, 21]
 * tf.scan((a, x) => tf.add(a, x), elems, { reverse: true });       // [21, 20, 18, 15, 11, 6]
 */
export const scan = declare(
  'scan',
  [
    param('fn', kinds.fn),
    param('elems', elemsKind),
    param('initializer', initKind, { default: null }),
    param('parallelIterations', positiveInt, { default: 10 }),
    param('backProp', kinds.bool, { default: true }),
    param('swapMemory', kinds.bool, { default: false }),
    param('inferShape', kinds.bool, { default: true }),
    param('reverse', kinds.bool, { default: false }),
    NAME,
  ] as const,
  (a): unknown => {
    const graph = getDefaultGraph();
    return graph.nameScope(a.name ?? 'scan', () => {
      const e = unstackElems('scan', a.elems, graph);
      const init = initialAccumulator(e, a.initializer, a.reverse ? lastIndex(e.n) : 0, graph);
      const k0 = a.initializer === null ? 1 : 0;
      const index = (k: Tensor): Tensor => (a.reverse ? mirrored(e.n, k) : k);
      const r = accumulate(
        'scan',
        a.fn as (acc: unknown, x: unknown) => unknown,
        e,
        init,
        k0,
        index,
        { backProp: a.backProp, collect: true },
        graph,
      );
      const results = r.accs.map((acc, j) => {
        const ordered = a.reverse ? reverseOp(acc, [0]) : acc;
        if (a.initializer !== null) return ordered;
        const first = expandDims(init.flat[j] as Tensor, 0);
        return a.reverse ? concat([ordered, first], 0) : concat([first, ordered], 0);
      });
      return packSequenceAs(init.structure as Nested<unknown>, results);
    });
  },
);
