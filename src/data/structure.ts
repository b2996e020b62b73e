/**
 * Nested element structures of tf.data (TF1's `nest`): an element is one tensor, a tuple (a JS array) or
 * a dict (a plain object) of elements. Components are flattened depth first, dict keys in sorted order
 * (as TF1's `nest.flatten` does), and rebuilt in the same structure.
 */
import { InvalidArgumentError } from '../errors';
import { Tensor } from '../graph/tensor';
import { NDArray } from '../ndarray';
import { isOptionsObject } from '../graph/signature';

/** The shape of a nested structure; leaves are numbered by their position in the flat list. */
export type Structure =
  | { readonly kind: 'leaf' }
  | { readonly kind: 'tuple'; readonly items: readonly Structure[] }
  | { readonly kind: 'dict'; readonly keys: readonly string[]; readonly items: readonly Structure[] };

/** A nested value: a leaf, an array (TF1's tuple) or a plain object (TF1's dict) of nested values. */
export type Nested<T> = T | Nested<T>[] | { [key: string]: Nested<T> };

export const LEAF: Structure = { kind: 'leaf' };

/** Flattens `value` by `isLeaf`; arrays and plain objects that are not leaves are tuples and dicts. */
export function flattenNested<T>(
  value: unknown,
  isLeaf: (v: unknown) => boolean,
  what: string,
): { structure: Structure; leaves: T[] } {
  const leaves: T[] = [];
  const walk = (v: unknown): Structure => {
    if (isLeaf(v)) {
      leaves.push(v as T);
      return LEAF;
    }
    if (Array.isArray(v)) {
      if (v.length === 0) throw new InvalidArgumentError(`${what}: an empty tuple is not a valid element`);
      return { kind: 'tuple', items: v.map(walk) };
    }
    if (isOptionsObject(v)) {
      const keys = Object.keys(v).sort();
      if (keys.length === 0) throw new InvalidArgumentError(`${what}: an empty dict is not a valid element`);
      return { kind: 'dict', keys, items: keys.map((k) => walk(v[k])) };
    }
    throw new TypeError(`${what}: cannot use ${describe(v)} as a component of an element`);
  };
  const structure = walk(value);
  return { structure, leaves };
}

/** Rebuilds a nested value of `structure` from its flat leaves. */
export function rebuild<T>(structure: Structure, leaves: readonly T[]): Nested<T> {
  let i = 0;
  const walk = (s: Structure): Nested<T> => {
    if (s.kind === 'leaf') return leaves[i++] as T;
    if (s.kind === 'tuple') return s.items.map(walk);
    const out: { [key: string]: Nested<T> } = {};
    s.keys.forEach((k, j) => (out[k] = walk(s.items[j] as Structure)));
    return out;
  };
  return walk(structure);
}

/**
 * The leaves of `value`, which must have the structure `s` (leaves recognized by `isLeaf`), in flat
 * order; a TypeError naming `what` otherwise.
 */
export function leavesLike(
  s: Structure,
  value: unknown,
  isLeaf: (v: unknown) => boolean,
  what: string,
): unknown[] {
  const out: unknown[] = [];
  const fail = (): never => {
    throw new TypeError(
      `${what} must have the structure ${structureToString(s)}, got ${JSON.stringify(value)}`,
    );
  };
  const walk = (t: Structure, v: unknown): void => {
    if (t.kind === 'leaf') {
      if (!isLeaf(v)) fail();
      out.push(v);
    } else if (t.kind === 'tuple') {
      if (!Array.isArray(v) || v.length !== t.items.length) fail();
      t.items.forEach((it, i) => walk(it, (v as unknown[])[i]));
    } else {
      if (!isOptionsObject(v) || Object.keys(v).sort().join('\0') !== t.keys.join('\0')) fail();
      t.keys.forEach((k, i) => walk(t.items[i] as Structure, (v as Record<string, unknown>)[k]));
    }
  };
  walk(s, value);
  return out;
}

/** Number of leaves of a structure. */
export function leafCount(s: Structure): number {
  if (s.kind === 'leaf') return 1;
  return s.items.reduce((n, x) => n + leafCount(x), 0);
}

/** Whether two structures are the same (same tuple lengths, same dict keys). */
export function sameStructure(a: Structure, b: Structure): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'leaf') return true;
  const bi = (b as { items: readonly Structure[] }).items;
  if (a.items.length !== bi.length) return false;
  if (a.kind === 'dict' && (b as { keys: readonly string[] }).keys.join('\0') !== a.keys.join('\0'))
    return false;
  return a.items.every((x, i) => sameStructure(x, bi[i] as Structure));
}

/** Structure as text for messages: `(x, y)`, `{a: x, b: x}`, `x`. */
export function structureToString(s: Structure): string {
  if (s.kind === 'leaf') return 'x';
  if (s.kind === 'tuple') return `(${s.items.map(structureToString).join(', ')})`;
  return `{${s.keys.map((k, i) => `${k}: ${structureToString(s.items[i] as Structure)}`).join(', ')}}`;
}

/**
 * A leaf of a dataset's input: a Tensor (or Variable), an NDArray, a typed array, a number or boolean,
 * or a plain nested array of numbers/booleans (TF1 converts a Python list to one tensor). An array that
 * holds a Tensor or NDArray is a tuple instead (the transliteration of TF1's `(features, labels)`).
 */
export function isValueLeaf(v: unknown): boolean {
  if (v instanceof Tensor || v instanceof NDArray) return true;
  if (typeof v === 'number' || typeof v === 'boolean') return true;
  if (ArrayBuffer.isView(v)) return true;
  return Array.isArray(v) && v.every(isPlainNumeric);
}

function isPlainNumeric(v: unknown): boolean {
  if (typeof v === 'number' || typeof v === 'boolean') return true;
  return Array.isArray(v) && v.every(isPlainNumeric);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `the string '${v}'`;
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object') return `a ${(v as object).constructor?.name ?? 'object'}`;
  return `${String(v)} (${typeof v})`;
}
