import * as protobuf from 'protobufjs/light';
import { InvalidArgumentError } from '../../errors';

/**
 * TensorFlow's GraphDef messages (tensorflow/core/framework/graph.proto, node_def.proto,
 * attr_value.proto, tensor.proto, tensor_shape.proto, types.proto, versions.proto) declared once by
 * reflection with TF's field numbers. Bytes are decoded into the same plain form that protobuf's
 * `MessageToJson` writes (camelCase fields, int64 as decimal strings, bytes as base64, enums by name),
 * so one decoder reads both the binary and the JSON form.
 */
const packed = { packed: true };

const DATA_TYPES: Record<string, number> = {
  DT_INVALID: 0,
  DT_FLOAT: 1,
  DT_DOUBLE: 2,
  DT_INT32: 3,
  DT_UINT8: 4,
  DT_INT16: 5,
  DT_INT8: 6,
  DT_STRING: 7,
  DT_COMPLEX64: 8,
  DT_INT64: 9,
  DT_BOOL: 10,
  DT_QINT8: 11,
  DT_QUINT8: 12,
  DT_QINT32: 13,
  DT_BFLOAT16: 14,
  DT_QINT16: 15,
  DT_QUINT16: 16,
  DT_UINT16: 17,
  DT_COMPLEX128: 18,
  DT_HALF: 19,
  DT_RESOURCE: 20,
  DT_VARIANT: 21,
  DT_UINT32: 22,
  DT_UINT64: 23,
};

const descriptor = {
  nested: {
    tensorflow: {
      nested: {
        DataType: { values: DATA_TYPES },
        TensorShapeProto: {
          fields: { dim: { rule: 'repeated', type: 'Dim', id: 2 }, unknownRank: { type: 'bool', id: 3 } },
          nested: { Dim: { fields: { size: { type: 'int64', id: 1 }, name: { type: 'string', id: 2 } } } },
        },
        TensorProto: {
          fields: {
            dtype: { type: 'DataType', id: 1 },
            tensorShape: { type: 'TensorShapeProto', id: 2 },
            versionNumber: { type: 'int32', id: 3 },
            tensorContent: { type: 'bytes', id: 4 },
            halfVal: { rule: 'repeated', type: 'int32', id: 13, options: packed },
            floatVal: { rule: 'repeated', type: 'float', id: 5, options: packed },
            doubleVal: { rule: 'repeated', type: 'double', id: 6, options: packed },
            intVal: { rule: 'repeated', type: 'int32', id: 7, options: packed },
            stringVal: { rule: 'repeated', type: 'bytes', id: 8 },
            int64Val: { rule: 'repeated', type: 'int64', id: 10, options: packed },
            boolVal: { rule: 'repeated', type: 'bool', id: 11, options: packed },
            uint32Val: { rule: 'repeated', type: 'uint32', id: 16, options: packed },
            uint64Val: { rule: 'repeated', type: 'uint64', id: 17, options: packed },
          },
        },
        NameAttrList: {
          fields: {
            name: { type: 'string', id: 1 },
            attr: { keyType: 'string', type: 'AttrValue', id: 2 },
          },
        },
        AttrValue: {
          oneofs: {
            value: { oneof: ['s', 'i', 'f', 'b', 'type', 'shape', 'tensor', 'list', 'func', 'placeholder'] },
          },
          fields: {
            list: { type: 'ListValue', id: 1 },
            s: { type: 'bytes', id: 2 },
            i: { type: 'int64', id: 3 },
            f: { type: 'float', id: 4 },
            b: { type: 'bool', id: 5 },
            type: { type: 'DataType', id: 6 },
            shape: { type: 'TensorShapeProto', id: 7 },
            tensor: { type: 'TensorProto', id: 8 },
            placeholder: { type: 'string', id: 9 },
            func: { type: 'NameAttrList', id: 10 },
          },
          nested: {
            ListValue: {
              fields: {
                s: { rule: 'repeated', type: 'bytes', id: 2 },
                i: { rule: 'repeated', type: 'int64', id: 3, options: packed },
                f: { rule: 'repeated', type: 'float', id: 4, options: packed },
                b: { rule: 'repeated', type: 'bool', id: 5, options: packed },
                type: { rule: 'repeated', type: 'DataType', id: 6, options: packed },
                shape: { rule: 'repeated', type: 'TensorShapeProto', id: 7 },
                tensor: { rule: 'repeated', type: 'TensorProto', id: 8 },
                func: { rule: 'repeated', type: 'NameAttrList', id: 9 },
              },
            },
          },
        },
        NodeDef: {
          fields: {
            name: { type: 'string', id: 1 },
            op: { type: 'string', id: 2 },
            input: { rule: 'repeated', type: 'string', id: 3 },
            device: { type: 'string', id: 4 },
            attr: { keyType: 'string', type: 'AttrValue', id: 5 },
          },
        },
        VersionDef: {
          fields: {
            producer: { type: 'int32', id: 1 },
            minConsumer: { type: 'int32', id: 2 },
            badConsumers: { rule: 'repeated', type: 'int32', id: 3, options: packed },
          },
        },
        FunctionDefLibrary: {
          fields: { function: { rule: 'repeated', type: 'FunctionDef', id: 1 } },
        },
        // Only the presence of functions matters here (they are not imported): their bodies stay opaque.
        FunctionDef: { fields: { signature: { type: 'bytes', id: 1 } } },
        GraphDef: {
          fields: {
            node: { rule: 'repeated', type: 'NodeDef', id: 1 },
            versions: { type: 'VersionDef', id: 4 },
            version: { type: 'int32', id: 3 },
            library: { type: 'FunctionDefLibrary', id: 2 },
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
const GraphDefType = root.lookupType('tensorflow.GraphDef');

/** DataType enum names by number (`1` → `'DT_FLOAT'`). */
export const DATA_TYPE_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(DATA_TYPES).map(([k, v]) => [v, k]),
);

/** A TensorShapeProto in TF's JSON form. */
export interface TensorShapeJSON {
  dim?: { size?: string | number; name?: string }[];
  unknownRank?: boolean;
}

/** A TensorProto in TF's JSON form (repeated fields hold the values, or `tensorContent` the raw bytes). */
export interface TensorProtoJSON {
  dtype?: string | number;
  tensorShape?: TensorShapeJSON;
  versionNumber?: number;
  tensorContent?: string;
  halfVal?: (number | string)[];
  floatVal?: (number | string)[];
  doubleVal?: (number | string)[];
  intVal?: (number | string)[];
  stringVal?: string[];
  int64Val?: (number | string)[];
  boolVal?: boolean[];
  uint32Val?: (number | string)[];
  uint64Val?: (number | string)[];
}

/** An AttrValue in TF's JSON form: exactly one of the fields. */
export interface AttrValueJSON {
  s?: string;
  i?: string | number;
  f?: number | string;
  b?: boolean;
  type?: string | number;
  shape?: TensorShapeJSON;
  tensor?: TensorProtoJSON;
  list?: {
    s?: string[];
    i?: (string | number)[];
    f?: (number | string)[];
    b?: boolean[];
    type?: (string | number)[];
    shape?: TensorShapeJSON[];
    tensor?: TensorProtoJSON[];
    func?: unknown[];
  };
  func?: { name?: string; attr?: Record<string, AttrValueJSON> };
  placeholder?: string;
}

/** A NodeDef in TF's JSON form. */
export interface NodeDefJSON {
  name: string;
  op: string;
  input?: string[];
  device?: string;
  attr?: Record<string, AttrValueJSON>;
}

/** A GraphDef in TF's JSON form (what `MessageToJson` writes, and a TensorFlow.js `modelTopology`). */
export interface GraphDefJSON {
  node?: NodeDefJSON[];
  versions?: { producer?: number; minConsumer?: number; badConsumers?: number[] };
  version?: number;
  library?: { function?: unknown[] };
}

const TO_OBJECT: protobuf.IConversionOptions = {
  longs: String,
  enums: String,
  bytes: String,
  defaults: false,
  arrays: false,
};

/** Decodes GraphDef protobuf bytes into TF's JSON form. */
export function decodeGraphDefBytes(bytes: Uint8Array): GraphDefJSON {
  let message: protobuf.Message;
  try {
    message = GraphDefType.decode(bytes);
  } catch (e) {
    throw new InvalidArgumentError(
      `importGraphDef: the bytes are not a valid GraphDef protobuf (${(e as Error).message})`,
    );
  }
  return GraphDefType.toObject(message, TO_OBJECT) as GraphDefJSON;
}

/**
 * Encodes a GraphDef given in TF's JSON form as protobuf bytes (what `graph_def.SerializeToString()`
 * gives in TF1).
 *
 * @example
 * const bytes = encodeGraphDef({ node: [{ name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' } } }] });
 */
export function encodeGraphDef(graphDef: GraphDefJSON): Uint8Array {
  const err = GraphDefType.verify(GraphDefType.fromObject(graphDef as Record<string, unknown>));
  if (err) throw new InvalidArgumentError(`encodeGraphDef: ${err}`);
  // A copy: protobufjs may hand back a view into a shared Node buffer pool.
  return new Uint8Array(
    GraphDefType.encode(GraphDefType.fromObject(graphDef as Record<string, unknown>)).finish(),
  );
}
