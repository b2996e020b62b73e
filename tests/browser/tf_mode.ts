/**
 * The library as the session-semantics test files see it in the browser test page: everything from
 * src, except that `new tf.Session(options)` / `new tf.InteractiveSession(options)` default to the
 * backend and gpu.js mode under test (set by the page's runner before each run). Options a test gives
 * itself win. The browser test bundle resolves these files' `../../src` here (tests/browser/run.ts).
 */
import * as real from '../../src';

export * from '../../src';

export const modeUnderTest: { options: { backend?: 'cpu' | 'gpu'; gpu?: { mode: string } } } = {
  options: {},
};

type Options = ConstructorParameters<typeof real.Session>[0];
function withMode(o: Options): Options {
  // Only plain option objects without a backend or gpu choice of their own (a test may pass a Graph or
  // wrong options on purpose: those reach the Session unchanged).
  if (o !== undefined && (o === null || Object.getPrototypeOf(o) !== Object.prototype)) return o;
  const given = (o ?? {}) as Record<string, unknown>;
  if (given.backend !== undefined || given.gpu !== undefined) return o;
  return { ...(modeUnderTest.options as Options), ...given } as Options;
}

export class Session extends real.Session {
  constructor(options?: Options) {
    super(withMode(options));
  }
}

export class InteractiveSession extends real.InteractiveSession {
  constructor(options?: Options) {
    super(withMode(options));
  }
}
