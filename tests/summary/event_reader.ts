import * as protobuf from 'protobufjs';

/**
 * An independent reader of TensorBoard event files for the tests: its own bitwise CRC-32C (no tables,
 * checked against the published test vector), its own TFRecord parser, and TensorFlow's .proto
 * definitions parsed from source text (not the library's reflection schema).
 */
export function crc32cBitwise(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** tensorflow/core/lib/hash/crc32c.h: `((crc >> 15) | (crc << 17)) + 0xa282ead8`. */
export function mask(crc: number): number {
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}

/** Splits a TFRecord file into records, verifying both CRCs of every record. */
export function readRecords(file: Uint8Array): Uint8Array[] {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: Uint8Array[] = [];
  let pos = 0;
  while (pos < file.length) {
    if (pos + 12 > file.length) throw new Error(`truncated record header at ${pos}`);
    const len = dv.getUint32(pos, true) + dv.getUint32(pos + 4, true) * 2 ** 32;
    if (dv.getUint32(pos + 8, true) !== mask(crc32cBitwise(file.subarray(pos, pos + 8))))
      throw new Error(`bad length CRC at ${pos}`);
    const data = file.subarray(pos + 12, pos + 12 + len);
    if (data.length !== len || pos + 16 + len > file.length) throw new Error(`truncated record at ${pos}`);
    if (dv.getUint32(pos + 12 + len, true) !== mask(crc32cBitwise(data)))
      throw new Error(`bad data CRC at ${pos}`);
    out.push(data);
    pos += 16 + len;
  }
  return out;
}

const PROTO = `
syntax = "proto3";
package tensorflow;
enum DataType { DT_INVALID = 0; DT_FLOAT = 1; DT_DOUBLE = 2; DT_INT32 = 3; DT_UINT8 = 4; DT_INT16 = 5; DT_INT8 = 6;
  DT_STRING = 7; DT_COMPLEX64 = 8; DT_INT64 = 9; DT_BOOL = 10; }
message TensorShapeProto {
  message Dim { int64 size = 1; string name = 2; }
  repeated Dim dim = 2;
  bool unknown_rank = 3;
}
message TensorProto {
  DataType dtype = 1; TensorShapeProto tensor_shape = 2; int32 version_number = 3; bytes tensor_content = 4;
  repeated int32 half_val = 13; repeated float float_val = 5; repeated double double_val = 6; repeated int32 int_val = 7;
  repeated bytes string_val = 8; repeated float scomplex_val = 9; repeated int64 int64_val = 10; repeated bool bool_val = 11;
}
message AttrValue {
  message ListValue {
    repeated bytes s = 2; repeated int64 i = 3; repeated float f = 4; repeated bool b = 5; repeated DataType type = 6;
    repeated TensorShapeProto shape = 7; repeated TensorProto tensor = 8;
  }
  oneof value { bytes s = 2; int64 i = 3; float f = 4; bool b = 5; DataType type = 6; TensorShapeProto shape = 7;
    TensorProto tensor = 8; ListValue list = 1; string placeholder = 9; }
}
message NodeDef { string name = 1; string op = 2; repeated string input = 3; string device = 4; map<string, AttrValue> attr = 5; }
message VersionDef { int32 producer = 1; int32 min_consumer = 2; repeated int32 bad_consumers = 3; }
message GraphDef { repeated NodeDef node = 1; VersionDef versions = 4; int32 version = 3; }
message HistogramProto {
  double min = 1; double max = 2; double num = 3; double sum = 4; double sum_squares = 5;
  repeated double bucket_limit = 6 [packed = true]; repeated double bucket = 7 [packed = true];
}
message SummaryMetadata {
  message PluginData { string plugin_name = 1; bytes content = 2; }
  PluginData plugin_data = 1; string display_name = 2; string summary_description = 3;
}
message Summary {
  message Value {
    string node_name = 7; string tag = 1; SummaryMetadata metadata = 9;
    oneof value { float simple_value = 2; bytes obsolete_old_style_histogram = 3; HistogramProto histo = 5; TensorProto tensor = 8; }
  }
  repeated Value value = 1;
}
message SessionLog {
  enum SessionStatus { STATUS_UNSPECIFIED = 0; START = 1; STOP = 2; CHECKPOINT = 3; }
  SessionStatus status = 1; string checkpoint_path = 2; string msg = 3;
}
message Event {
  double wall_time = 1; int64 step = 2;
  oneof what { string file_version = 3; bytes graph_def = 4; Summary summary = 5; SessionLog session_log = 7; bytes meta_graph_def = 9; }
}
`;

const root = protobuf.parse(PROTO, { keepCase: true }).root;
const Event = root.lookupType('tensorflow.Event');
const GraphDef = root.lookupType('tensorflow.GraphDef');
const Summary = root.lookupType('tensorflow.Summary');
const toObject = (t: protobuf.Type, m: protobuf.Message): Record<string, unknown> =>
  t.toObject(m, { longs: Number, enums: String, bytes: Array, defaults: false, oneofs: false });

export interface ValueData {
  tag: string;
  simple_value?: number;
  histo?: {
    min: number;
    max: number;
    num: number;
    sum: number;
    sum_squares: number;
    bucket_limit: number[];
    bucket: number[];
  };
}
export interface EventData {
  wall_time: number;
  step?: number;
  file_version?: string;
  graph_def?: number[];
  summary?: { value: ValueData[] };
}
export interface NodeData {
  name: string;
  op: string;
  input?: string[];
  device?: string;
  attr?: Record<string, Record<string, unknown>>;
}

export function decodeEvent(bytes: Uint8Array): EventData {
  return toObject(Event, Event.decode(bytes)) as unknown as EventData;
}
export function decodeGraphDef(bytes: Uint8Array): { node: NodeData[] } {
  return toObject(GraphDef, GraphDef.decode(bytes)) as unknown as { node: NodeData[] };
}
export function decodeSummary(bytes: Uint8Array): { value: ValueData[] } {
  return toObject(Summary, Summary.decode(bytes)) as unknown as { value: ValueData[] };
}
