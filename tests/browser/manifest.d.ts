/** The virtual module the browser test bundle generates (tests/browser/run.ts). */
declare module 'browser-test-manifest' {
  /** tests/ops/cases/*.ts by file name. */
  export const caseTables: Record<string, Record<string, unknown>>;
  /** Evaluates the session-semantics test files (their describe/test calls register with the harness). */
  export function loadSessionTests(): void;
}
