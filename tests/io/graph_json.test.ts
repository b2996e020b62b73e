import * as fs from 'fs';
import * as path from 'path';
import * as tf from '../../src';
import { NDArray } from '../../src';
import { GraphJSON, NodeJSON } from '../../src/io';
import type { Attrs } from '../../src/graph/tensor';
import { makeOp } from '../../src/ops/op_def';
import { OpCase } from '../helpers/cases';
import { float64Session } from '../helpers/gradcheck';

/** Every case table under tests/ops/cases (the same discovery as the coverage test). */
function allCases(): OpCase[] {
  const dir = path.join(__dirname, '..', 'ops', 'cases');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => Object.values(require(path.join(dir, f)) as Record<string, unknown>))
    .filter((v): v is OpCase[] => Array.isArray(v))
    .flat();
}

/** Bitwise equality of two results (NaN payload-insensitive, -0 sensitive). */
function expectSameBits(a: NDArray, b: NDArray, label: string): void {
  expect([label, a.dtype, a.shape]).toEqual([label, b.dtype, b.shape]);
  expect(a.data.constructor).toBe(b.data.constructor);
  for (let i = 0; i < a.data.length; i++) {
    if (!Object.is(a.data[i], b.data[i]))
      throw new Error(`${label}: element ${i} is ${a.data[i]} after import, ${b.data[i]} before`);
  }
}

/** Builds a case with a graph seed, plus the gradients of its output when they exist. */
function buildCase(c: OpCase): { graph: tf.Graph; fetches: tf.Tensor[]; feeds: Record<string, NDArray> } {
  const graph = new tf.Graph();
  return graph.asDefault(() => {
    tf.setRandomSeed(1234);
    const xs = c.inputs.map((v, i) => tf.placeholder(v.dtype, v.shape, `x${i}`));
    const y = c.build(...xs);
    const fetches = [y];
    if (c.grad !== false && y.dtype === 'float32') {
      const floats = xs.filter((x) => x.dtype === 'float32');
      if (floats.length) for (const g of tf.gradients(y, floats)) if (g) fetches.push(g);
    }
    return { graph, fetches, feeds: Object.fromEntries(c.inputs.map((v, i) => [`x${i}:0`, v])) };
  });
}

describe('toJSON → importGraphDef → run reproduces every case-table graph', () => {
  const cases = allCases();
  test('the case tables are found', () => expect(cases.length).toBeGreaterThan(50));
  for (const c of cases) {
    test(c.name, () => {
      const { graph, fetches, feeds } = buildCase(c);
      const json = JSON.stringify(graph.toJSON());
      const imported = new tf.Graph();
      const names = fetches.map((t) => t.name);
      const again = tf.importGraphDef(json, { graph: imported, returnElements: names }) as tf.Tensor[];
      // Exact structural round trip: re-exporting the imported graph gives the same JSON.
      expect(JSON.stringify(imported.toJSON())).toBe(json);
      expect(again.map((t) => t.name)).toEqual(names);
      // Same kernels on the same inputs: the results must agree bit for bit.
      const before = new tf.Session({ graph }).run(fetches, feeds);
      const after = new tf.Session({ graph: imported }).run(again, feeds);
      before.forEach((b, i) => expectSameBits(after[i] as NDArray, b, `${c.name} ${names[i]}`));
    });
  }
});

/** A small model with scopes, control dependencies, devices, a formula op, variables and a train op. */
function buildModel(): { graph: tf.Graph; loss: tf.Tensor; train: tf.Operation; W: tf.Variable } {
  const graph = new tf.Graph();
  return graph.asDefault(() => {
    tf.setRandomSeed(7);
    const x = tf.placeholder('float32', [null, 3], 'x');
    const y = tf.placeholder('float32', [null, 2], 'y');
    const { W, h } = tf.nameScope('layer1', () => {
      const W = new tf.Variable(tf.randomNormal([3, 2], { stddev: 0.5 }), { name: 'W' });
      const b = new tf.Variable(tf.zeros([2]), { name: 'b' });
      return { W, h: tf.device('/cpu:0', () => tf.add(tf.matmul(x, W), b, 'pre')) };
    });
    const act = tf.elementwise('x / (1 + abs(x)) + 0.1 * x^3', { x: h }, 'softsign3');
    const check = tf.noOp('check');
    const out = tf.controlDependencies([check], () => tf.identity(act, 'out'));
    const loss = tf.reduceMean(tf.square(tf.subtract(out, y)), undefined, 'loss');
    const step = tf.train.getOrCreateGlobalStep();
    const train = new tf.train.AdamOptimizer(0.05).minimize(loss, { globalStep: step, name: 'train' });
    return { graph, loss, train, W };
  });
}

const X = [
  [0.5, -1, 2],
  [1.5, 0.25, -0.75],
  [-2, 1, 0.5],
  [0.1, 0.2, 0.3],
];
const Y = [
  [1, 0],
  [0, 1],
  [0.5, 0.5],
  [-1, 1],
];

describe('graph JSON round trip', () => {
  test('keeps names, scopes, attrs, shapes, dtypes, devices and control dependencies', () => {
    const { graph } = buildModel();
    const json = graph.toJSON();
    const imported = new tf.Graph();
    tf.importGraphDef(JSON.stringify(json), { graph: imported });
    const a = graph.getOperations();
    const b = imported.getOperations();
    expect(b.map((op) => op.name)).toEqual(a.map((op) => op.name));
    a.forEach((op, i) => {
      const o = b[i] as tf.Operation;
      expect(o.type).toBe(op.type);
      expect(o.device).toBe(op.device);
      expect(o.inputs.map((t) => t.name)).toEqual(op.inputs.map((t) => t.name));
      expect(o.controlInputs.map((c) => c.name)).toEqual(op.controlInputs.map((c) => c.name));
      expect(o.outputs.map((t) => [t.dtype, t.shape])).toEqual(op.outputs.map((t) => [t.dtype, t.shape]));
    });
    expect(imported.getOperationByName('out').controlInputs.map((c) => c.name)).toEqual(['check']);
    expect(imported.getOperationByName('layer1/pre').device).toBe('/cpu:0');
    expect(imported.getOperationByName('softsign3').attrs.formula).toBe(
      graph.getOperationByName('softsign3').attrs.formula,
    );
    expect(imported.seed).toBe(7);
    // Constants keep their float64 storage, so float64-mode sessions agree exactly too.
    const feeds = { 'x:0': X, 'y:0': Y };
    const [s1, s2] = [graph, imported].map((g) => float64Session(g));
    for (const [s, g] of [
      [s1, graph],
      [s2, imported],
    ] as const)
      s?.run(g.asDefault(() => tf.globalVariablesInitializer()));
    expectSameBits(s2?.run('loss:0', feeds) as NDArray, s1?.run('loss:0', feeds) as NDArray, 'float64 loss');
    // Names created after the import continue TF1's unique naming (scopes are taken).
    imported.asDefault(() => {
      expect(tf.nameScope('layer1', () => tf.constant(1, 'float32', [], 'c')).name).toBe('layer1_1/c:0');
      expect(tf.constant(1, 'float32', [], 'loss').name).toBe('loss_1:0');
    });
  });

  test('variables come back as tf.Variables in their collections; init, gradients and new optimizers work', () => {
    const { graph, loss, W } = buildModel();
    const imported = new tf.Graph();
    tf.importGraphDef(graph.toJSON(), { graph: imported });
    const vars = tf.globalVariables(imported);
    expect(vars.map((v) => v.opName)).toEqual(tf.globalVariables(graph).map((v) => v.opName));
    expect(vars.every((v) => v instanceof tf.Variable)).toBe(true);
    expect(tf.trainableVariables(imported).map((v) => v.opName)).toEqual(['layer1/W', 'layer1/b']);
    expect(tf.train.getGlobalStep(imported)?.opName).toBe('global_step');
    const W2 = vars[0] as tf.Variable;
    expect([W2.value().name, W2.initializer.name, W2.initialValue.op.type, W2.trainable]).toEqual([
      W.value().name,
      W.initializer.name,
      W.initialValue.op.type,
      true,
    ]);
    expect(imported.getTensorByName('layer1/W:0')).toBe(W2);

    const feeds = { 'x:0': X, 'y:0': Y };
    const s1 = new tf.Session({ graph });
    s1.run(graph.asDefault(() => tf.globalVariablesInitializer()));
    const s2 = new tf.Session({ graph: imported });
    s2.run(imported.asDefault(() => tf.globalVariablesInitializer()));
    expectSameBits(s2.run(W2), s1.run(W), 'initial W (seeded random op)');

    const loss2 = imported.getTensorByName('loss:0');
    const [g1] = graph.asDefault(() => tf.gradients(loss, [W]));
    const [g2] = imported.asDefault(() => tf.gradients(loss2, [W2]));
    expectSameBits(s2.run(g2 as tf.Tensor, feeds), s1.run(g1 as tf.Tensor, feeds), 'dloss/dW');

    const train1 = graph.asDefault(() => new tf.train.GradientDescentOptimizer(0.1).minimize(loss));
    const train2 = imported.asDefault(() => new tf.train.GradientDescentOptimizer(0.1).minimize(loss2));
    for (let i = 0; i < 3; i++) {
      s1.run(train1, feeds);
      s2.run(train2, feeds);
    }
    expectSameBits(s2.run(W2), s1.run(W), 'W after 3 SGD steps built after import');
  });

  test('the exported train op trains identically after import', () => {
    const { graph, train } = buildModel();
    const imported = new tf.Graph();
    const [train2] = tf.importGraphDef(JSON.stringify(graph.toJSON()), {
      graph: imported,
      returnElements: ['train'],
    }) as tf.Operation[];
    const s1 = new tf.Session({ graph });
    const s2 = new tf.Session({ graph: imported });
    s1.run(graph.asDefault(() => tf.globalVariablesInitializer()));
    s2.run(imported.asDefault(() => tf.globalVariablesInitializer()));
    for (let i = 0; i < 5; i++) {
      s1.run(train, { 'x:0': X, 'y:0': Y });
      s2.run(train2 as tf.Operation, { 'x:0': X, 'y:0': Y });
    }
    const names = tf.globalVariables(graph).map((v) => v.name);
    expect(names.length).toBeGreaterThan(4); // W, b, global_step and Adam's slots
    names.forEach((n) => expectSameBits(s2.run(n) as NDArray, s1.run(n) as NDArray, n));
  });

  test('inputMap, returnElements and the name scope option', () => {
    const { graph } = buildModel();
    const target = new tf.Graph();
    const z = target.asDefault(() => tf.constant(X, 'float32', undefined, 'data'));
    const [out, trainOp] = tf.importGraphDef(graph.toJSON(), {
      graph: target,
      name: 'model',
      inputMap: { 'x:0': z },
      returnElements: ['out:0', 'train'],
    });
    expect((out as tf.Tensor).name).toBe('model/out:0');
    expect((trainOp as tf.Operation).name).toBe('model/train');
    expect(target.getOperationByName('model/layer1/pre').inputs[0]?.op.inputs[0]).toBe(z);
    expect(tf.globalVariables(target).map((v) => v.opName)).toContain('model/layer1/W');
    // A second import under the same name gets a fresh scope, as TF1's name scopes do.
    const [out2] = tf.importGraphDef(graph.toJSON(), {
      graph: target,
      name: 'model',
      returnElements: ['out:0'],
    });
    expect((out2 as tf.Tensor).name).toBe('model_1/out:0');
    const sess = new tf.Session({ graph: target });
    sess.run(target.asDefault(() => tf.globalVariablesInitializer()));
    expect((sess.run(out as tf.Tensor) as NDArray).shape).toEqual([4, 2]);
    const ids = tf.importGraphDef;
    const before = target.getOperations().length;
    expect(() =>
      ids(graph.toJSON(), { graph: target, inputMap: { 'x:0': target.getTensorByName('model/y:0') } }),
    ).toThrow(/node 'layer1\/MatMul'.*Dimensions must be equal, but are 2 and 3/);
    expect(target.getOperations().length).toBe(before);
    const twice = new tf.Graph();
    ids(graph.toJSON(), { graph: twice });
    expect(() => ids(graph.toJSON(), { graph: twice })).toThrow(
      /node 'x'.*the name 'x' is already used in the graph/,
    );
    expect(() => ids(graph.toJSON(), { graph: new tf.Graph(), inputMap: { 'x:0': z } })).toThrow(
      /inputMap.*Tensor of the graph/,
    );
    expect(() => ids(graph.toJSON(), { graph: new tf.Graph(), returnElements: ['nope:0'] })).toThrow(
      /returnElements.*'nope:0'/,
    );
  });

  test('JSON.stringify(graph) uses toJSON, and a finalized graph refuses imports', () => {
    const { graph } = buildModel();
    expect(JSON.parse(JSON.stringify(graph)).format).toBe('tensorgraph-graph');
    // An attr set to undefined is left out, as JSON.stringify would.
    const u = new tf.Graph();
    u.asDefault(() => makeOp('Identity', [tf.constant(1)], { note: undefined } as unknown as Attrs, 'id'));
    expect(u.toJSON().nodes[1]?.attrs).toEqual({});
    const g = new tf.Graph();
    g.finalize();
    expect(() => tf.importGraphDef(graph.toJSON(), { graph: g })).toThrow(/finalized/);
  });
});

// ---------------------------------------------------------------- hostile JSON

/** A valid small graph JSON to corrupt. */
function baseJSON(): GraphJSON {
  const g = new tf.Graph();
  g.asDefault(() => {
    const x = tf.placeholder('float32', [null, 2], 'x');
    const v = new tf.Variable([[1, 2]], { name: 'v' });
    const f = tf.elementwise('x * 2 + 1', { x }, 'f');
    tf.matmul(f, v, { transposeB: true, name: 'mm' });
  });
  return JSON.parse(JSON.stringify(g.toJSON())) as GraphJSON;
}
const node = (j: GraphJSON, name: string): NodeJSON => j.nodes.find((n) => n.name === name) as NodeJSON;

type Mutation = [string, (j: GraphJSON) => unknown, RegExp];
const hostile: Mutation[] = [
  [
    'unknown op type',
    (j) => (node(j, 'f').op = 'EvalJavaScript'),
    /node 'f'.*Op type not registered 'EvalJavaScript'/,
  ],
  [
    'attr of the wrong type',
    (j) => (node(j, 'mm').attrs.transpose_b = 'yes'),
    /node 'mm'.*attr 'transpose_b': must be a boolean/,
  ],
  ['unknown dtype', (j) => (node(j, 'x').attrs.dtype = 'float64'), /node 'x'.*not a dtype/],
  [
    'prototype key in a map attr',
    (j) => (node(j, 'x').attrs.extra = JSON.parse('{"$map":{"__proto__":{"polluted":1}}}')),
    /forbidden key/,
  ],
  [
    'untagged object attr',
    (j) => (node(j, 'x').attrs.extra = JSON.parse('{"a":1,"b":2}')),
    /exactly one key/,
  ],
  [
    'non-base64 tensor data',
    (j) => ((node(j, 'v/initial_value').attrs.value as { $tensor: { data: string } }).$tensor.data = 'AAA$'),
    /not base64/,
  ],
  [
    'tensor data of the wrong length',
    (j) =>
      ((node(j, 'v/initial_value').attrs.value as { $tensor: { shape: number[] } }).$tensor.shape = [4, 4]),
    /holds 8 bytes but shape \[4,4\] of float32 needs 64/,
  ],
  [
    'formula calling a non-whitelisted function',
    (j) => (node(j, 'f').attrs.formula = 'process(x)'),
    /node 'f'.*unknown function 'process'/,
  ],
  [
    'formula with statements',
    (j) => (node(j, 'f').attrs.formula = 'x; globalThis.pwned = 1'),
    /node 'f'.*not (supported|allowed)/,
  ],
  [
    'formula reaching constructors',
    (j) => (node(j, 'f').attrs.formula = "x.constructor.constructor('return process')()"),
    /node 'f'/,
  ],
  [
    'formula with a string literal',
    (j) => (node(j, 'f').attrs.formula = 'x + "1"'),
    /node 'f'.*not a number/,
  ],
  ['formula assignment', (j) => (node(j, 'f').attrs.formula = 'f(x) = x'), /node 'f'.*not supported/],
  [
    'formula variable that is not an identifier',
    (j) => (node(j, 'f').attrs.vars = ['x);process.exit(1);(']),
    /node 'f'.*distinct identifiers/,
  ],
  ['forward reference', (j) => (node(j, 'x').inputs = ['mm:0']), /node 'x'.*not defined before it/],
  ['self reference (a cycle)', (j) => node(j, 'f').inputs.push('f:0'), /node 'f'.*refers to the node itself/],
  [
    'control dependency cycle',
    (j) => node(j, 'x').controlInputs.push('mm'),
    /node 'x'.*control input "mm".*not defined before/,
  ],
  ['reference to a missing output', (j) => (node(j, 'f').inputs = ['x:3']), /node 'f'.*only 1 outputs/],
  [
    'huge placeholder shape',
    (j) => (node(j, 'x').attrs.shape = [65536, 65536, 4]),
    /node 'x'.*elements, more than the limit/,
  ],
  [
    'huge recorded output shape',
    (j) => (node(j, 'x').outputs[0] = { dtype: 'float32', shape: [2 ** 20, 2 ** 20] }),
    /node 'x'.*more than the limit/,
  ],
  [
    'recorded shape that inference contradicts',
    (j) => ((node(j, 'mm').outputs[0] as { shape: (number | null)[] }).shape = [null, 3]),
    /node 'mm'.*\[\?,1\] when rebuilt.*records float32 \[\?,3\]/,
  ],
  [
    'shape-inference failure',
    (j) => (node(j, 'mm').attrs.transpose_b = false),
    /node 'mm'.*Dimensions must be equal/,
  ],
  ['bad name characters', (j) => (node(j, 'f').name = 'f;rm -rf'), /bad node name/],
  ['empty scope segment', (j) => (node(j, 'f').name = 'a//f'), /bad node name/],
  ['duplicate node name', (j) => (node(j, 'f').name = 'X'), /node 'X'.*duplicate node name/],
  [
    'assignment to a non-variable',
    (j) => ((node(j, 'v/Assign').inputs[0] as string) = 'v/initial_value:0'),
    /node 'v\/Assign'.*must be a variable/,
  ],
  [
    'variable def pointing at a non-variable',
    (j) => ((j.variables[0] as { variable: string }).variable = 'x'),
    /variable #0.*not a VariableV2/,
  ],
  [
    'unknown top-level field',
    (j) => ((j as unknown as Record<string, unknown>).code = 'alert(1)'),
    /unknown field "code"/,
  ],
  [
    'wrong format',
    (j) => ((j as unknown as Record<string, unknown>).format = 'GraphDef'),
    /format is "GraphDef"/,
  ],
  ['newer format version', (j) => (j.version = 99), /format version 99, newer than this build reads/],
  ['bad device', (j) => (node(j, 'x').device = '/gpu:0\n"; evil'), /bad device/],
  [
    'collection with an unknown node',
    (j) => (j.collections.evil = [{ op: 'nope' }]),
    /collection 'evil'.*"nope" is not a node/,
  ],
];

/** A graph with a while loop: its body is a function definition inside the While node's attrs. */
function loopJSON(): GraphJSON {
  const g = new tf.Graph();
  g.asDefault(() => {
    const x = tf.placeholder('float32', [2], 'x');
    const body = (i: tf.Tensor, v: tf.Tensor) => [tf.add(i, 1), tf.elementwise('v * 2 + 1', { v })];
    tf.whileLoop((i: tf.Tensor) => tf.less(i, 3), body, [tf.constant(0), x], { name: 'loop' });
  });
  return JSON.parse(JSON.stringify(g.toJSON())) as GraphJSON;
}
type FuncJSON = {
  $map: {
    inputs: string[];
    nodes: {
      $map: { name: string; op: string; inputs: string[]; attrs: { $map: Record<string, unknown> } };
    }[];
  };
};
const body = (j: GraphJSON) => (node(j, 'loop').attrs.body as unknown as FuncJSON).$map;
const bodyNode = (j: GraphJSON, name: string) =>
  body(j).nodes.find((n) => n.$map.name === name)?.$map as FuncJSON['$map']['nodes'][0]['$map'];
const inBody = "node 'loop' \\(op: 'While'\\): attr 'body': function 'loop_body': ";
const hostileFunctions: Mutation[] = [
  [
    'formula injection inside a loop body',
    (j) => (bodyNode(j, 'Elementwise').attrs.$map.formula = 'process(v)'),
    new RegExp(`${inBody}node 'Elementwise'.*unknown function 'process'`),
  ],
  [
    'unknown op inside a loop body',
    (j) => (bodyNode(j, 'add').op = 'Exec'),
    new RegExp(`${inBody}node 'add'.*Op type not registered 'Exec'`),
  ],
  [
    'forward reference inside a loop body',
    (j) => (bodyNode(j, 'add').inputs = ['Elementwise:0', 'Const:0']),
    new RegExp(`${inBody}node 'add'.*not defined before it`),
  ],
  [
    'variable assignment inside a loop body',
    (j) => (bodyNode(j, 'add').op = 'Assign'),
    new RegExp(`${inBody}node 'add'.*cannot create or assign variables`),
  ],
  [
    'shape-inference failure inside a loop body',
    (j) => (bodyNode(j, 'add').op = 'MatMul'),
    new RegExp(`${inBody}node 'add' \\(op: 'MatMul'\\)`),
  ],
  [
    'function argument that is not a placeholder',
    (j) => (body(j).inputs[0] = 'Const'),
    new RegExp(`${inBody}argument "Const" is not a Placeholder`),
  ],
  [
    'unknown field in a function',
    (j) => ((body(j) as unknown as Record<string, unknown>).code = 1),
    /attr 'body': unknown field "code" in a function definition/,
  ],
];

describe('importGraphDef rejects hostile JSON with errors naming the node, and changes nothing', () => {
  test('the unmodified JSON imports', () => {
    expect(() => tf.importGraphDef(baseJSON(), { graph: new tf.Graph() })).not.toThrow();
  });
  test('the unmodified loop JSON imports and runs', () => {
    const g = new tf.Graph();
    tf.importGraphDef(loopJSON(), { graph: g });
    const out = new tf.Session({ graph: g }).run('loop:1', { 'x:0': [1, -1] }) as NDArray;
    expect(Array.from(out.data)).toEqual([15, -1]);
  });
  for (const [label, mutate, message, make] of [
    ...hostile.map((h): [...Mutation, () => GraphJSON] => [...h, baseJSON]),
    ...hostileFunctions.map((h): [...Mutation, () => GraphJSON] => [...h, loopJSON]),
  ]) {
    test(label, () => {
      const j = make();
      mutate(j);
      const target = new tf.Graph();
      target.asDefault(() => tf.constant(1, 'float32', [], 'existing'));
      const before = target.getOperations().length;
      expect(() => tf.importGraphDef(JSON.stringify(j), { graph: target, name: 'imp' })).toThrow(message);
      expect(() => tf.importGraphDef(j, { graph: target, name: 'imp' })).toThrow(tf.InvalidArgumentError);
      expect(target.getOperations().length).toBe(before);
      expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }
  test('a graph failing at its last node leaves the target graph unchanged', () => {
    const j = baseJSON();
    (node(j, 'mm').outputs[0] as { dtype: string }).dtype = 'int32';
    const target = new tf.Graph();
    expect(() => tf.importGraphDef(j, { graph: target })).toThrow(/node 'mm'.*int32/);
    expect(target.getOperations()).toEqual([]);
  });
  test('text that is not JSON', () => {
    expect(() => tf.importGraphDef('{"format": ', { graph: new tf.Graph() })).toThrow(/not valid JSON/);
  });
  test('an op name that cannot be exported is reported by toJSON', () => {
    const g = new tf.Graph();
    g.asDefault(() => tf.constant(1, 'float32', [], 'bad name'));
    expect(() => g.toJSON()).toThrow(/'bad name'.*not a valid op name/);
  });
});
