import { Tensor } from '../../graph/tensor';
import { NDArray } from '../../ndarray';
import { InvalidArgumentError } from '../../errors';

/**
 * TF's `nest` for control flow and RNNs: a structure of arrays and records (plain objects or small
 * classes such as `LSTMStateTuple`) whose leaves are tensors or plain values. Arrays are always
 * structure, so a constant array leaf must be a Tensor or an NDArray.
 */
export type Nested<T> = T | readonly Nested<T>[] | { readonly [key: string]: Nested<T> };

/**
 * Composite values (`tf.TensorArray`): nest flattens one into its component tensors and rebuilds it
 * from new components (TF's `expand_composites`), so it can be a loop variable or a branch result.
 */
export const COMPOSITE = Symbol.for('tensorgraph.composite');

/** What a composite value tells nest: its component tensors, a rebuild function and a type name. */
export interface CompositeParts {
  readonly typeName: string;
  readonly components: readonly unknown[];
  rebuild(components: readonly unknown[]): unknown;
}

/** A value implementing the composite protocol. */
export interface Composite {
  [COMPOSITE](): CompositeParts;
}

export function isComposite(x: unknown): x is Composite {
  return typeof x === 'object' && x !== null && typeof (x as Partial<Composite>)[COMPOSITE] === 'function';
}

/** Number of leaves of `x`, counting each composite value as one (TF1's count of loop variables). */
export function leafCount(x: unknown): number {
  if (isComposite(x)) return 1;
  if (isLeaf(x)) return 1;
  if (Array.isArray(x)) return x.reduce((n: number, v) => n + leafCount(v), 0);
  return fieldsOf(x as object).reduce((n, k) => n + leafCount((x as Record<string, unknown>)[k]), 0);
}

function isLeaf(x: unknown): boolean {
  return (
    x instanceof Tensor ||
    x instanceof NDArray ||
    ArrayBuffer.isView(x) ||
    typeof x === 'number' ||
    typeof x === 'boolean' ||
    x === null ||
    x === undefined
  );
}

/** Record fields in a stable order (sorted keys, as TF's nest sorts dict keys). */
function fieldsOf(x: object): string[] {
  return Object.keys(x).sort();
}

/** The leaves of `x`, depth first. */
export function flatten<T>(x: Nested<T>): T[] {
  const out: T[] = [];
  const visit = (v: unknown): void => {
    if (isLeaf(v)) out.push(v as T);
    else if (isComposite(v)) v[COMPOSITE]().components.forEach(visit);
    else if (Array.isArray(v)) v.forEach(visit);
    else for (const k of fieldsOf(v as object)) visit((v as Record<string, unknown>)[k]);
  };
  visit(x);
  return out;
}

/** `structure` with its leaves replaced, in order, by `leaves`. Records keep their class. */
export function packSequenceAs<S, T>(structure: Nested<S>, leaves: readonly T[]): Nested<T> {
  let i = 0;
  const build = (v: unknown): unknown => {
    if (isLeaf(v)) {
      if (i >= leaves.length) throw new Error('packSequenceAs: too few leaves for the structure');
      return leaves[i++];
    }
    if (isComposite(v)) {
      const parts = v[COMPOSITE]();
      return parts.rebuild(parts.components.map(build));
    }
    if (Array.isArray(v)) return v.map(build);
    const out = Object.create(Object.getPrototypeOf(v) as object | null) as Record<string, unknown>;
    for (const k of fieldsOf(v as object)) out[k] = build((v as Record<string, unknown>)[k]);
    return out;
  };
  const result = build(structure);
  if (i !== leaves.length) throw new Error(`packSequenceAs: ${leaves.length} leaves for a structure of ${i}`);
  return result as Nested<T>;
}

/** Describes a structure for error messages: `[*, {c: *, h: *}]`. */
export function structureString(x: unknown): string {
  if (isLeaf(x)) return '*';
  if (isComposite(x)) {
    const parts = x[COMPOSITE]();
    return `${parts.typeName}(${parts.components.map(structureString).join(', ')})`;
  }
  if (Array.isArray(x)) return `[${x.map(structureString).join(', ')}]`;
  return `{${fieldsOf(x as object)
    .map((k) => `${k}: ${structureString((x as Record<string, unknown>)[k])}`)
    .join(', ')}}`;
}

/** Throws unless `a` and `b` have the same structure. */
export function assertSameStructure(a: unknown, b: unknown, what: string): void {
  const sa = structureString(a);
  const sb = structureString(b);
  if (sa !== sb) {
    throw new InvalidArgumentError(
      `${what}: the two structures don't have the same nested structure.\n\nFirst structure: ${sa}\n\nSecond structure: ${sb}`,
    );
  }
}
