import { InvalidArgumentError } from '../errors';
import { getDefaultGraph, GraphKeys } from '../graph/graph';
import { declare, kinds, param } from '../graph/signature';
import { shapeToString } from '../graph/shape';
import { Tensor, TensorLike } from '../graph/tensor';
import { convertToTensor, defineOp, InferContext, makeOp, OutputSpec } from '../ops/op_def';
import { SUMMARY_OP_TYPES } from './serialized';

/**
 * Summary ops (TF1's ScalarSummary, HistogramSummary, MergeSummary). Their output is a serialized
 * `Summary` protobuf: a scalar int32 tensor whose value is a `SerializedSummary` (see serialized.ts).
 * They are stateful so no pass folds, merges or caches them, and have no gradient.
 */
const SUMMARY_OUTPUT: OutputSpec[] = [{ shape: [], dtype: 'int32' }];

function tagOf(ctx: InferContext): string {
  const tag = ctx.attrs.tag;
  if (typeof tag !== 'string' || tag === '') ctx.fail(`${ctx.type} needs a non-empty string attr 'tag'`);
  return tag as string;
}

function checkRealNumber(ctx: InferContext): void {
  if (ctx.dtypes[0] === 'bool')
    ctx.fail(`Value for attr 'T' of bool is not in the list of allowed values: float32, int32`);
}

defineOp({
  type: 'ScalarSummary',
  stateful: true,
  grad: 'none',
  infer: (ctx) => {
    const tag = tagOf(ctx);
    if (ctx.shapes.length !== 1) ctx.fail('ScalarSummary takes one input');
    checkRealNumber(ctx);
    const s = ctx.shapes[0];
    if (s !== null && s !== undefined && s.length !== 0)
      ctx.fail(`tags and values not the same shape: [] != ${shapeToString(s)} (tag '${tag}')`);
    return SUMMARY_OUTPUT;
  },
});

defineOp({
  type: 'HistogramSummary',
  stateful: true,
  grad: 'none',
  infer: (ctx) => {
    tagOf(ctx);
    if (ctx.shapes.length !== 1) ctx.fail('HistogramSummary takes one input');
    checkRealNumber(ctx);
    return SUMMARY_OUTPUT;
  },
});

defineOp({
  type: 'MergeSummary',
  stateful: true,
  grad: 'none',
  infer: (ctx) => {
    if (ctx.shapes.length === 0) ctx.fail('MergeSummary needs at least one input');
    ctx.shapes.forEach((s, i) => {
      if (ctx.dtypes[i] !== 'int32' || (s !== null && s.length !== 0))
        ctx.fail(`input ${i} is not a serialized summary (a scalar from a summary op)`);
    });
    return SUMMARY_OUTPUT;
  },
});

export interface SummaryOptions {
  /** Collections to add the summary to (default `[GraphKeys.SUMMARIES]`). */
  collections?: string[];
  /** Tag prefix: the summary shows under this tab in TensorBoard (tag `family/<scope>`). */
  family?: string;
}

/** TF1's `clean_tag`: characters outside `[-/\w.]` become `_`; leading slashes are dropped. */
function cleanTag(name: string): string {
  const clean = name.replace(/[^-/\w.]/g, '_').replace(/^\/+/, '');
  if (clean === '')
    throw new InvalidArgumentError(`Summary name ${JSON.stringify(name)} is empty after cleaning`);
  return clean;
}

/** TF1's `summary_scope`: the op takes the (unique) scope name; the tag is that name, behind `family/`. */
function summaryOp(type: string, name: string, input: TensorLike, opts: SummaryOptions): Tensor {
  const x = input instanceof Tensor ? input : convertToTensor(input);
  const g = x.graph;
  const clean = cleanTag(name);
  const family = opts.family === undefined ? undefined : cleanTag(opts.family);
  const opName = g.uniqueName(family ? `${family}/${clean}` : clean);
  const tag = family ? `${family}/${opName}` : opName;
  const t = makeOp(type, [x], { tag }, undefined, g, { exactName: opName }).outputs[0] as Tensor;
  for (const c of opts.collections ?? [GraphKeys.SUMMARIES]) g.addToCollection(c, t);
  return t;
}

/** A string parameter other than `name`: a positional string there is its value, not the op name. */
const text = kinds.custom<string>(
  'a string',
  (v) => typeof v === 'string',
  () => 's',
  true,
);
const strings = kinds.custom<string[]>(
  'a list of collection names (strings)',
  (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
  () => ['c'],
);
const summaryParams = <const N extends string>(input: N) =>
  [
    param('name', kinds.string),
    param(input, kinds.tensor),
    param('collections', kinds.nullable(strings), { default: null }),
    param('family', kinds.nullable(text), { default: null }),
  ] as const;

/**
 * A summary with one scalar value (TF1's `tf.summary.scalar(name, tensor, collections=None,
 * family=None)`). The tag is `name` under the current name scope. Run it (or `mergeAll()`) and pass the
 * result to `FileWriter.addSummary`.
 *
 * @example
 * tf.summary.scalar('loss', loss);
 * const merged = tf.summary.mergeAll()!;
 * writer.addSummary(sess.run(merged, feed), step);
 */
export const scalar = declare('scalar', summaryParams('tensor'), (a): Tensor =>
  summaryOp('ScalarSummary', a.name, a.tensor as TensorLike, {
    ...(a.collections !== null ? { collections: a.collections } : {}),
    ...(a.family !== null ? { family: a.family } : {}),
  }),
);

/**
 * A histogram of a tensor's values (TF1's `tf.summary.histogram(name, values, collections=None,
 * family=None)`, with TF's bucket boundaries). Running it fails if a value is NaN or infinite.
 *
 * @example
 * tf.summary.histogram('weights', W);
 */
export const histogram = declare('histogram', summaryParams('values'), (a): Tensor =>
  summaryOp('HistogramSummary', a.name, a.values as TensorLike, {
    ...(a.collections !== null ? { collections: a.collections } : {}),
    ...(a.family !== null ? { family: a.family } : {}),
  }),
);

function mergeImpl(inputs: readonly Tensor[], collections: string[], name: string | null): Tensor {
  if (inputs.length === 0) throw new InvalidArgumentError('tf.summary.merge needs at least one summary');
  for (const t of inputs) {
    if (!(t instanceof Tensor) || !SUMMARY_OP_TYPES.includes(t.op.type)) {
      throw new InvalidArgumentError(`tf.summary.merge: ${String(t)} is not the output of a summary op`);
    }
  }
  const g = (inputs[0] as Tensor).graph;
  // TF1: op `MergeSummary` in scope `Merge` (or op `name` in scope `name`).
  const t = g.nameScope(
    name ?? 'Merge',
    () => makeOp('MergeSummary', inputs, {}, name ?? 'MergeSummary', g).outputs[0] as Tensor,
  );
  for (const c of collections) g.addToCollection(c, t);
  return t;
}

/**
 * One summary holding the values of all `inputs` (TF1's `tf.summary.merge(inputs, collections=None,
 * name=None)`). Duplicate tags are an error when it runs.
 *
 * @example
 * const s = tf.summary.merge([lossSummary, accSummary]);
 */
export const merge = declare(
  'merge',
  [
    param(
      'inputs',
      kinds.custom<Tensor[]>(
        'a list of summary tensors',
        (v) => Array.isArray(v),
        () => [],
      ),
    ),
    param('collections', kinds.nullable(strings), { default: null }),
    param('name', kinds.nullable(kinds.name), { default: null }),
  ] as const,
  (a): Tensor => mergeImpl(a.inputs, a.collections ?? [], a.name),
);

/**
 * Merges every summary in collection `key` of the default graph (TF1's `tf.summary.merge_all(key=
 * SUMMARIES, scope=None, name=None)`); `null` when there is none. `scope` keeps only summaries whose
 * name matches it from the start (a regular expression, as in TF1).
 *
 * @example
 * const merged = tf.summary.mergeAll();
 */
export const mergeAll = declare(
  'mergeAll',
  [
    param('key', text, { default: GraphKeys.SUMMARIES as string }),
    param('scope', kinds.nullable(text), { default: null }),
    param('name', kinds.nullable(kinds.name), { default: null }),
  ] as const,
  (a): Tensor | null => {
    const g = getDefaultGraph();
    let items = g.getCollection<unknown>(a.key).filter((t): t is Tensor => t instanceof Tensor);
    if (a.scope !== null) {
      const re = new RegExp(`^(?:${a.scope})`);
      items = items.filter((t) => re.test(t.name));
    }
    if (items.length === 0) return null;
    return mergeImpl(items, [], a.name);
  },
);
