import { InvalidArgumentError } from '../errors';
import { getDefaultGraph, Graph } from '../graph/graph';
import { Operation, Tensor } from '../graph/tensor';
import { Variable, variablesInitializer } from '../graph/variable';
import { NDArray } from '../ndarray';
import { Session } from '../session/session';
import type { FeedValue } from '../session/feeds';
import { importTFGraphDef, TFImportResult } from './graph_def/importer';
import { parseInputName } from './graph_def/importer';
import type { GraphDefJSON } from './graph_def/proto';
import { decodeWeights, WeightsManifestGroup } from './graph_model_weights';

export type { WeightSpec, WeightsManifestGroup } from './graph_model_weights';
export { decodeWeights } from './graph_model_weights';

/** A TensorFlow.js graph model's `model.json`. */
export interface GraphModelJSON {
  format?: string;
  modelTopology: GraphDefJSON;
  weightsManifest: WeightsManifestGroup[];
  signature?: GraphModelSignature;
  userDefinedMetadata?: { signature?: GraphModelSignature } & Record<string, unknown>;
}

/** A graph model's signature: its inputs and outputs by key, each naming a tensor of the graph. */
export interface GraphModelSignature {
  inputs?: Record<string, { name: string }>;
  outputs?: Record<string, { name: string }>;
}

export interface LoadGraphModelOptions {
  /** Float32 weights become trainable Variables (run `model.initializer` in your own sessions). */
  trainable?: boolean;
  /** Graph to import into (default: the default graph when `loadGraphModel` is called). */
  graph?: Graph;
  /** Name scope for the imported nodes (default `''`: the model's node names as they are). */
  name?: string;
}

const OPTION_KEYS = ['trainable', 'graph', 'name'];

/**
 * Feeds for `predict`: the value (a model with one input), a list with one value per input in order
 * (several inputs), or values by signature key / input name.
 */
export type GraphModelInputs = FeedValue | FeedValue[] | Record<string, FeedValue>;

/**
 * A TensorFlow.js graph model imported into a tensorgraph graph: its input placeholders and output
 * tensors (named by the model's signature when it has one, else the placeholders and the graph's
 * sinks, as tfjs does), and `predict` / `execute` running it in a session.
 */
export class GraphModel {
  /** Signature keys (or node names) of `inputs` / `outputs`, in the same order. */
  readonly inputNames: string[];
  readonly outputNames: string[];
  /** Variables made from the weights (`trainable: true`); empty otherwise. */
  readonly variables: Variable[];
  /** Initializes `variables` (null when there are none); `predict` runs it in its own session. */
  readonly initializer: Operation | null;
  private own: Session | null = null;

  constructor(
    readonly graph: Graph,
    readonly inputs: Tensor[],
    readonly outputs: Tensor[],
    names: { inputs: string[]; outputs: string[] },
    private readonly imported: TFImportResult,
  ) {
    this.inputNames = names.inputs;
    this.outputNames = names.outputs;
    this.variables = imported.variables;
    this.initializer = this.variables.length
      ? graph.asDefault(() => variablesInitializer(this.variables, 'graph_model_init'))
      : null;
  }

  /** The tensor of the imported graph for a node name (`'conv/Relu'`) or tensor name (`'split:1'`). */
  tensor(name: string): Tensor {
    const [n, i] = parseInputName(name);
    const t = this.imported.outputs.get(n)?.[i];
    if (t === undefined) throw new InvalidArgumentError(`GraphModel: '${name}' is not a tensor of the model`);
    return t;
  }

  private session(session?: Session): Session {
    if (session) return session;
    if (!this.own) {
      this.own = new Session({ graph: this.graph });
      if (this.initializer) this.own.run(this.initializer);
    }
    return this.own;
  }

  private feeds(inputs: GraphModelInputs): Map<Tensor, FeedValue> {
    const feed = new Map<Tensor, FeedValue>();
    const isRecord =
      inputs !== null &&
      typeof inputs === 'object' &&
      !Array.isArray(inputs) &&
      !(inputs instanceof NDArray) &&
      !ArrayBuffer.isView(inputs);
    if (isRecord) {
      for (const [k, v] of Object.entries(inputs as Record<string, FeedValue>)) {
        const i = this.inputNames.indexOf(k);
        feed.set(i >= 0 ? (this.inputs[i] as Tensor) : this.tensor(k), v);
      }
      return feed;
    }
    const list = this.inputs.length === 1 ? [inputs as FeedValue] : (inputs as FeedValue[]);
    if (!Array.isArray(list) || list.length !== this.inputs.length)
      throw new InvalidArgumentError(`GraphModel.predict: the model has ${this.inputs.length} inputs`);
    list.forEach((v, i) => feed.set(this.inputs[i] as Tensor, v));
    return feed;
  }

  /**
   * Runs the model on `inputs` (one value per input, or by signature key / input name): the outputs'
   * values (one NDArray when the model has one output). `session` defaults to the model's own.
   *
   * @example
   * const model = await tf.io.loadGraphModel('models/blazeface.json');
   * const [boxes] = model.predict(image) as tf.NDArray[];
   */
  predict(inputs: GraphModelInputs, options: { session?: Session } = {}): NDArray | NDArray[] {
    const res = this.session(options.session).run(this.outputs, this.feeds(inputs)) as NDArray[];
    return res.length === 1 ? (res[0] as NDArray) : res;
  }

  /**
   * Runs the model and fetches `outputs` (node or tensor names of the model; default: its outputs).
   *
   * @example
   * const [feat] = model.execute(image, ['conv2d_3/Relu']) as tf.NDArray[];
   */
  execute(
    inputs: GraphModelInputs,
    outputs?: string | string[],
    options: { session?: Session } = {},
  ): NDArray | NDArray[] {
    const names = outputs === undefined ? null : Array.isArray(outputs) ? outputs : [outputs];
    const fetches = names ? names.map((n) => this.tensor(n)) : this.outputs;
    const res = this.session(options.session).run(fetches, this.feeds(inputs)) as NDArray[];
    return typeof outputs === 'string' || (names === null && res.length === 1) ? (res[0] as NDArray) : res;
  }
}

/** Node's fs, loaded only when a file path is read (URLs need no Node built-ins). */
function nodeFs(): typeof import('fs') {
  return require('fs') as typeof import('fs');
}

function readBytes(p: string): Uint8Array {
  try {
    return new Uint8Array(nodeFs().readFileSync(p));
  } catch (e) {
    throw new InvalidArgumentError(`loadGraphModel: cannot read '${p}' (${(e as Error).message})`);
  }
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const f = (
    globalThis as {
      fetch?: (u: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;
    }
  ).fetch;
  if (!f) throw new InvalidArgumentError(`loadGraphModel: no fetch() here to load '${url}'`);
  const r = await f(url);
  if (!r.ok) throw new InvalidArgumentError(`loadGraphModel: '${url}' answered HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Builds a graph model from `model.json` data and its weight files' bytes by group (in manifest
 * order). The import is synchronous, into `options.graph` or the default graph.
 *
 * @example
 * const model = tf.io.graphModelFromArtifacts(json, [[fs.readFileSync('group1-shard1of1.bin')]]);
 */
export function graphModelFromArtifacts(
  json: GraphModelJSON,
  shards: readonly (readonly Uint8Array[])[],
  options: LoadGraphModelOptions = {},
): GraphModel {
  for (const k of Object.keys(options))
    if (!OPTION_KEYS.includes(k)) throw new TypeError(`loadGraphModel(): unknown option '${k}'`);
  if (options.trainable !== undefined && typeof options.trainable !== 'boolean')
    throw new TypeError("loadGraphModel(): option 'trainable' must be a boolean");
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest))
    throw new InvalidArgumentError("loadGraphModel: model.json needs 'modelTopology' and 'weightsManifest'");
  const weights = new Map<string, NDArray>();
  json.weightsManifest.forEach((group, i) => {
    for (const [k, v] of decodeWeights(concat([...(shards[i] ?? [])]), group.weights)) weights.set(k, v);
  });
  // Every constant of a model.json takes its values from the weight files.
  const unweighted = (json.modelTopology.node ?? []).filter((n) => n.op === 'Const' && !weights.has(n.name));
  const empty = unweighted.filter((n) => {
    const t = n.attr?.value?.tensor;
    const dims = t?.tensorShape?.dim ?? [];
    const size = dims.reduce((a, d) => a * Number(d.size ?? 0), 1);
    const vals = ['tensorContent', 'floatVal', 'intVal', 'int64Val', 'boolVal', 'halfVal'] as const;
    return size > 0 && !vals.some((k) => t?.[k] !== undefined && t?.[k]?.length);
  });
  if (empty.length)
    throw new InvalidArgumentError(
      `loadGraphModel: no weight for constant${empty.length > 1 ? 's' : ''} ${empty
        .slice(0, 5)
        .map((n) => `'${n.name}'`)
        .join(', ')} in the weights manifest`,
    );
  const graph = options.graph ?? getDefaultGraph();
  // As tfjs's GraphModel: a signature in userDefinedMetadata wins over the top-level one.
  const sig = json.userDefinedMetadata?.signature ?? json.signature ?? {};
  const nodes = json.modelTopology.node ?? [];
  const sigIn = Object.entries(sig.inputs ?? {});
  const sigOut = Object.entries(sig.outputs ?? {});
  const inputRefs = sigIn.length
    ? sigIn.map(([, v]) => v.name)
    : nodes.filter((n) => n.op.startsWith('Placeholder')).map((n) => n.name);
  let outputRefs: string[];
  if (sigOut.length) outputRefs = sigOut.map(([, v]) => v.name);
  else {
    const consumed = new Set<string>();
    for (const n of nodes)
      for (const r of n.input ?? []) consumed.add(parseInputName(r.replace(/^\^/, ''))[0]);
    outputRefs = nodes.filter((n) => !consumed.has(n.name)).map((n) => n.name);
  }
  const imported = importTFGraphDef(json.modelTopology, {
    inputMap: new Map(),
    returnElements: [],
    name: options.name ?? '',
    graph,
    weights,
    trainable: options.trainable ?? false,
  });
  const lookup = (ref: string): Tensor => {
    const [n, i] = parseInputName(ref);
    const t = imported.outputs.get(n)?.[i];
    if (t === undefined)
      throw new InvalidArgumentError(`loadGraphModel: the signature names '${ref}', not in the graph`);
    return t;
  };
  const strip = (r: string): string => parseInputName(r)[0];
  return new GraphModel(
    graph,
    inputRefs.map(lookup),
    outputRefs.map(lookup),
    {
      inputs: sigIn.length ? sigIn.map(([k]) => k) : inputRefs.map(strip),
      outputs: sigOut.length ? sigOut.map(([k]) => k) : outputRefs.map(strip),
    },
    imported,
  );
}

/**
 * Loads a TensorFlow.js graph model (`model.json` + weight shards, e.g. made by
 * `tensorflowjs_converter`) into the default graph (TF1 style: import, then run in a Session). `path`
 * is a file path (Node) or an `http(s)://` URL (where `fetch` exists); the shards are read relative to
 * it. Weights may be float32/int32/bool or quantized (uint8/uint16 affine, float16). With
 * `trainable: true` the float32 weights become Variables, so the model can be fine-tuned.
 *
 * @example
 * const model = await tf.io.loadGraphModel('models/blazeface.json');
 * const sess = new tf.Session();
 * const [scores] = sess.run([model.outputs[0]], { [model.inputs[0].name]: image });
 * // fine-tuning the last layers:
 * const m2 = await tf.io.loadGraphModel('model.json', { trainable: true });
 */
export async function loadGraphModel(
  modelPath: string,
  options: LoadGraphModelOptions = {},
): Promise<GraphModel> {
  if (typeof modelPath !== 'string') throw new TypeError('loadGraphModel(): path must be a string');
  // The target graph is fixed now, before any await (tf.Graph.asDefault around the call works).
  const opts = { ...options, graph: options.graph ?? getDefaultGraph() };
  const isUrl = /^https?:\/\//.test(modelPath);
  if (!isUrl) {
    const json = parseModelJSON(readBytes(modelPath), modelPath);
    const cut = Math.max(modelPath.lastIndexOf('/'), modelPath.lastIndexOf('\\'));
    const dir = cut >= 0 ? modelPath.slice(0, cut + 1) : '';
    const shards = json.weightsManifest.map((g) => (g.paths ?? []).map((p) => readBytes(dir + p)));
    return graphModelFromArtifacts(json, shards, opts);
  }
  const json = parseModelJSON(await fetchBytes(modelPath), modelPath);
  const base = modelPath.slice(0, modelPath.lastIndexOf('/') + 1);
  const shards: Uint8Array[][] = [];
  for (const g of json.weightsManifest)
    shards.push(await Promise.all((g.paths ?? []).map((p) => fetchBytes(base + p))));
  return graphModelFromArtifacts(json, shards, opts);
}

function parseModelJSON(bytes: Uint8Array, where: string): GraphModelJSON {
  try {
    return JSON.parse(new TextDecoder('utf-8').decode(bytes)) as GraphModelJSON;
  } catch (e) {
    throw new InvalidArgumentError(`loadGraphModel: '${where}' is not valid JSON (${(e as Error).message})`);
  }
}
