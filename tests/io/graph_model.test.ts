import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../src';
import type { GraphModelJSON, NodeDefJSON, WeightSpec } from '../../src/io/tf_io';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const T = { type: 'DT_FLOAT' };
const weightConst = (name: string, dims: number[], dtype = 'DT_FLOAT') => ({
  name,
  op: 'Const',
  // A TensorFlow.js model.json keeps only the dtype and shape; the values come from the weight files.
  attr: {
    dtype: { type: dtype },
    value: { tensor: { dtype, tensorShape: { dim: dims.map((d) => ({ size: String(d) })) } } },
  },
});

// Weights, stored four ways (plain float32, uint8 affine, float16, uint16 affine) plus int32 ones.
const W1 = [0.5, -1, 0.25, 1.5, 0.75, -0.5, 2, -0.25, 1, 0.125, -1.5, 0.5]; // [4,3] float32
const B1_Q = [0, 128, 255]; // uint8, scale 0.01, min -1
const W2_HALF = [0x3c00, 0xc000, 0x3800, 0x3400, 0x4200, 0xba00]; // [3,2]: 1, -2, 0.5, 0.25, 3, -0.75
const W2 = [1, -2, 0.5, 0.25, 3, -0.75];
const B2_Q = [1000, 60000]; // uint16, scale 0.0001, min -2
const SHAPE_Q = [3, 1]; // int32 weight quantized uint8, scale 1.5, min 0.6: round(q*1.5+0.6) → [5, 2]
const b1 = B1_Q.map((q) => Math.fround(q * 0.01 + -1));
const b2 = B2_Q.map((q) => Math.fround(q * 0.0001 + -2));

const specs: WeightSpec[] = [
  { name: 'dense/W', shape: [4, 3], dtype: 'float32' },
  { name: 'dense/b', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.01, min: -1 } },
  { name: 'out/W', shape: [3, 2], dtype: 'float32', quantization: { dtype: 'float16' } },
  { name: 'out/b', shape: [2], dtype: 'float32', quantization: { dtype: 'uint16', scale: 0.0001, min: -2 } },
  { name: 'qshape', shape: [2], dtype: 'int32', quantization: { dtype: 'uint8', scale: 1.5, min: 0.6 } },
  { name: 'perm', shape: [2], dtype: 'int32' },
];

function weightBytes(): Buffer {
  const parts: Buffer[] = [];
  parts.push(Buffer.from(new Float32Array(W1).buffer));
  parts.push(Buffer.from(Uint8Array.from(B1_Q)));
  const half = Buffer.alloc(12);
  W2_HALF.forEach((h, i) => half.writeUInt16LE(h, 2 * i));
  parts.push(half);
  const u16 = Buffer.alloc(4);
  B2_Q.forEach((q, i) => u16.writeUInt16LE(q, 2 * i));
  parts.push(u16);
  parts.push(Buffer.from(Uint8Array.from(SHAPE_Q)));
  parts.push(Buffer.from(new Int32Array([1, 0]).buffer));
  return Buffer.concat(parts);
}

function modelJSON(signature: boolean): GraphModelJSON {
  const nodes: NodeDefJSON[] = [
    {
      name: 'StatefulPartitionedCall/out/BiasAdd',
      op: '_FusedMatMul',
      input: ['StatefulPartitionedCall/dense/Relu', 'out/W', 'out/b'],
      attr: {
        T,
        transpose_a: { b: false },
        transpose_b: { b: false },
        num_args: { i: '1' },
        fused_ops: { list: { s: [b64('BiasAdd')] } },
        epsilon: { f: 0 },
      },
    },
    {
      name: 'StatefulPartitionedCall/dense/Relu',
      op: '_FusedMatMul',
      input: ['x', 'dense/W', 'dense/b'],
      attr: {
        T,
        transpose_a: { b: false },
        transpose_b: { b: false },
        num_args: { i: '1' },
        fused_ops: { list: { s: [b64('BiasAdd'), b64('Relu')] } },
        epsilon: { f: 0 },
      },
    },
    {
      name: 'x',
      op: 'Placeholder',
      attr: { dtype: T, shape: { shape: { dim: [{ size: '-1' }, { size: '4' }] } } },
    },
    weightConst('dense/W', [4, 3]),
    weightConst('dense/b', [3]),
    weightConst('out/W', [3, 2]),
    weightConst('out/b', [2]),
    weightConst('qshape', [2], 'DT_INT32'),
    weightConst('perm', [2], 'DT_INT32'),
    { name: 'Identity', op: 'Identity', input: ['StatefulPartitionedCall/out/BiasAdd'], attr: { T } },
    {
      name: 'transposed',
      op: 'Transpose',
      input: ['Identity', 'perm'],
      attr: { T, Tperm: { type: 'DT_INT32' } },
    },
  ];
  return {
    format: 'graph-model',
    modelTopology: { node: nodes, versions: { producer: 440 } },
    weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: specs }],
    ...(signature
      ? {
          signature: {
            inputs: { dense_input: { name: 'x:0' } },
            outputs: { scores: { name: 'Identity:0' } },
          },
        }
      : {}),
  };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-graph-model-'));
  const bytes = weightBytes();
  fs.writeFileSync(path.join(dir, 'group1-shard1of2.bin'), bytes.subarray(0, 30)); // a split inside a weight
  fs.writeFileSync(path.join(dir, 'group1-shard2of2.bin'), bytes.subarray(30));
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJSON(true)));
  fs.writeFileSync(path.join(dir, 'nosig.json'), JSON.stringify(modelJSON(false)));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeEach(() => tf.resetDefaultGraph());

function reference(x: number[][], w1 = W1, bb1 = b1, w2 = W2, bb2 = b2): number[][] {
  return x.map((r) => {
    const h = [0, 1, 2].map((j) =>
      Math.max(0, r.reduce((a, v, k) => a + v * (w1[k * 3 + j] as number), 0) + (bb1[j] as number)),
    );
    return [0, 1].map(
      (j) => h.reduce((a, v, k) => a + v * (w2[k * 2 + j] as number), 0) + (bb2[j] as number),
    );
  });
}
const X = [
  [1, 2, -1, 0.5],
  [0.3, -0.7, 2, 1],
  [-1, -1, 1, 1],
];
const expectClose = (got: ArrayLike<number>, want: number[], tol = 1e-5): void => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) =>
    expect(Math.abs((got[i] as number) - w)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w))),
  );
};

describe('tf.io.decodeWeights', () => {
  test('dequantizes as tfjs: v*scale+min (float32), rounded for int32; float16; plain values', () => {
    const w = tf.io.decodeWeights(new Uint8Array(weightBytes()), specs);
    expect(Array.from(w.get('dense/W')!.data)).toEqual(W1.map(Math.fround));
    expect(Array.from(w.get('dense/b')!.data)).toEqual(b1);
    expect(Array.from(w.get('out/W')!.data)).toEqual(W2);
    expect(Array.from(w.get('out/b')!.data)).toEqual(b2);
    expect(w.get('qshape')!.dtype).toBe('int32');
    expect(Array.from(w.get('qshape')!.data)).toEqual(SHAPE_Q.map((q) => Math.round(q * 1.5 + 0.6)));
    expect(w.get('out/W')!.shape).toEqual([3, 2]);
  });

  test('too few bytes, unknown quantization dtypes and missing scale are errors naming the weight', () => {
    expect(() => tf.io.decodeWeights(new Uint8Array(49), specs)).toThrow(/end before weight 'dense\/b'/);
    expect(() =>
      tf.io.decodeWeights(new Uint8Array(8), [
        { name: 'q', shape: [2], dtype: 'float32', quantization: { dtype: 'int4' as 'uint8' } },
      ]),
    ).toThrow(/weight 'q' has unknown quantization dtype 'int4'/);
    expect(() =>
      tf.io.decodeWeights(new Uint8Array(8), [
        { name: 'q', shape: [2], dtype: 'float32', quantization: { dtype: 'uint8' } },
      ]),
    ).toThrow(/needs 'scale' and 'min'/);
  });
});

describe('tf.io.loadGraphModel', () => {
  test('imports into the default graph; inputs/outputs from the signature; predict matches x·W1+b1 → relu → ·W2+b2', async () => {
    const model = await tf.io.loadGraphModel(path.join(dir, 'model.json'));
    expect(model.graph).toBe(tf.getDefaultGraph());
    expect(model.inputNames).toEqual(['dense_input']);
    expect(model.outputNames).toEqual(['scores']);
    expect(model.inputs.map((t) => t.name)).toEqual(['x:0']);
    expect(model.outputs.map((t) => t.name)).toEqual(['Identity:0']);
    expect(model.outputs[0]!.shape).toEqual([null, 2]);
    const want = reference(X).flat();
    expectClose((model.predict(X) as tf.NDArray).data, want);
    expectClose((model.predict({ dense_input: X }) as tf.NDArray).data, want);
    // execute: other tensors of the model by name
    const [relu, tr] = model.execute(X, [
      'StatefulPartitionedCall/dense/Relu',
      'transposed:0',
    ]) as tf.NDArray[];
    expect(relu!.shape).toEqual([3, 3]);
    expect(tr!.shape).toEqual([2, 3]);
    // in a user's Session, TF1 style
    const sess = new tf.Session();
    expectClose((sess.run(model.outputs[0]!, { 'x:0': X }) as tf.NDArray).data, want);
  });

  test('without a signature: placeholders are the inputs and the graph sinks the outputs', async () => {
    const g = new tf.Graph();
    const model = await g.asDefault(() => tf.io.loadGraphModel(path.join(dir, 'nosig.json')));
    expect(model.graph).toBe(g);
    expect(model.inputNames).toEqual(['x']);
    expect(model.outputNames).toEqual(['qshape', 'transposed']);
    const [, t] = model.predict(X) as tf.NDArray[]; // one input: the value itself
    const ref = reference(X);
    expectClose(
      t!.data,
      [0, 1].flatMap((j) => ref.map((r) => r[j] as number)),
    );
  });

  test("a signature in userDefinedMetadata wins over the top-level one (as tfjs's GraphModel)", () => {
    const json = modelJSON(true);
    json.userDefinedMetadata = { signature: { outputs: { t: { name: 'transposed:0' } } } };
    const model = tf.io.graphModelFromArtifacts(json, [[new Uint8Array(weightBytes())]]);
    expect(model.outputNames).toEqual(['t']);
    expect(model.outputs.map((t) => t.name)).toEqual(['transposed:0']);
    expect(model.inputNames).toEqual(['x']); // no inputs in that signature: the placeholders
  });

  test('trainable: float weights become Variables; a few optimizer steps lower the loss', async () => {
    const model = await tf.io.loadGraphModel(path.join(dir, 'model.json'), { trainable: true });
    expect(model.variables.map((v) => v.op.name).sort()).toEqual(['dense/W', 'dense/b', 'out/W', 'out/b']);
    expect(tf.trainableVariables().length).toBe(4);
    // predict runs the initializer in the model's own session: the weights' values
    expectClose((model.predict(X) as tf.NDArray).data, reference(X).flat());
    const target = tf.placeholder('float32', [null, 2], 'target');
    const loss = tf.reduceMean(tf.square(tf.subtract(model.outputs[0]!, target)));
    // Train only the last layer.
    const last = model.variables.filter((v) => v.op.name.startsWith('out/'));
    const train = new tf.train.GradientDescentOptimizer(0.05).minimize(loss, { varList: last });
    const sess = new tf.Session();
    sess.run(model.initializer!);
    const feed = {
      'x:0': X,
      'target:0': [
        [1, 0],
        [0, 1],
        [0.5, 0.5],
      ],
    };
    const losses: number[] = [];
    for (let i = 0; i < 5; i++) {
      losses.push((sess.run(loss, feed) as tf.NDArray).data[0] as number);
      sess.run(train, feed);
    }
    losses.push((sess.run(loss, feed) as tf.NDArray).data[0] as number);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1] as number);
    // The first layer did not move; before training the model computed the reference.
    const [w1] = sess.run([model.variables.find((v) => v.op.name === 'dense/W')!.value()]) as tf.NDArray[];
    expect(Array.from(w1!.data)).toEqual(W1.map(Math.fround));
    expect(losses[0]).toBeCloseTo(
      reference(X)
        .flatMap((r, i) =>
          r.map(
            (v, j) =>
              (v -
                ([
                  [1, 0],
                  [0, 1],
                  [0.5, 0.5],
                ][i]![j] as number)) **
              2,
          ),
        )
        .reduce((a, b) => a + b, 0) / 6,
      4,
    );
  });

  test('an http(s) URL is read with fetch (model.json, then the shards relative to it)', async () => {
    const asked: string[] = [];
    const saved = (globalThis as { fetch?: unknown }).fetch;
    (globalThis as { fetch?: unknown }).fetch = async (url: string) => {
      asked.push(url);
      const file = path.join(dir, url.replace('https://models.example/m/', ''));
      const ok = fs.existsSync(file);
      const bytes = ok ? fs.readFileSync(file) : Buffer.alloc(0);
      return {
        ok,
        status: ok ? 200 : 404,
        arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      };
    };
    try {
      const model = await tf.io.loadGraphModel('https://models.example/m/model.json');
      expect(asked).toEqual([
        'https://models.example/m/model.json',
        'https://models.example/m/group1-shard1of2.bin',
        'https://models.example/m/group1-shard2of2.bin',
      ]);
      expectClose((model.predict(X) as tf.NDArray).data, reference(X).flat());
      await expect(tf.io.loadGraphModel('https://models.example/m/absent.json')).rejects.toThrow(/HTTP 404/);
    } finally {
      (globalThis as { fetch?: unknown }).fetch = saved;
    }
  });

  test('missing files, bad options and bad model.json are clear errors', async () => {
    await expect(tf.io.loadGraphModel(path.join(dir, 'absent.json'))).rejects.toThrow(/cannot read/);
    await expect(
      tf.io.loadGraphModel(path.join(dir, 'model.json'), { trainabel: true } as never),
    ).rejects.toThrow("loadGraphModel(): unknown option 'trainabel'");
    expect(() => tf.io.graphModelFromArtifacts({} as GraphModelJSON, [])).toThrow(
      /needs 'modelTopology' and 'weightsManifest'/,
    );
    const noPerm = modelJSON(true);
    noPerm.weightsManifest[0]!.weights = specs.slice(0, 5);
    expect(() => tf.io.graphModelFromArtifacts(noPerm, [[new Uint8Array(weightBytes())]])).toThrow(
      "loadGraphModel: no weight for constant 'perm' in the weights manifest",
    );
    // shards shorter than the manifest says
    expect(() => tf.io.graphModelFromArtifacts(modelJSON(true), [[new Uint8Array(20)]])).toThrow(
      /end before weight/,
    );
  });
});
