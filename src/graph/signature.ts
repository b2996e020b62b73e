/**
 * TF1 call forms (SPEC §2): every public builder declares its TF1 signature once — parameter names in
 * TF1's order, kinds (what each accepts), TF1 defaults and deprecated aliases — and one binder turns a
 * call into a typed record of arguments. Accepted: TF1's positional order in full
 * (`reduceSum(x, 1, true, 'total')`), a trailing options object keyed by TF1's keyword names after any
 * positional prefix (`reduceSum(x, { axis: 1, keepdims: true })`), and a plain string as the last
 * argument meaning `{ name }`. Unknown keys, wrong types and parameters given twice are `TypeError`s
 * naming the function, the parameter and what is accepted.
 */
import { Tensor, type TensorLike } from './tensor';
import { NDArray } from '../ndarray';
import { isDType, type DType } from './dtype';

/** What a parameter accepts: a description for errors, and a parser (`INVALID` when rejected). */
export interface Kind<T> {
  readonly accepts: string;
  parse(v: unknown): T | typeof INVALID;
  /** A value this kind accepts (used by the generated API tests). */
  readonly sample?: () => unknown;
  /**
   * Whether the kind takes strings (padding, dtype, names). A string given positionally where the
   * parameter takes no strings, as the last argument, is the op's name (`reduceSum(x, 'total')`);
   * where it does take strings it is that parameter's value, checked (`'same'` is not a padding).
   */
  readonly takesStrings?: boolean;
}
export const INVALID: unique symbol = Symbol('invalid');

/** One declared parameter. `N` is its TF1 name in camelCase, `A` its aliases (`reductionIndices`, …). */
export interface Param<N extends string = string, T = unknown, A extends string = string> {
  readonly name: N;
  readonly kind: Kind<T>;
  readonly aliases: readonly A[];
  /** TF1's default (used when not given); absent for required parameters. */
  readonly default?: T;
  readonly required: boolean;
  /** TF1 parameters that must be given by keyword (behind `_sentinel`): positional use is an error. */
  readonly keywordOnly: boolean;
}

/** Declares a parameter: `param('axis', kinds.axis, { default: null, aliases: ['reductionIndices'] })`. */
export function param<N extends string, T, const A extends string = never>(
  name: N,
  kind: Kind<T>,
  opts: { default?: T; required?: boolean; aliases?: readonly A[]; keywordOnly?: boolean } = {},
): Param<N, T, A> {
  const required = opts.required ?? !('default' in opts);
  return {
    name,
    kind,
    aliases: opts.aliases ?? [],
    ...('default' in opts ? { default: opts.default as T } : {}),
    required,
    keywordOnly: opts.keywordOnly ?? false,
  };
}

type AnyParam = Param<string, any, string>; // eslint-disable-line @typescript-eslint/no-explicit-any
type ValueOf<P> = P extends Param<string, infer T, string> ? T : never;
type NamesOf<P> = P extends Param<infer N, unknown, infer A> ? (string extends A ? N : N | A) : never;

/** The keyword-options object of a signature: TF1 names (and aliases) to values. */
export type OptionsOf<P extends readonly AnyParam[]> = {
  [K in P[number] as NamesOf<K>]?: ValueOf<K> | undefined;
};

/** The bound arguments: every parameter by its TF1 name, defaults filled in. */
export type BoundArgs<P extends readonly AnyParam[]> = {
  [K in P[number] as K['name']]: ValueOf<K>;
};

/**
 * Every call form, typed loosely enough for forwarding optional arguments: each position takes its
 * parameter's value, an options object (from that position on) or a name string; the binder checks
 * the rest at run time and throws a `TypeError` for anything it cannot read.
 */
export type CallForms<P extends readonly AnyParam[]> = {
  -readonly [I in keyof P]?: ValueOf<P[I]> | OptionsOf<P> | string | undefined;
};

/** A declared signature: the function's TF1 name and its parameters. */
export interface Signature<P extends readonly AnyParam[] = readonly AnyParam[]> {
  readonly fn: string;
  readonly params: P;
}

/** Every declared public function, for the generated API tests (unknown keys, wrong types). */
export interface DeclaredApi {
  readonly signature: Signature;
  readonly invoke: (...args: unknown[]) => unknown;
}
const declared: DeclaredApi[] = [];
export function declaredApis(): readonly DeclaredApi[] {
  return declared;
}

const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Is `v` a keyword-options object (a plain object, not a Tensor, array, NDArray or typed array)? */
export function isOptionsObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (v instanceof Tensor) return `Tensor '${v.name}' (${v.dtype})`;
  if (typeof v === 'string') return `'${v}' (string)`;
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v))
    return `an array [${v.slice(0, 6).map(describeValue).join(', ')}${v.length > 6 ? ', …' : ''}]`;
  if (typeof v === 'object')
    return isOptionsObject(v) ? 'an options object' : `a ${v.constructor?.name ?? 'object'}`;
  return `${String(v)} (${typeof v})`;
}

function paramList(params: readonly AnyParam[]): string {
  return params.map((p) => p.name).join(', ');
}

/**
 * Binds one call against a signature. Exported for builders whose call form needs a pre-step (context
 * functions that take a callback last); ordinary builders use `declare`.
 */
export function bindCall<P extends readonly AnyParam[]>(
  sig: Signature<P>,
  argsIn: readonly unknown[],
): BoundArgs<P> {
  const { fn, params } = sig;
  const args = argsIn.slice();
  // Trailing undefined arguments are "not given" (TS users forwarding optional parameters).
  while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
  let options: Record<string, unknown> | undefined;
  const lastIndex = args.length - 1;
  if (args.length > 0 && isOptionsObject(args[lastIndex])) {
    const p = params[lastIndex];
    // A plain object in a position whose kind accepts it (e.g. a dict of inputs) stays positional.
    if (!(p && p.kind.parse(args[lastIndex]) !== INVALID && !acceptsOnlyOptions(p))) {
      options = args.pop() as Record<string, unknown>;
    }
  }
  const given = new Map<string, unknown>();
  const nameParam = params.find((p) => p.name === 'name');
  args.forEach((v, i) => {
    const p = params[i];
    const isLast = i === args.length - 1 && options === undefined;
    if (nameParam && isLast && typeof v === 'string' && (!p || (p !== nameParam && !p.kind.takesStrings))) {
      if (given.has('name')) throw new TypeError(`${fn}() got multiple values for argument 'name'`);
      given.set('name', v);
      return;
    }
    if (!p) {
      throw new TypeError(
        `${fn}() takes at most ${params.length} positional arguments (${paramList(params)}) but ${args.length} were given`,
      );
    }
    if (p.keywordOnly) {
      throw new TypeError(
        `${fn}() must be called with keyword arguments: ${fn}({ ${params
          .filter((q) => q.keywordOnly)
          .map((q) => q.name)
          .join(', ')} }); ` + `got a positional value for '${p.name}'`,
      );
    }
    if (v === undefined) return;
    given.set(p.name, v);
  });
  if (options) {
    for (const key of Object.keys(options)) {
      const v = options[key];
      const p = params.find(
        (q) =>
          q.name === key ||
          q.aliases.includes(key) ||
          snake(q.name) === key ||
          q.aliases.some((a) => snake(a) === key),
      );
      if (!p) {
        throw new TypeError(
          `${fn}() got an unexpected keyword argument '${key}'; accepted: ${paramList(params)}` +
            aliasList(params),
        );
      }
      if (v === undefined) continue;
      if (given.has(p.name)) throw new TypeError(`${fn}() got multiple values for argument '${p.name}'`);
      given.set(p.name, v);
    }
  }
  const bound: Record<string, unknown> = {};
  for (const p of params) {
    if (!given.has(p.name)) {
      if (p.required) throw new TypeError(`${fn}() missing required argument '${p.name}'`);
      bound[p.name] = p.default;
      continue;
    }
    const raw = given.get(p.name);
    const parsed = p.kind.parse(raw);
    if (parsed === INVALID) {
      throw new TypeError(
        `${fn}(): argument '${p.name}' must be ${p.kind.accepts}, got ${describeValue(raw)}`,
      );
    }
    bound[p.name] = parsed;
  }
  return bound as BoundArgs<P>;
}

function acceptsOnlyOptions(p: AnyParam): boolean {
  return p.kind.parse({ __tensorgraph_probe__: 1 }) === INVALID;
}

function aliasList(params: readonly AnyParam[]): string {
  const aliases = params.flatMap((p) => p.aliases.map((a) => `${a} (= ${p.name})`));
  return aliases.length > 0 ? `; aliases: ${aliases.join(', ')}` : '';
}

/**
 * Declares a public function from its TF1 signature and an implementation over the bound arguments.
 *
 * @example
 * export const reduceSum = declare('reduceSum', [param('inputTensor', kinds.tensor), ...], (a) => ...);
 */
export function declare<const P extends readonly AnyParam[], R>(
  fn: string,
  params: P,
  impl: (a: BoundArgs<P>) => R,
): (...args: CallForms<P>) => R {
  const sig: Signature<P> = { fn, params };
  const wrapped = (...args: unknown[]): R => impl(bindCall(sig, args));
  declared.push({ signature: sig as unknown as Signature, invoke: wrapped });
  Object.defineProperty(wrapped, 'name', { value: fn });
  return wrapped as unknown as (...args: CallForms<P>) => R;
}

/** Declares a class constructor's signature (optimizers): `bind` returns the bound record. */
export function declareConstructor<const P extends readonly AnyParam[]>(
  fn: string,
  params: P,
  make: (...args: unknown[]) => unknown,
): Signature<P> {
  const sig: Signature<P> = { fn, params };
  declared.push({ signature: sig as unknown as Signature, invoke: make });
  return sig;
}

// ---- kinds -------------------------------------------------------------------------------------------

function kind<T>(
  accepts: string,
  parse: (v: unknown) => T | typeof INVALID,
  sample?: () => unknown,
  takesStrings = false,
): Kind<T> {
  return { accepts, parse, ...(sample ? { sample } : {}), takesStrings };
}

/** Values that become a tensor (SPEC §2): Tensors, Variables, numbers, booleans, nested arrays, NDArrays. */
export type TensorValue = TensorLike;

function isTensorValue(v: unknown): boolean {
  if (v instanceof Tensor || v instanceof NDArray) return true;
  if (typeof v === 'number' || typeof v === 'boolean') return true;
  if (v instanceof Float32Array || v instanceof Int32Array || v instanceof Uint8Array) return true;
  if (v instanceof Float64Array) return true;
  return Array.isArray(v) && v.every(isTensorValue);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export const kinds = {
  tensor: kind<TensorValue>(
    'a Tensor or a value convertible to one (number, boolean, nested array, NDArray, typed array)',
    (v) => (isTensorValue(v) ? (v as TensorValue) : INVALID),
    () => 1,
  ),
  tensors: kind<TensorValue[]>(
    'a list of Tensors or values convertible to them',
    (v) => (Array.isArray(v) && v.every(isTensorValue) ? (v as TensorValue[]) : INVALID),
    () => [1, 2],
  ),
  int: kind<number>(
    'an integer',
    (v) => (isInt(v) ? v : INVALID),
    () => 1,
  ),
  nonNegInt: kind<number>(
    'a non-negative integer',
    (v) => (isInt(v) && v >= 0 ? v : INVALID),
    () => 1,
  ),
  ints: kind<number[]>(
    'a list of integers',
    (v) => (Array.isArray(v) && v.every(isInt) ? (v as number[]) : INVALID),
    () => [1],
  ),
  /** An axis or a list of axes (reductions); `null` means all axes. */
  axis: kind<number | number[] | null>(
    'an integer, a list of integers, or null',
    (v) =>
      v === null || isInt(v) || (Array.isArray(v) && v.every(isInt))
        ? (v as number | number[] | null)
        : INVALID,
    () => 0,
  ),
  number: kind<number>(
    'a number',
    (v) => (typeof v === 'number' && !Number.isNaN(v) ? v : INVALID),
    () => 1,
  ),
  bool: kind<boolean>(
    'a boolean (true or false)',
    (v) => (typeof v === 'boolean' ? v : INVALID),
    () => true,
  ),
  string: kind<string>(
    'a string',
    (v) => (typeof v === 'string' ? v : INVALID),
    () => 's',
  ),
  name: kind<string>(
    'a string (the op name)',
    (v) => (typeof v === 'string' ? v : INVALID),
    () => 'n',
  ),
  dtype: kind<DType>(
    "a dtype: tf.float32 ('float32', 'float'), tf.int32 ('int32', 'int') or tf.bool ('bool')",
    (v) => parseDType(v) ?? INVALID,
    () => 'float32',
    true,
  ),
  fn: kind<(...a: never[]) => unknown>(
    'a function',
    (v) => (typeof v === 'function' ? (v as (...a: never[]) => unknown) : INVALID),
    () => () => 0,
  ),
  /** One of the listed strings (`padding: 'SAME' | 'VALID'`). */
  oneOf<const S extends string>(...values: S[]): Kind<S> {
    return kind<S>(
      values.map((s) => `'${s}'`).join(' or '),
      (v) => (typeof v === 'string' && (values as string[]).includes(v) ? (v as S) : INVALID),
      () => values[0],
      true,
    );
  },
  /** `k` or `null` (TF1's `None`). */
  nullable<T>(k: Kind<T>): Kind<T | null> {
    return kind<T | null>(
      `${k.accepts}, or null`,
      (v) => (v === null ? null : k.parse(v)),
      k.sample,
      k.takesStrings,
    );
  },
  /** Either of two kinds (the first that accepts wins). */
  union<A, B>(a: Kind<A>, b: Kind<B>): Kind<A | B> {
    return kind<A | B>(
      `${a.accepts}, or ${b.accepts}`,
      (v) => {
        const r = a.parse(v);
        return r === INVALID ? b.parse(v) : r;
      },
      a.sample,
    );
  },
  /** A custom kind with its own check. */
  custom<T>(
    accepts: string,
    check: (v: unknown) => boolean,
    sample?: () => unknown,
    takesStrings = false,
  ): Kind<T> {
    return kind<T>(accepts, (v) => (check(v) ? (v as T) : INVALID), sample, takesStrings);
  },
};

/** Parses a dtype or one of TF1's aliases (`'float'` → float32, `'int'` → int32); undefined if not one. */
export function parseDType(v: unknown): DType | undefined {
  if (isDType(v)) return v;
  if (v === 'float') return 'float32';
  if (v === 'int') return 'int32';
  return undefined;
}
