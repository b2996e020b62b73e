/**
 * A small jest-compatible harness for the browser test page: `describe`/`test`/`it` (and `.skip`),
 * `beforeEach`/`afterEach`/`beforeAll`/`afterAll`, `expect` with the matchers the bundled tests use
 * (including `.not`, `.rejects`/`.resolves`), and `jest.fn`/`jest.spyOn`. The bundled test files run
 * unchanged; `collect()` returns their tests for the page's runner.
 */
type Fn = () => unknown;
interface Block {
  name: string;
  before: Fn[];
  after: Fn[];
  beforeAll: Fn[];
  afterAll: Fn[];
  parent: Block | null;
}
export interface CollectedTest {
  name: string;
  run: () => Promise<void>;
  skip: boolean;
}

let current: Block = { name: '', before: [], after: [], beforeAll: [], afterAll: [], parent: null };
let collected: CollectedTest[] = [];
const spies: { restore(): void }[] = [];
const ranBeforeAll = new Set<Block>();

function chain(b: Block | null): Block[] {
  const out: Block[] = [];
  for (let x = b; x; x = x.parent) out.unshift(x);
  return out;
}

function addTest(name: string, fn: Fn | undefined, skip: boolean): void {
  const blocks = chain(current);
  const full = [...blocks.map((b) => b.name).filter(Boolean), name].join(' › ');
  collected.push({
    name: full,
    skip,
    run: async () => {
      for (const b of blocks) {
        if (!ranBeforeAll.has(b)) {
          ranBeforeAll.add(b);
          for (const f of b.beforeAll) await f();
        }
      }
      try {
        for (const b of blocks) for (const f of b.before) await f();
        await fn?.();
      } finally {
        for (const b of blocks.slice().reverse()) for (const f of b.after) await f();
        while (spies.length) spies.pop()?.restore();
      }
    },
  });
}

function describe(name: string, body: () => void): void {
  const parent = current;
  current = { name, before: [], after: [], beforeAll: [], afterAll: [], parent };
  try {
    body();
  } finally {
    current = parent;
  }
}
describe.skip = (name: string, body: () => void): void => {
  const before = collected.length;
  describe(name, body);
  for (const t of collected.slice(before)) t.skip = true;
};

function test(name: string, fn?: Fn): void {
  addTest(name, fn, false);
}
test.skip = (name: string, fn?: Fn): void => addTest(name, fn, true);

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    const x = a as unknown as ArrayLike<unknown>;
    const y = b as unknown as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Map && b instanceof Map)
    return a.size === b.size && [...a].every(([k, v]) => b.has(k) && deepEqual(v, b.get(k)));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function show(v: unknown): string {
  try {
    return typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    return String(v);
  }
}

function errorMatches(e: unknown, expected: unknown): boolean {
  const msg = e instanceof Error ? e.message : String(e);
  if (expected === undefined) return true;
  if (typeof expected === 'string') return msg.includes(expected);
  if (expected instanceof RegExp) return expected.test(msg);
  if (typeof expected === 'function') return e instanceof (expected as new () => unknown);
  if (expected instanceof Error) return msg === expected.message;
  return false;
}

interface MockFn {
  (...args: unknown[]): unknown;
  mock: { calls: unknown[][] };
  mockImplementation(f: (...args: unknown[]) => unknown): MockFn;
  mockReturnValue(v: unknown): MockFn;
  mockRestore(): void;
}

function matchers(actual: unknown, negate: boolean, label = ''): Record<string, (...a: unknown[]) => void> {
  const check = (ok: boolean, what: string): void => {
    if (ok === negate) throw new Error(`expect(${label || show(actual)})${negate ? '.not' : ''}.${what}`);
  };
  const callThrows = (): { threw: boolean; error: unknown } => {
    try {
      (actual as () => unknown)();
      return { threw: false, error: undefined };
    } catch (error) {
      return { threw: true, error };
    }
  };
  return {
    toBe: (e) => check(Object.is(actual, e), `toBe(${show(e)})`),
    toEqual: (e) => check(deepEqual(actual, e), `toEqual(${show(e)})`),
    toStrictEqual: (e) => check(deepEqual(actual, e), `toStrictEqual(${show(e)})`),
    toBeNull: () => check(actual === null, 'toBeNull()'),
    toBeUndefined: () => check(actual === undefined, 'toBeUndefined()'),
    toBeDefined: () => check(actual !== undefined, 'toBeDefined()'),
    toBeTruthy: () => check(Boolean(actual), 'toBeTruthy()'),
    toBeFalsy: () => check(!actual, 'toBeFalsy()'),
    toBeNaN: () => check(Number.isNaN(actual), 'toBeNaN()'),
    toBeLessThan: (e) => check((actual as number) < (e as number), `toBeLessThan(${show(e)})`),
    toBeLessThanOrEqual: (e) => check((actual as number) <= (e as number), `toBeLessThanOrEqual(${show(e)})`),
    toBeGreaterThan: (e) => check((actual as number) > (e as number), `toBeGreaterThan(${show(e)})`),
    toBeGreaterThanOrEqual: (e) =>
      check((actual as number) >= (e as number), `toBeGreaterThanOrEqual(${show(e)})`),
    toBeCloseTo: (e, digits = 2) =>
      check(
        Math.abs((actual as number) - (e as number)) < 10 ** -(digits as number) / 2,
        `toBeCloseTo(${show(e)})`,
      ),
    toBeInstanceOf: (c) => check(actual instanceof (c as new () => unknown), 'toBeInstanceOf(...)'),
    toContain: (e) =>
      check(
        typeof actual === 'string' ? actual.includes(e as string) : (actual as unknown[]).includes(e),
        `toContain(${show(e)})`,
      ),
    toHaveLength: (n) => check((actual as { length: number }).length === n, `toHaveLength(${show(n)})`),
    toMatch: (e) =>
      check(
        e instanceof RegExp ? e.test(actual as string) : (actual as string).includes(e as string),
        `toMatch(${String(e)})`,
      ),
    toHaveProperty: (k) =>
      check(actual !== null && typeof actual === 'object' && (k as string) in actual, 'toHaveProperty'),
    toHaveBeenCalled: () => check((actual as MockFn).mock.calls.length > 0, 'toHaveBeenCalled()'),
    toHaveBeenCalledTimes: (n) =>
      check((actual as MockFn).mock.calls.length === n, `toHaveBeenCalledTimes(${show(n)})`),
    toThrow: (e) => {
      const r = callThrows();
      const ok = r.threw && errorMatches(r.error, e);
      const got = r.threw
        ? ` (threw: ${(r.error as Error)?.message ?? String(r.error)})`
        : ' (did not throw)';
      check(ok, `toThrow(${e instanceof RegExp ? String(e) : show(e)})${got}`);
    },
  };
}

type Matchers = Record<string, (...a: unknown[]) => void>;
function expect(actual: unknown): Matchers & { not: Matchers; rejects: Matchers; resolves: Matchers } {
  const asyncMatchers = (reject: boolean): Matchers =>
    new Proxy({} as Matchers, {
      get:
        (_t, name: string) =>
        async (...args: unknown[]) => {
          let value: unknown;
          let threw = false;
          try {
            value = await (actual as Promise<unknown>);
          } catch (e) {
            value = e;
            threw = true;
          }
          if (threw !== reject)
            throw new Error(`expect(promise).${reject ? 'rejects' : 'resolves'}: it did not`);
          const m = matchers(
            name === 'toThrow'
              ? () => {
                  throw value;
                }
              : value,
            false,
          );
          (m[name] as (...a: unknown[]) => void)(...args);
        },
    });
  return Object.assign(matchers(actual, false), {
    not: matchers(actual, true),
    rejects: asyncMatchers(true),
    resolves: asyncMatchers(false),
  });
}

function fn(impl?: (...args: unknown[]) => unknown): MockFn {
  let body = impl;
  const f = ((...args: unknown[]) => {
    f.mock.calls.push(args);
    return body?.(...args);
  }) as MockFn;
  f.mock = { calls: [] };
  f.mockImplementation = (g) => {
    body = g;
    return f;
  };
  f.mockReturnValue = (v) => {
    body = () => v;
    return f;
  };
  f.mockRestore = () => undefined;
  return f;
}

const jest = {
  fn,
  spyOn(obj: Record<string, unknown>, key: string): MockFn {
    const original = obj[key] as (...a: unknown[]) => unknown;
    const f = fn((...a) => original.apply(obj, a));
    obj[key] = f;
    const restore = { restore: () => void (obj[key] = original) };
    f.mockRestore = restore.restore;
    spies.push(restore);
    return f;
  },
};

/** Installs the harness as globals (before the test files are evaluated). */
export function install(): void {
  Object.assign(globalThis, {
    describe,
    test,
    it: test,
    expect,
    jest,
    beforeEach: (f: Fn) => current.before.push(f),
    afterEach: (f: Fn) => current.after.push(f),
    beforeAll: (f: Fn) => current.beforeAll.push(f),
    afterAll: (f: Fn) => current.afterAll.push(f),
  });
}

/** Evaluates `load` (which imports/defines test files) and returns the tests it declared. */
export function collect(load: () => void): CollectedTest[] {
  collected = [];
  current = { name: '', before: [], after: [], beforeAll: [], afterAll: [], parent: null };
  load();
  return collected;
}
