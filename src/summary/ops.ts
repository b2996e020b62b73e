import { InvalidArgumentError } from '../errors';
import { getDefaultGraph, Graph, GraphKeys } from '../graph/graph';
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

/**
 * A summary with one scalar value (TF1's `tf.summary.scalar`). The tag is `name` under the current name
 * scope. Run it (or `mergeAll()`) and pass the result to `FileWriter.addSummary`.
 *
 * @example
 * tf.summary.scalar('loss', loss);
 * const merged = tf.summary.mergeAll()!;
 * writer.addSummary(sess.run(merged, feed), step);
 */
export function scalar(name: string, tensor: TensorLike, opts: SummaryOptions = {}): Tensor {
  return summaryOp('ScalarSummary', name, tensor, opts);
}

/**
 * A histogram of a tensor's values (TF1's `tf.summary.histogram`, with TF's bucket boundaries).
 * Running it fails if a value is NaN or infinite.
 *
 * @example
 * tf.summary.histogram('weights', W);
 */
export function histogram(name: string, values: TensorLike, opts: SummaryOptions = {}): Tensor {
  return summaryOp('HistogramSummary', name, values, opts);
}

/**
 * One summary holding the values of all `inputs` (TF1's `tf.summary.merge`). Duplicate tags are an
 * error when it runs.
 *
 * @example
 * const s = tf.summary.merge([lossSummary, accSummary]);
 */
export function merge(
  inputs: readonly Tensor[],
  opts: { collections?: string[]; name?: string } = {},
): Tensor {
  if (inputs.length === 0) throw new InvalidArgumentError('tf.summary.merge needs at least one summary');
  for (const t of inputs) {
    if (!(t instanceof Tensor) || !SUMMARY_OP_TYPES.includes(t.op.type)) {
      throw new InvalidArgumentError(`tf.summary.merge: ${String(t)} is not the output of a summary op`);
    }
  }
  const g = (inputs[0] as Tensor).graph;
  // TF1: op `MergeSummary` in scope `Merge` (or op `name` in scope `name`).
  const t = g.nameScope(
    opts.name ?? 'Merge',
    () => makeOp('MergeSummary', inputs, {}, opts.name ?? 'MergeSummary', g).outputs[0] as Tensor,
  );
  for (const c of opts.collections ?? []) g.addToCollection(c, t);
  return t;
}

/**
 * Merges every summary in collection `key` of the default graph (TF1's `tf.summary.merge_all`);
 * `null` when there is none. `scope` keeps only summaries whose name matches it from the start.
 *
 * @example
 * const merged = tf.summary.mergeAll();
 */
export function mergeAll(
  key: string = GraphKeys.SUMMARIES,
  opts: { scope?: string; name?: string; graph?: Graph } = {},
): Tensor | null {
  const g = opts.graph ?? getDefaultGraph();
  let items = g.getCollection<unknown>(key).filter((t): t is Tensor => t instanceof Tensor);
  if (opts.scope !== undefined) {
    const re = new RegExp(`^(?:${opts.scope})`);
    items = items.filter((t) => re.test(t.name));
  }
  if (items.length === 0) return null;
  return merge(items, { name: opts.name });
}
