import { DType, isDType } from '../graph/dtype';
import { Shape } from '../graph/shape';
import type { Attrs } from '../graph/tensor';
import { hasOpDef, getOpDef, OpDef } from '../ops/op_def';
import { checkFormula, checkFunctionAttrs } from './graph_json_funcs';
import {
  checkKeys,
  decodeAttrs,
  decodeShape,
  GRAPH_JSON_FORMAT,
  GRAPH_JSON_VERSION,
  importError,
  isValidOpName,
  parseTensorRef,
} from './graph_json_schema';

/** A node of untrusted graph JSON after validation: references resolved to indices of earlier nodes. */
export interface DecodedNode {
  index: number;
  name: string;
  type: string;
  def: OpDef;
  inputs: { node: number; output: number }[];
  controlInputs: number[];
  device: string;
  attrs: Attrs;
  outputs: { dtype: DType; shape: Shape }[];
}

export interface DecodedVariable {
  variable: number;
  initializer: number;
  snapshot: [number, number];
  initialValue: [number, number];
  trainable: boolean;
}

export type DecodedItem =
  | { kind: 'variable'; node: number }
  | { kind: 'tensor'; node: number; output: number }
  | { kind: 'op'; node: number }
  | { kind: 'value'; value: string | number | boolean | null };

export interface DecodedGraph {
  seed: number | null;
  nodes: DecodedNode[];
  /** Node index by name. */
  byName: Map<string, number>;
  variables: DecodedVariable[];
  collections: Map<string, DecodedItem[]>;
}

const MAX_NODES = 1_000_000;
const DEVICE_RE = /^[A-Za-z0-9_:/.*-]{0,256}$/;
const NODE_KEYS = ['name', 'op', 'inputs', 'controlInputs', 'device', 'attrs', 'outputs'];

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && Object.getPrototypeOf(x) === Object.prototype;

/** Validates untrusted graph JSON completely (except shape inference, done while building). */
export function decodeGraphJSON(raw: unknown): DecodedGraph {
  const top = (why: string): never => importError('graph', why);
  if (!isPlainObject(raw)) return top('expected a JSON object from graph.toJSON()');
  checkKeys(raw, ['format', 'version', 'seed', 'nodes', 'variables', 'collections'], 'at the top level', top);
  if (raw.format !== GRAPH_JSON_FORMAT)
    top(`format is ${JSON.stringify(raw.format)}, expected '${GRAPH_JSON_FORMAT}'`);
  const version = raw.version;
  if (!Number.isInteger(version) || (version as number) < 1) top(`bad version ${JSON.stringify(version)}`);
  if ((version as number) > GRAPH_JSON_VERSION) {
    top(
      `the graph has format version ${String(version)}, newer than this build reads (${GRAPH_JSON_VERSION})`,
    );
  }
  if (raw.seed !== null && !Number.isSafeInteger(raw.seed)) top('seed must be an integer or null');
  if (!Array.isArray(raw.nodes)) return top('nodes must be a list');
  if (raw.nodes.length > MAX_NODES) top(`more than ${MAX_NODES} nodes`);

  const nodes: DecodedNode[] = [];
  const byName = new Map<string, number>();
  const lowerNames = new Set<string>();
  raw.nodes.forEach((n: unknown, index: number) => {
    const label =
      isPlainObject(n) && typeof n.name === 'string'
        ? `node '${n.name.slice(0, 200)}'${typeof n.op === 'string' ? ` (op: '${n.op.slice(0, 100)}')` : ''}`
        : `node #${index}`;
    const bad = (why: string): never => importError(label, why);
    if (!isPlainObject(n)) return bad('not an object');
    checkKeys(n, NODE_KEYS, '', bad);
    if (!isValidOpName(n.name)) bad('bad node name (allowed: [A-Za-z0-9.][A-Za-z0-9_./>-]*, no empty scope)');
    const name = n.name as string;
    if (lowerNames.has(name.toLowerCase())) bad('duplicate node name');
    if (typeof n.op !== 'string' || !hasOpDef(n.op))
      bad(`Op type not registered '${String(n.op).slice(0, 100)}'`);
    const def = getOpDef(n.op as string);
    if (typeof n.device !== 'string' || !DEVICE_RE.test(n.device)) bad('bad device string');
    const ref = (r: unknown, what: string): number => {
      const [target] = parseTensorRef(r, bad);
      const i = byName.get(target);
      if (i === undefined) {
        const why = target === name ? 'refers to the node itself' : 'refers to a node not defined before it';
        return bad(`${what} ${JSON.stringify(r)} ${why} (forward references and cycles are not allowed)`);
      }
      return i;
    };
    if (!Array.isArray(n.inputs)) return bad('inputs must be a list');
    const inputs = n.inputs.map((r: unknown) => {
      const node = ref(r, 'input');
      const [, output] = parseTensorRef(r, bad);
      const source = nodes[node] as DecodedNode;
      if (output >= source.outputs.length)
        bad(`input ${JSON.stringify(r)}: node '${source.name}' has only ${source.outputs.length} outputs`);
      return { node, output };
    });
    if (!Array.isArray(n.controlInputs)) return bad('controlInputs must be a list');
    const controlInputs = n.controlInputs.map((r: unknown) => {
      if (typeof r !== 'string' || r.includes(':'))
        bad(`control input ${JSON.stringify(r)} must be a node name`);
      return ref(r, 'control input');
    });
    for (const pos of def.refInputs ?? []) {
      const src = inputs[pos];
      if (src && nodes[src.node]?.type !== 'VariableV2')
        bad(`input ${pos} must be a variable (a VariableV2 node)`);
    }
    const attrs = decodeAttrs(n.attrs, bad);
    if (def.elementwise) checkFormula(def, attrs, bad);
    checkFunctionAttrs(attrs, bad);
    if (!Array.isArray(n.outputs) || n.outputs.length > 1024) return bad('outputs must be a list');
    const outputs = n.outputs.map((o: unknown, i: number) => {
      const badOut = (why: string): never => bad(`output ${i}: ${why}`);
      if (!isPlainObject(o)) return badOut('not an object');
      checkKeys(o, ['dtype', 'shape'], '', badOut);
      if (!isDType(o.dtype)) badOut(`unknown dtype ${JSON.stringify(o.dtype)}`);
      return { dtype: o.dtype as DType, shape: decodeShape(o.shape, badOut) };
    });
    lowerNames.add(name.toLowerCase());
    byName.set(name, index);
    nodes.push({
      index,
      name,
      type: n.op as string,
      def,
      inputs,
      controlInputs,
      device: n.device as string,
      attrs,
      outputs,
    });
  });

  const variables = decodeVariables(raw.variables, nodes, byName);
  const varNodes = new Set(variables.map((v) => v.variable));
  const collections = decodeCollections(raw.collections, nodes, byName, varNodes);
  return { seed: (raw.seed as number | null) ?? null, nodes, byName, variables, collections };
}

function decodeVariables(raw: unknown, nodes: DecodedNode[], byName: Map<string, number>): DecodedVariable[] {
  if (!Array.isArray(raw)) return importError('variables', 'must be a list');
  const seen = new Set<number>();
  return raw.map((v: unknown, i: number) => {
    const bad = (why: string): never =>
      importError(
        `variable #${i}${isPlainObject(v) && typeof v.variable === 'string' ? ` ('${v.variable.slice(0, 200)}')` : ''}`,
        why,
      );
    if (!isPlainObject(v)) return bad('not an object');
    checkKeys(v, ['variable', 'initializer', 'snapshot', 'initialValue', 'trainable'], '', bad);
    const node = (name: unknown, what: string, type?: string): number => {
      const idx = typeof name === 'string' ? byName.get(name) : undefined;
      if (idx === undefined) return bad(`${what} ${JSON.stringify(name)} is not a node of the graph`);
      if (type && nodes[idx]?.type !== type) bad(`${what} '${String(name)}' is not a ${type} node`);
      return idx;
    };
    const tensor = (name: unknown, what: string): [number, number] => {
      const [opName, output] = parseTensorRef(name, bad);
      const idx = node(opName, what);
      if (output >= (nodes[idx] as DecodedNode).outputs.length)
        bad(`${what} ${JSON.stringify(name)} does not exist`);
      return [idx, output];
    };
    const variable = node(v.variable, 'variable', 'VariableV2');
    if (seen.has(variable)) bad('listed twice');
    seen.add(variable);
    const initializer = node(v.initializer, 'initializer', 'Assign');
    if ((nodes[initializer] as DecodedNode).inputs[0]?.node !== variable)
      bad('the initializer does not assign this variable');
    const snapshot = tensor(v.snapshot, 'snapshot');
    if ((nodes[snapshot[0]] as DecodedNode).inputs[0]?.node !== variable)
      bad('the snapshot does not read this variable');
    const initialValue = tensor(v.initialValue, 'initialValue');
    if (typeof v.trainable !== 'boolean') bad('trainable must be a boolean');
    return { variable, initializer, snapshot, initialValue, trainable: v.trainable as boolean };
  });
}

function decodeCollections(
  raw: unknown,
  nodes: DecodedNode[],
  byName: Map<string, number>,
  varNodes: ReadonlySet<number>,
): Map<string, DecodedItem[]> {
  if (!isPlainObject(raw)) return importError('collections', 'must be an object');
  const out = new Map<string, DecodedItem[]>();
  for (const [key, items] of Object.entries(raw)) {
    const bad = (why: string): never => importError(`collection '${key.slice(0, 200)}'`, why);
    if (key.length > 256 || ['__proto__', 'constructor', 'prototype'].includes(key))
      bad('bad collection name');
    if (!Array.isArray(items)) return bad('must be a list');
    out.set(
      key,
      items.map((item: unknown): DecodedItem => {
        if (!isPlainObject(item) || Object.keys(item).length !== 1)
          return bad('items must be objects with one key');
        const node = (name: unknown): number => {
          const idx = typeof name === 'string' ? byName.get(name) : undefined;
          return idx === undefined ? bad(`${JSON.stringify(name)} is not a node of the graph`) : idx;
        };
        if ('variable' in item) {
          const idx = node(item.variable);
          if (!varNodes.has(idx)) bad(`'${String(item.variable)}' is not one of the graph's variables`);
          return { kind: 'variable', node: idx };
        }
        if ('op' in item) return { kind: 'op', node: node(item.op) };
        if ('tensor' in item) {
          const [opName, output] = parseTensorRef(item.tensor, bad);
          const idx = node(opName);
          if (output >= (nodes[idx] as DecodedNode).outputs.length)
            bad(`tensor ${JSON.stringify(item.tensor)} does not exist`);
          return { kind: 'tensor', node: idx, output };
        }
        if ('value' in item) {
          const v = item.value;
          if (
            v !== null &&
            typeof v !== 'string' &&
            typeof v !== 'boolean' &&
            !(typeof v === 'number' && Number.isFinite(v))
          )
            bad('values must be JSON scalars');
          return { kind: 'value', value: v as string | number | boolean | null };
        }
        return bad(`unknown item kind ${JSON.stringify(Object.keys(item)[0])}`);
      }),
    );
  }
  return out;
}
