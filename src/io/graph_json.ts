import { InvalidArgumentError, ResourceExhaustedError } from '../errors';
import { DEFAULT_MAX_TENSOR_BYTES, isFullyDefined, tensorTooLarge } from '../graph/shape';
import { getDefaultGraph, Graph, GraphKeys, installGraphSerializer } from '../graph/graph';
import { Operation, Tensor } from '../graph/tensor';
import { Variable } from '../graph/variable';
import {
  CollectionItemJSON,
  encodeAttr,
  GRAPH_JSON_FORMAT,
  GRAPH_JSON_VERSION,
  GraphJSON,
  isValidOpName,
  NodeJSON,
  VariableDefJSON,
} from './graph_json_schema';
import { decodeGraphJSON } from './graph_json_decode';
import { buildImportedGraph } from './graph_json_build';
import {
  importGraphDefProto,
  isGraphDefBytes,
  isGraphDefJSON,
  GraphDefJSON as TFGraphDefJSON,
} from './graph_def';

export type {
  GraphJSON,
  NodeJSON,
  VariableDefJSON,
  CollectionItemJSON,
  AttrJSON,
  TensorJSON,
  OutputJSON,
} from './graph_json_schema';

/** Collections exported when present (plus any the graph lists or `toJSON` is asked for). */
const STANDARD_COLLECTIONS = [
  GraphKeys.GLOBAL_VARIABLES,
  GraphKeys.TRAINABLE_VARIABLES,
  GraphKeys.SUMMARIES,
  GraphKeys.GLOBAL_STEP,
  'local_variables',
  'model_variables',
  'moving_average_variables',
  'losses',
  'regularization_losses',
  'update_ops',
  'train_op',
  'init_op',
];

export interface ToJSONOptions {
  /** Extra collection keys to export (items that are not variables, tensors, ops or JSON scalars are skipped). */
  collections?: string[];
}

/**
 * The graph as versioned JSON data (what `graph.toJSON()` and `JSON.stringify(graph)` give): every op
 * in creation order with its name, type, inputs, control inputs, device, attrs and output
 * dtypes/shapes; the variables (TF1 VariableDefs) and the collections. `tf.importGraphDef` reads it.
 */
export function graphToJSON(graph: Graph, options: ToJSONOptions = {}): GraphJSON {
  const nodes: NodeJSON[] = graph.getOperations().map((op) => {
    if (!isValidOpName(op.name)) {
      throw new InvalidArgumentError(
        `Graph.toJSON: op name '${op.name}' (op: '${op.type}') is not a valid op name ([A-Za-z0-9.][A-Za-z0-9_./>-]*)`,
      );
    }
    const attrs: NodeJSON['attrs'] = {};
    // An attr set to `undefined` is the same as an absent one (as in JSON).
    for (const [k, v] of Object.entries(op.attrs)) {
      if (v !== undefined) attrs[k] = encodeAttr(v, () => `attr '${k}' of ${op.describe()}`);
    }
    return {
      name: op.name,
      op: op.type,
      inputs: op.inputs.map((t) => t.name),
      controlInputs: op.controlInputs.map((c) => c.name),
      device: op.device,
      attrs,
      outputs: op.outputs.map((t) => ({ dtype: t.dtype, shape: t.shape === null ? null : t.shape.slice() })),
    };
  });
  const keys = new Set<string>(STANDARD_COLLECTIONS);
  const listed = (graph as { getAllCollectionKeys?: () => string[] }).getAllCollectionKeys;
  if (typeof listed === 'function') for (const k of listed.call(graph)) keys.add(k);
  for (const k of options.collections ?? []) keys.add(k);
  const variables = new Map<Variable, VariableDefJSON>();
  const collections: GraphJSON['collections'] = {};
  for (const key of keys) {
    const items: CollectionItemJSON[] = [];
    for (const item of graph.getCollection<unknown>(key)) {
      if (item instanceof Variable) {
        if (!variables.has(item)) variables.set(item, variableDef(item));
        items.push({ variable: item.op.name });
      } else if (item instanceof Tensor) items.push({ tensor: item.name });
      else if (item instanceof Operation) items.push({ op: item.name });
      else if (
        item === null ||
        ['string', 'boolean'].includes(typeof item) ||
        (typeof item === 'number' && Number.isFinite(item))
      ) {
        items.push({ value: item as string | number | boolean | null });
      }
    }
    if (items.length) collections[key] = items;
  }
  return {
    format: GRAPH_JSON_FORMAT,
    version: GRAPH_JSON_VERSION,
    seed: graph.seed ?? null,
    nodes,
    variables: [...variables.values()],
    collections,
  };
}

function variableDef(v: Variable): VariableDefJSON {
  return {
    variable: v.op.name,
    initializer: v.initializer.name,
    snapshot: v.value().name,
    initialValue: v.initialValue.name,
    trainable: v.trainable,
  };
}

export interface ImportGraphDefOptions {
  /** Replaces tensors of the imported graph (by their name in the JSON, e.g. `'x:0'`) with existing tensors. */
  inputMap?: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>;
  /** Names (in the JSON) of ops (`'train'`) or tensors (`'loss:0'`) to return, in this order. */
  returnElements?: readonly string[];
  /**
   * Name scope to import under (made unique like any scope). Default `''`: names are kept exactly
   * (TF1's default is `'import'`; pass it to get TF1's names). A TensorFlow GraphDef defaults to
   * `'import'`, as in TF1.
   */
  name?: string;
  /** Graph to import into (default: the default graph). */
  graph?: Graph;
  /**
   * Most bytes one tensor of the imported graph may take (default 2 GiB, and at most 2**31 - 1
   * elements): a node whose known output shape is larger is refused before the graph changes.
   */
  maxTensorBytes?: number;
}

/**
 * Imports a graph into the default graph: a TensorFlow `GraphDef` (protobuf bytes, or its JSON form
 * with a `node` list, as `MessageToJson` writes it) with TF1's `tf.import_graph_def` semantics (names
 * under `name`, default `'import'`; `''` keeps them; `inputMap` keys `'op:0'` or `'op'`;
 * `returnElements` op names and tensor names), or a graph exported by `graph.toJSON()`.
 *
 * For `graph.toJSON()` data (an object or its JSON string):
 * Everything is validated before the graph changes: op types against the registry, attrs (JSON data
 * only; formulas parsed and whitelisted, never run as code), references (only to earlier nodes, so no
 * cycles), shapes (re-inferred and compared; huge shapes refused) and names. Errors name the node.
 * Variables come back as `tf.Variable`s in their collections (`tf.globalVariables()` works after import).
 *
 * @example
 * const json = JSON.stringify(graph.toJSON());
 * // in another process:
 * const g = new tf.Graph();
 * const [train, loss] = tf.importGraphDef(json, { graph: g, returnElements: ['train', 'loss:0'] });
 * // a frozen TensorFlow graph (GraphDef bytes):
 * const [probs] = tf.importGraphDef(fs.readFileSync('frozen.pb'), { inputMap: { 'input:0': x }, returnElements: ['softmax:0'] });
 */
export function importGraphDef(
  json: GraphJSON | TFGraphDefJSON | Uint8Array | ArrayBuffer | string,
  options: ImportGraphDefOptions = {},
): (Tensor | Operation)[] {
  let raw: unknown = json;
  if (typeof json === 'string') {
    try {
      raw = JSON.parse(json);
    } catch (e) {
      throw new InvalidArgumentError(`importGraphDef: the graph is not valid JSON (${(e as Error).message})`);
    }
  }
  // A TensorFlow GraphDef (protobuf bytes or TF's JSON form): TF1's semantics, default name 'import'.
  if (isGraphDefBytes(raw) || isGraphDefJSON(raw)) return importGraphDefProto(raw, options);
  const decoded = decodeGraphJSON(raw);
  const maxBytes = options.maxTensorBytes ?? DEFAULT_MAX_TENSOR_BYTES;
  if (typeof maxBytes !== 'number' || !Number.isInteger(maxBytes) || maxBytes < 0)
    throw new TypeError(`importGraphDef(): option 'maxTensorBytes' must be a non-negative integer`);
  for (const node of decoded.nodes) {
    for (const out of node.outputs) {
      if (!isFullyDefined(out.shape)) continue;
      const tooLarge = tensorTooLarge(out.shape, out.dtype, maxBytes);
      if (tooLarge !== undefined)
        throw new ResourceExhaustedError(
          `importGraphDef: node '${node.name}' (op: '${node.type}'): ${tooLarge}`,
        );
    }
  }
  const graph = options.graph ?? getDefaultGraph();
  const inputMap = new Map<string, Tensor>(
    options.inputMap instanceof Map ? options.inputMap : Object.entries(options.inputMap ?? {}),
  );
  return buildImportedGraph(graph, decoded, {
    inputMap,
    returnElements: options.returnElements ?? [],
    scope: options.name ?? '',
  });
}

installGraphSerializer((g) => graphToJSON(g));
