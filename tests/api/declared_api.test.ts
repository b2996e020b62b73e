// Generated checks over every declared public function (issue 11): no builder may ignore an argument.
// Each declared function is called with an unknown option key and with a wrongly typed argument, and
// must throw the binder's TypeError before building anything. A coverage check makes sure every public
// function and class of the TF1 namespaces is declared, so a future op cannot skip the binder.
import * as tf from '../../src';
import { declaredApis, INVALID, type DeclaredApi, type Kind } from '../../src/graph/signature';

/** Values no declared kind should accept in a typed position (tried in order). */
const WRONG: unknown[] = [
  Symbol('wrong'),
  { notAValue: true },
  () => 0,
  'not-a-value',
  1.5,
  -7,
  [Symbol('x')],
];

function wrongValueFor(kind: Kind<unknown>): unknown {
  for (const v of WRONG) if (kind.parse(v) === INVALID) return v;
  return INVALID;
}

/** Required arguments: positional samples, and keyword-only ones in the options object. */
function requiredArgs(api: DeclaredApi): { positional: unknown[]; keywords: Record<string, unknown> } {
  const positional: unknown[] = [];
  const keywords: Record<string, unknown> = {};
  for (const p of api.signature.params) {
    if (!p.required) continue;
    if (!p.kind.sample) throw new Error(`${api.signature.fn}: kind of '${p.name}' has no sample value`);
    if (p.keywordOnly) keywords[p.name] = p.kind.sample();
    else positional.push(p.kind.sample());
  }
  return { positional, keywords };
}

function inFreshGraph<T>(fn: () => T): T {
  return new tf.Graph().asDefault(fn);
}

const apis = declaredApis();

describe('every declared public function', () => {
  test('there are declared functions', () => {
    expect(apis.length).toBeGreaterThan(20);
  });

  test.each(apis.map((a) => [a.signature.fn, a] as const))(
    '%s rejects an unknown option key with a TypeError',
    (fn, api) => {
      inFreshGraph(() => {
        const { positional, keywords } = requiredArgs(api);
        expect(() => api.invoke(...positional, { ...keywords, notATf1Argument: 1 })).toThrow(TypeError);
        expect(() => api.invoke(...positional, { ...keywords, notATf1Argument: 1 })).toThrow(
          new RegExp(`${fn}\\(\\) got an unexpected keyword argument 'notATf1Argument'`),
        );
      });
    },
  );

  test.each(apis.map((a) => [a.signature.fn, a] as const))(
    '%s rejects a wrongly typed argument with a TypeError naming it',
    (fn, api) => {
      const { positional, keywords } = inFreshGraph(() => requiredArgs(api));
      let checked = 0;
      for (const p of api.signature.params) {
        const bad = wrongValueFor(p.kind);
        if (bad === INVALID) continue;
        const args = positional.slice();
        const kw: Record<string, unknown> = { ...keywords };
        // Required positional parameters are replaced in place; others go by keyword.
        const idx = api.signature.params.filter((q) => q.required && !q.keywordOnly).indexOf(p);
        if (idx >= 0) args[idx] = bad;
        else kw[p.name] = bad;
        inFreshGraph(() => {
          const call = (): unknown => api.invoke(...args, ...(Object.keys(kw).length > 0 ? [kw] : []));
          expect(call).toThrow(TypeError);
          expect(call).toThrow(new RegExp(`${fn}\\(\\): argument '${p.name}' must be`));
        });
        checked++;
      }
      expect(checked).toBeGreaterThan(0);
    },
  );
});

/** Exports that are not TF1 builders, each with the reason it takes no declared signature. */
const NOT_BUILDERS: Record<string, string> = {
  ndarray: "tensorgraph's NDArray constructor helper (not a TF1 function)",
  getDefaultGraph: 'no arguments',
  resetDefaultGraph: 'no arguments',
  createCpuBackend: 'backend factory, options typed by its interface',
  createGpuBackend: 'backend factory, options typed by its interface',
  importGraphDef: 'graph import (issue 18 adds the TF GraphDef form)',
  getDefaultSession: 'no arguments',
  listLocalDevices: 'no arguments (tf.client.deviceLib)',
  computeFans: 'internal helper of the initializers (shape arithmetic)',
  isInitializerFactory: 'internal predicate of the initializers',
  getGlobalStep: 'takes an optional Graph only',
  createGlobalStep: 'takes an optional Graph only',
  getOrCreateGlobalStep: 'takes an optional Graph only',
  getVariableScope: 'no arguments',
  // These bind their TF1 signature with bindCall after a pre-step (callback last, variadic inputs) and
  // have their own call-form tests: tests/graph/call_forms.test.ts, tests/ops/control_call_forms.test.ts.
  nameScope: 'bindCall, callback last (tests/graph/call_forms.test.ts)',
  controlDependencies: 'bindCall, callback last (tests/graph/call_forms.test.ts)',
  device: 'bindCall, callback last (tests/graph/call_forms.test.ts)',
  gradients: 'bindCall (tests/graph/call_forms.test.ts)',
  group: 'variadic inputs then options (tests/graph/call_forms.test.ts)',
  print: 'variadic inputs then options (tests/ops/print.test.ts)',
  MonitoredTrainingSession:
    'TF1 function also usable with new; binds train.MonitoredTrainingSession (tests/train/monitored_session.test.ts)',
  cond: 'bindCall (tests/ops/control_call_forms.test.ts)',
  whileLoop: 'bindCall (tests/ops/control_call_forms.test.ts)',
  variableScope: 'callback last; old option form, not yet TF1-declared (noted in issue 11 closing note)',
  globalVariables:
    'one optional scope regex or Graph, checked by its own test (tests/tf1/collections.test.ts)',
  trainableVariables:
    'one optional scope regex or Graph, checked by its own test (tests/tf1/collections.test.ts)',
  globalVariablesInitializer: 'no arguments',
  initializeAllVariables: 'no arguments (TF1 deprecated alias of global_variables_initializer)',
  latestCheckpoint: 'not yet TF1-declared: noted in issue 11 closing note',
  checkpointExists: 'not yet TF1-declared: noted in issue 11 closing note',
  // tensorgraph's board (not TF1 functions): options objects checked by tests/board/*.test.ts.
  readEvents: 'event-file reader, not a TF1 function (tests/board/event_reader.test.ts)',
  decodeEvent: 'event-file reader, not a TF1 function (tests/board/event_reader.test.ts)',
  decodeGraphDef: 'event-file reader, not a TF1 function (tests/board/event_reader.test.ts)',
  decodeRunMetadata: 'event-file reader, not a TF1 function (tests/summary/run_metadata.test.ts)',
  graphToSvg: 'graph picture, not a TF1 function (tests/board/graph_svg.test.ts)',
  graphToHtml: 'graph picture, not a TF1 function (tests/board/graph_svg.test.ts)',
  startBoard: 'the board server, not a TF1 function (tests/board/board.test.ts)',
  // tf.io: TensorFlow.js graph models (tfjs API, not TF1), options checked by tests/io/graph_model.test.ts.
  loadGraphModel: 'TensorFlow.js model loader, not a TF1 function (tests/io/graph_model.test.ts)',
  graphModelFromArtifacts: 'TensorFlow.js model builder, not TF1 (tests/io/graph_model.test.ts)',
  decodeWeights: 'TensorFlow.js weights decoder, not a TF1 function (tests/io/graph_model.test.ts)',
  encodeGraphDef: 'GraphDef protobuf encoder, not a TF1 function (tests/io/graph_def.test.ts)',
};

/** Classes that are not TF1 constructors taking TF1 arguments. */
const NOT_DECLARED_CLASSES = new Set([
  'NDArray',
  'Tensor',
  'Operation',
  'Graph',
  'ExecutionPlan',
  'Optimizer', // abstract base
  'RNNCell', // abstract base of the tf.nn.rnnCell cells
  'Layer', // abstract base of the tf.layers classes
  'GraphModel', // made by tf.io.loadGraphModel, not constructed by users (tests/io/graph_model.test.ts)
  'VariableScope',
  'SerializedSummary', // a value type returned by summary ops, not built by users
  'Session', // options object checked by the Session itself (tests/session)
  'InteractiveSession',
  'Dataset', // tf.data.Dataset: built by its declared static factories (tests/data/dataset.test.ts)
  'Iterator', // tf.data.Iterator: made by datasets or the declared Iterator.fromStructure (tests/data)
  'EventFileReader', // the board's event-file readers (tests/board/event_reader.test.ts)
  'LogdirReader',
  'RunData',
  'SessionRunHook', // base class of the tf.train hooks (subclassed by users)
  'SessionRunArgs', // value holder returned by hooks (tests/train/monitored_session.test.ts)
  'SessionRunContext', // built by the monitored session for each run
  'SessionRunValues', // built by the monitored session for each run
  'RunOptions', // { traceLevel } checked by parseRunOptions (tests/session/devices.test.ts)
  'RunMetadata', // no arguments; filled by a traced Session.run
  'ConfigProto', // keyword object checked by readConfig (tests/session/devices.test.ts)
  'GPUOptions', // keyword object checked with ConfigProto (tests/session/devices.test.ts)
  'Timeline', // tf.client.timeline.Timeline(stepStats): checked by tests/session/devices.test.ts
]);

function isClass(f: unknown): boolean {
  return typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));
}

function publicFunctions(): { path: string; fn: unknown }[] {
  const out: { path: string; fn: unknown }[] = [];
  const visit = (ns: Record<string, unknown>, prefix: string, depth: number): void => {
    for (const [key, value] of Object.entries(ns)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (typeof value === 'function') out.push({ path, fn: value });
      else if (depth < 2 && value !== null && typeof value === 'object' && !Array.isArray(value)) {
        visit(value as Record<string, unknown>, path, depth + 1);
      }
    }
  };
  visit(tf as unknown as Record<string, unknown>, '', 0);
  return out;
}

test('every public function and TF1 class of the package goes through the binder', () => {
  const declaredFns = new Set(apis.map((a) => a.invoke));
  const declaredNames = new Set(apis.map((a) => a.signature.fn.split('.').pop() as string));
  const missing: string[] = [];
  for (const { path, fn } of publicFunctions()) {
    const key = path.split('.').pop() as string;
    if (/Error$/.test(key)) continue; // error classes
    if (isClass(fn)) {
      if (NOT_DECLARED_CLASSES.has(key) || declaredNames.has(key)) continue;
      missing.push(`${path} (class)`);
      continue;
    }
    if (declaredFns.has(fn as DeclaredApi['invoke']) || key in NOT_BUILDERS) continue;
    missing.push(path);
  }
  expect(missing).toEqual([]);
});
