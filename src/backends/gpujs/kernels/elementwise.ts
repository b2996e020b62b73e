import type { MathNode } from 'mathjs';
import type { DType } from '../../../graph/dtype';
import { parseFormula, usedVars } from '../../../graph/formula';
import type { Operation } from '../../../graph/tensor';
import { emitFormula } from '../../../graph/formula_emit';
import { GPU_FORMULA_TABLE } from '../formula';
import { broadcastIndex, coords, lit, makeProgram, needsCoords, useHelper } from '../program';
import type { Program } from '../runtime';

/**
 * The GPU elementwise compiler: one kernel for a group of formula ops (one op, or a fused chain/tree),
 * generated from their formulas. Each member's value is a local of the kernel; only the group's external
 * inputs are read from textures, each once, broadcast (numpy rules) to the group's output shape —
 * elementwise functions commute with broadcasting, so reading a leaf broadcast straight to the root's
 * shape is exact.
 */

/** Where a member's input comes from: an external input (leaf), an earlier member, or a constant. */
export type Source = { leaf: number } | { member: number } | { literal: number };

const parsed = new WeakMap<Operation, { node: MathNode; vars: readonly string[] }>();

/** The parsed formula of an elementwise op (cached per op). */
export function formulaOf(op: Operation): { node: MathNode; vars: readonly string[] } {
  let f = parsed.get(op);
  if (!f) {
    const spec = op.def.elementwise;
    if (!spec) throw new Error(`internal: ${op.type} is not an elementwise op`);
    const vars = spec.vars(op.attrs);
    f = { node: parseFormula(spec.formula(op.attrs), vars), vars };
    parsed.set(op, f);
  }
  return f;
}

/** Inputs of an elementwise op that its formula reads (the others only contribute their shape). */
export function readsInput(op: Operation, input: number): boolean {
  const { node, vars } = formulaOf(op);
  return usedVars(node, vars).includes(vars[input] as string);
}

/** Wraps a value computed in float32 into the member's output dtype. */
function toDtype(src: string, dtype: DType, helpers: Set<string>): string {
  if (dtype === 'int32') return `${useHelper(helpers, 'tgToInt')}(${src})`;
  if (dtype === 'bool') return `${useHelper(helpers, 'tgBool')}(${src})`;
  return src;
}

/**
 * The kernel of a group: `members` in plan order (the last is the root), `source(m, j)` the origin of
 * member m's j-th input, `leafShapes` the external inputs' shapes. Returns the program and the leaves
 * it reads, in kernel-argument order.
 */
export function elementwiseProgram(
  members: readonly Operation[],
  source: (m: number, j: number) => Source,
  leafShapes: readonly (readonly number[])[],
  outShape: readonly number[],
  outDtypes: readonly DType[],
): { program: Program; leaves: number[] } {
  const helpers = new Set<string>();
  const size = outShape.reduce((a, b) => a * b, 1);
  const leaves: number[] = [];
  const reads: string[] = [];
  const leafVar = (leaf: number): string => {
    let k = leaves.indexOf(leaf);
    if (k < 0) {
      k = leaves.length;
      leaves.push(leaf);
      reads.push(`const v${k} = a${k}[${broadcastIndex(leafShapes[leaf] as number[], outShape)}];`);
    }
    return `v${k}`;
  };
  const body: string[] = [];
  const names: string[] = []; // each member's value: a local, or the leaf/member it merely renames
  members.forEach((op, m) => {
    const { node, vars } = formulaOf(op);
    const expr = emitFormula(
      node,
      GPU_FORMULA_TABLE,
      (name) => {
        const src = source(m, vars.indexOf(name));
        if ('literal' in src) return `(${lit(src.literal)})`;
        return 'leaf' in src ? leafVar(src.leaf) : (names[src.member] as string);
      },
      helpers,
    );
    const value = toDtype(expr, outDtypes[m] as DType, helpers);
    // gpu.js cannot declare a local as a bare alias of another (`const t0 = v0;`): reuse the name.
    if (/^[A-Za-z_]\w*$/.test(value)) names.push(value);
    else {
      // Nor can it reference a local declared from a helper call (`const t = f(x)`): declare, then assign.
      names.push(`t${m}`);
      body.push(`let t${m} = 0.0;`, `t${m} = ${value};`);
    }
  });
  const coordLines = leaves.some((l) => needsCoords(leafShapes[l] as number[], outShape))
    ? coords(outShape)
    : '';
  const program = makeProgram(
    size,
    leaves.map((_l, k) => `a${k}`),
    [coordLines, ...reads, ...body, `return ${names[members.length - 1] as string};`]
      .filter(Boolean)
      .join('\n'),
    helpers,
  );
  return { program, leaves };
}
