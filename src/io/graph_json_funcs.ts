import { parseFormula } from '../graph/formula';
import { Graph } from '../graph/graph';
import { shapeToString } from '../graph/shape';
import type { Attrs } from '../graph/tensor';
import { Operation, Tensor } from '../graph/tensor';
import { getOpDef, hasOpDef, makeOp, OpDef } from '../ops/op_def';
import {
  checkAttrTypes,
  checkKeys,
  isPlainObject,
  isValidOpName,
  MAX_ELEMENTS,
  parseTensorRef,
} from './graph_json_schema';

/**
 * Validation of what import cannot see at the top level: elementwise formulas (they become kernel
 * source) and the function definitions that control-flow ops (`If`, `While`) carry in their attrs
 * (`{ name, inputs, outputs, nodes: [{ name, op, inputs, control, attrs }] }`, see src/graph/func_graph.ts).
 * A function is checked like a graph — registered op types, typed attrs, formulas, references only to
 * earlier nodes, no variables — and rebuilt in a scratch graph so its shape inference runs at import.
 */
const MAX_FUNCTION_DEPTH = 16;
const FUNC_KEYS = ['name', 'inputs', 'outputs', 'nodes'];
const FUNC_NODE_KEYS = ['name', 'op', 'inputs', 'control', 'attrs'];

/** The formula an elementwise op would compile must pass the whitelist. */
export function checkFormula(def: OpDef, attrs: Attrs, bad: (why: string) => never): void {
  const spec = def.elementwise as NonNullable<OpDef['elementwise']>;
  let formula: unknown;
  let vars: unknown;
  try {
    formula = spec.formula(attrs);
    vars = spec.vars(attrs);
  } catch (e) {
    bad(`attrs do not define a formula (${(e as Error).message})`);
  }
  if (typeof formula !== 'string' || !Array.isArray(vars) || !vars.every((v) => typeof v === 'string')) {
    bad('attrs do not define a formula');
  }
  try {
    parseFormula(formula as string, vars as string[]);
  } catch (e) {
    bad((e as Error).message);
  }
}

/** True for an attr value that a control-flow kernel would read as a function definition. */
function looksLikeFunction(v: unknown): v is Record<string, unknown> {
  return isPlainObject(v) && ('nodes' in v || 'inputs' in v || 'outputs' in v);
}

/** Validates every function definition among `attrs` (recursively). */
export function checkFunctionAttrs(attrs: Attrs, bad: (why: string) => never, depth = 0): void {
  for (const [key, v] of Object.entries(attrs)) {
    if (looksLikeFunction(v)) checkFunction(v, (why) => bad(`attr '${key}': ${why}`), depth + 1);
  }
}

function checkFunction(def: Record<string, unknown>, outerBad: (why: string) => never, depth: number): void {
  if (depth > MAX_FUNCTION_DEPTH) outerBad(`functions are nested more than ${MAX_FUNCTION_DEPTH} deep`);
  checkKeys(def, FUNC_KEYS, 'in a function definition', outerBad);
  if (typeof def.name !== 'string' || def.name.length > 1024) outerBad('the function name must be a string');
  const bad = (why: string): never => outerBad(`function '${String(def.name)}': ${why}`);
  const { nodes, inputs, outputs } = def;
  if (!Array.isArray(nodes) || !Array.isArray(inputs) || !Array.isArray(outputs))
    return bad('nodes, inputs and outputs must be lists');
  const g = new Graph();
  const ops = new Map<string, Operation>();
  const lower = new Set<string>();
  for (const n of nodes as unknown[]) {
    const label =
      isPlainObject(n) && typeof n.name === 'string'
        ? `node '${n.name.slice(0, 200)}'${typeof n.op === 'string' ? ` (op: '${n.op.slice(0, 100)}')` : ''}`
        : 'a node';
    const nbad = (why: string): never => bad(`${label}: ${why}`);
    if (!isPlainObject(n)) return nbad('not an object');
    checkKeys(n, FUNC_NODE_KEYS, '', nbad);
    if (!isValidOpName(n.name)) nbad('bad node name');
    const name = n.name as string;
    if (lower.has(name.toLowerCase())) nbad('duplicate node name');
    if (typeof n.op !== 'string' || !hasOpDef(n.op))
      nbad(`Op type not registered '${String(n.op).slice(0, 100)}'`);
    const opDef = getOpDef(n.op as string);
    if (n.op === 'VariableV2' || opDef.refInputs?.length) nbad('functions cannot create or assign variables');
    if (!isPlainObject(n.attrs)) return nbad('attrs must be an object');
    const attrs = n.attrs as Attrs;
    checkAttrTypes(attrs, nbad);
    if (opDef.elementwise) checkFormula(opDef, attrs, nbad);
    checkFunctionAttrs(attrs, nbad, depth);
    if (!Array.isArray(n.inputs) || !Array.isArray(n.control))
      return nbad('inputs and control must be lists');
    const earlier = (ref: string, what: string): Operation =>
      ops.get(ref) ??
      nbad(
        `${what} ${JSON.stringify(ref)} refers to a node not defined before it (forward references and cycles are not allowed)`,
      );
    const ins = n.inputs.map((r: unknown): Tensor => {
      const [src, index] = parseTensorRef(r, nbad);
      const op = earlier(src, 'input');
      return (
        op.outputs[index] ??
        nbad(`input ${JSON.stringify(r)}: node '${src}' has only ${op.outputs.length} outputs`)
      );
    });
    const control = n.control.map((r: unknown) =>
      earlier(typeof r === 'string' ? r : JSON.stringify(r), 'control input'),
    );
    let op: Operation;
    try {
      op = makeOp(n.op as string, ins, attrs, undefined, g, { exactName: name, controlInputs: control });
    } catch (e) {
      return nbad((e as Error).message);
    }
    for (const t of op.outputs) {
      const known = (t.shape ?? []).reduce<number>((acc, d) => (d !== null && d > 0 ? acc * d : acc), 1);
      if (known > MAX_ELEMENTS)
        nbad(`output shape ${shapeToString(t.shape)} has more than ${MAX_ELEMENTS} elements`);
    }
    ops.set(name, op);
    lower.add(name.toLowerCase());
  }
  for (const a of inputs as unknown[]) {
    if (typeof a !== 'string' || ops.get(a)?.type !== 'Placeholder')
      bad(`argument ${JSON.stringify(a)} is not a Placeholder node of the function`);
  }
  for (const r of outputs as unknown[]) {
    const [src, index] = parseTensorRef(r, bad);
    if (!ops.get(src)?.outputs[index]) bad(`result ${JSON.stringify(r)} is not a tensor of the function`);
  }
}
