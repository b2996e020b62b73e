/**
 * TensorFlow GraphDef protobuf round trip: a TensorFlow.js graph model's GraphDef (model.json's
 * modelTopology, which is TensorFlow's GraphDef in protobuf's JSON mapping) gets its weights put in as
 * Const tensors (tensor_content, little-endian; float16/uint8-quantized weights dequantized here) — a
 * frozen graph, as TF1's freeze_graph writes it — and is encoded to protobuf bytes by this test with its
 * own schema (the GraphDef/NodeDef/AttrValue/TensorProto/TensorShapeProto field numbers of TensorFlow's
 * tensorflow/core/framework/*.proto, written out below). `tf.importGraphDef(bytes, { inputMap,
 * returnElements })` must give the outputs @tensorflow/tfjs gives for the original model.
 */
import * as protobuf from 'protobufjs';
import * as tf from '../../src';
import {
  compareOutputs,
  expectParity,
  HostTensor,
  HumanModel,
  humanModelPath,
  loadTfjs,
  readGraphModelFiles,
  runTfjs,
  seededInputs,
} from '../helpers/pretrained_models';

const GRAPH_PROTO = `
syntax = "proto3";
package tensorflow;

enum DataType {
  DT_INVALID = 0; DT_FLOAT = 1; DT_DOUBLE = 2; DT_INT32 = 3; DT_UINT8 = 4; DT_INT16 = 5; DT_INT8 = 6;
  DT_STRING = 7; DT_COMPLEX64 = 8; DT_INT64 = 9; DT_BOOL = 10; DT_QINT8 = 11; DT_QUINT8 = 12;
  DT_QINT32 = 13; DT_BFLOAT16 = 14; DT_QINT16 = 15; DT_QUINT16 = 16; DT_UINT16 = 17;
  DT_COMPLEX128 = 18; DT_HALF = 19; DT_RESOURCE = 20; DT_VARIANT = 21; DT_UINT32 = 22; DT_UINT64 = 23;
}

message TensorShapeProto {
  message Dim { int64 size = 1; string name = 2; }
  repeated Dim dim = 2;
  bool unknown_rank = 3;
}

message TensorProto {
  DataType dtype = 1;
  TensorShapeProto tensor_shape = 2;
  int32 version_number = 3;
  bytes tensor_content = 4;
  repeated int32 half_val = 13 [packed = true];
  repeated float float_val = 5 [packed = true];
  repeated double double_val = 6 [packed = true];
  repeated int32 int_val = 7 [packed = true];
  repeated bytes string_val = 8;
  repeated int64 int64_val = 10 [packed = true];
  repeated bool bool_val = 11 [packed = true];
}

message NameAttrList {
  string name = 1;
  map<string, AttrValue> attr = 2;
}

message AttrValue {
  message ListValue {
    repeated bytes s = 2;
    repeated int64 i = 3 [packed = true];
    repeated float f = 4 [packed = true];
    repeated bool b = 5 [packed = true];
    repeated DataType type = 6 [packed = true];
    repeated TensorShapeProto shape = 7;
    repeated TensorProto tensor = 8;
    repeated NameAttrList func = 9;
  }
  oneof value {
    bytes s = 2;
    int64 i = 3;
    float f = 4;
    bool b = 5;
    DataType type = 6;
    TensorShapeProto shape = 7;
    TensorProto tensor = 8;
    ListValue list = 1;
    NameAttrList func = 10;
    string placeholder = 9;
  }
}

message NodeDef {
  string name = 1;
  string op = 2;
  repeated string input = 3;
  string device = 4;
  map<string, AttrValue> attr = 5;
}

message VersionDef {
  int32 producer = 1;
  int32 min_consumer = 2;
  repeated int32 bad_consumers = 3;
}

message GraphDef {
  repeated NodeDef node = 1;
  VersionDef versions = 4;
}
`;

const root = protobuf.parse(GRAPH_PROTO, { keepCase: false }).root;
const GraphDef = root.lookupType('tensorflow.GraphDef');

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; min?: number; scale?: number };
}

/** IEEE half → float (the test's own conversion). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** The weights of a graph model as little-endian tensor_content bytes (dequantized to float32). */
function weightTensors(
  jsonPath: string,
): Map<string, { dtype: string; shape: number[]; content: Uint8Array }> {
  const { json, weightData } = readGraphModelFiles(jsonPath);
  const bytes = new Uint8Array(weightData);
  const view = new DataView(weightData);
  const out = new Map<string, { dtype: string; shape: number[]; content: Uint8Array }>();
  let at = 0;
  for (const w of json.weightsManifest.flatMap((g) => g.weights) as ManifestEntry[]) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const q = w.quantization;
    let content: Uint8Array;
    if (!q) {
      if (w.dtype !== 'float32' && w.dtype !== 'int32') throw new Error(`weight ${w.name}: dtype ${w.dtype}`);
      content = bytes.slice(at, at + 4 * n);
      at += 4 * n;
    } else {
      const f = new Float32Array(n);
      if (q.dtype === 'float16') {
        for (let i = 0; i < n; i++) f[i] = halfToFloat(view.getUint16(at + 2 * i, true));
        at += 2 * n;
      } else if (q.dtype === 'uint8') {
        for (let i = 0; i < n; i++)
          f[i] = (q.min as number) + (q.scale as number) * (bytes[at + i] as number);
        at += n;
      } else {
        throw new Error(`weight ${w.name}: quantization ${q.dtype}`);
      }
      if (w.dtype !== 'float32') throw new Error(`weight ${w.name}: quantized ${w.dtype}`);
      content = new Uint8Array(f.buffer);
    }
    out.set(w.name, { dtype: w.dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT', shape: w.shape, content });
  }
  expect(at).toBe(bytes.byteLength);
  return out;
}

/** The frozen GraphDef of a graph model, encoded to protobuf bytes. */
function frozenGraphDefBytes(jsonPath: string): Uint8Array {
  const { json } = readGraphModelFiles(jsonPath);
  const weights = weightTensors(jsonPath);
  const topology = JSON.parse(JSON.stringify(json.modelTopology)) as {
    node: { name: string; op: string; attr?: Record<string, unknown> }[];
    versions?: unknown;
  };
  let filled = 0;
  for (const node of topology.node) {
    const w = weights.get(node.name);
    if (!w) continue;
    expect(node.op).toBe('Const');
    node.attr = {
      ...node.attr,
      dtype: { type: w.dtype },
      value: {
        tensor: {
          dtype: w.dtype,
          tensorShape: { dim: w.shape.map((size) => ({ size })) },
          tensorContent: w.content,
        },
      },
    };
    filled++;
  }
  expect(filled).toBe(weights.size);
  const message = GraphDef.fromObject({ node: topology.node, versions: topology.versions ?? {} });
  expect(GraphDef.verify(message)).toBeNull();
  return GraphDef.encode(message).finish();
}

describe.each<[HumanModel, string]>([
  ['blazeface', 'float32 weights'],
  ['facemesh', 'float16-quantized weights, dequantized into the frozen graph'],
])('GraphDef protobuf round trip: %s (%s)', (name) => {
  test('tf.importGraphDef(protobuf bytes) gives the outputs of @tensorflow/tfjs', async () => {
    const bytes = frozenGraphDefBytes(humanModelPath(name));
    // Really protobuf: the bytes decode back to the same node list.
    const back = GraphDef.toObject(GraphDef.decode(bytes)) as { node: { name: string }[] };
    const { json } = readGraphModelFiles(humanModelPath(name));
    expect(back.node.map((n) => n.name)).toEqual(json.modelTopology.node.map((n) => n.name));

    const ref = await loadTfjs(name);
    const inputs = seededInputs(ref, 42);
    const expected = await runTfjs(ref, inputs);

    const graph = new tf.Graph();
    const { x, outputs } = graph.asDefault(() => {
      const x = tf.placeholder(
        'float32',
        ref.inputs[0]?.shape.map((d) => (d < 0 ? null : d)),
        'picture',
      );
      const names = ref.outputNames.map((n) => (n.includes(':') ? n : `${n}:0`));
      const inputName = (ref.inputs[0]?.name as string).replace(/:0$/, '');
      const outs = tf.importGraphDef(bytes, {
        inputMap: { [`${inputName}:0`]: x },
        returnElements: names,
      }) as tf.Tensor[];
      return { x, outputs: outs };
    });
    expect(outputs.map((t) => t.name)).toEqual(
      ref.outputNames.map((n) => `import/${n.replace(/:0$/, '')}:0`),
    );
    const sess = new tf.Session({ graph });
    const input = inputs[0] as HostTensor;
    const res = sess.run(
      outputs,
      new Map([[x, tf.ndarray(input.data, input.shape, 'float32')]]),
    ) as tf.NDArray[];
    const ours = res.map((r) => ({
      shape: [...r.shape],
      dtype: 'float32' as const,
      data: r.data as Float32Array,
    }));
    expectParity(compareOutputs(ours, expected, ref.outputNames), `${name} (GraphDef protobuf)`);
  });
});
