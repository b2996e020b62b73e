import * as protobuf from 'protobufjs/light';

/**
 * The TensorFlow protobuf messages TensorBoard reads, defined by reflection (protobufjs) with TF's field
 * numbers: tensorflow/core/util/event.proto, framework/summary.proto, graph.proto, node_def.proto,
 * attr_value.proto, tensor.proto, tensor_shape.proto, types.proto. Only the fields tensorgraph writes
 * are declared; readers skip unknown fields, as protobuf requires.
 */
const packed = { packed: true };

const descriptor = {
  nested: {
    tensorflow: {
      nested: {
        DataType: {
          values: {
            DT_INVALID: 0,
            DT_FLOAT: 1,
            DT_DOUBLE: 2,
            DT_INT32: 3,
            DT_UINT8: 4,
            DT_STRING: 7,
            DT_INT64: 9,
            DT_BOOL: 10,
          },
        },
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
            floatVal: { rule: 'repeated', type: 'float', id: 5, options: packed },
            doubleVal: { rule: 'repeated', type: 'double', id: 6, options: packed },
            intVal: { rule: 'repeated', type: 'int32', id: 7, options: packed },
            stringVal: { rule: 'repeated', type: 'bytes', id: 8 },
            boolVal: { rule: 'repeated', type: 'bool', id: 11, options: packed },
          },
        },
        AttrValue: {
          oneofs: { value: { oneof: ['s', 'i', 'f', 'b', 'type', 'shape', 'tensor', 'list'] } },
          fields: {
            list: { type: 'ListValue', id: 1 },
            s: { type: 'bytes', id: 2 },
            i: { type: 'int64', id: 3 },
            f: { type: 'float', id: 4 },
            b: { type: 'bool', id: 5 },
            type: { type: 'DataType', id: 6 },
            shape: { type: 'TensorShapeProto', id: 7 },
            tensor: { type: 'TensorProto', id: 8 },
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
        VersionDef: { fields: { producer: { type: 'int32', id: 1 }, minConsumer: { type: 'int32', id: 2 } } },
        GraphDef: {
          fields: {
            node: { rule: 'repeated', type: 'NodeDef', id: 1 },
            versions: { type: 'VersionDef', id: 4 },
          },
        },
        HistogramProto: {
          fields: {
            min: { type: 'double', id: 1 },
            max: { type: 'double', id: 2 },
            num: { type: 'double', id: 3 },
            sum: { type: 'double', id: 4 },
            sumSquares: { type: 'double', id: 5 },
            bucketLimit: { rule: 'repeated', type: 'double', id: 6, options: packed },
            bucket: { rule: 'repeated', type: 'double', id: 7, options: packed },
          },
        },
        Summary: {
          fields: { value: { rule: 'repeated', type: 'Value', id: 1 } },
          nested: {
            Value: {
              oneofs: { value: { oneof: ['simpleValue', 'histo', 'tensor'] } },
              fields: {
                tag: { type: 'string', id: 1 },
                simpleValue: { type: 'float', id: 2 },
                histo: { type: 'HistogramProto', id: 5 },
                nodeName: { type: 'string', id: 7 },
                tensor: { type: 'TensorProto', id: 8 },
              },
            },
          },
        },
        // framework/step_stats.proto and protobuf/config.proto's RunMetadata (its step_stats only).
        NodeExecStats: {
          fields: {
            nodeName: { type: 'string', id: 1 },
            allStartMicros: { type: 'int64', id: 2 },
            opStartRelMicros: { type: 'int64', id: 3 },
            opEndRelMicros: { type: 'int64', id: 4 },
            allEndRelMicros: { type: 'int64', id: 5 },
            timelineLabel: { type: 'string', id: 8 },
          },
        },
        DeviceStepStats: {
          fields: {
            device: { type: 'string', id: 1 },
            nodeStats: { rule: 'repeated', type: 'NodeExecStats', id: 2 },
          },
        },
        StepStats: { fields: { devStats: { rule: 'repeated', type: 'DeviceStepStats', id: 1 } } },
        RunMetadata: { fields: { stepStats: { type: 'StepStats', id: 1 } } },
        TaggedRunMetadata: {
          fields: { tag: { type: 'string', id: 1 }, runMetadata: { type: 'bytes', id: 2 } },
        },
        Event: {
          oneofs: { what: { oneof: ['fileVersion', 'graphDef', 'summary', 'taggedRunMetadata'] } },
          fields: {
            wallTime: { type: 'double', id: 1 },
            step: { type: 'int64', id: 2 },
            fileVersion: { type: 'string', id: 3 },
            graphDef: { type: 'bytes', id: 4 },
            summary: { type: 'Summary', id: 5 },
            taggedRunMetadata: { type: 'TaggedRunMetadata', id: 8 },
          },
        },
      },
    },
  },
};
const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);

export const EventProto = root.lookupType('tensorflow.Event');
export const SummaryProto = root.lookupType('tensorflow.Summary');
export const GraphDefProto = root.lookupType('tensorflow.GraphDef');
export const HistogramProtoType = root.lookupType('tensorflow.HistogramProto');
export const RunMetadataProto = root.lookupType('tensorflow.RunMetadata');

/** Plain-object forms of the messages (camelCase field names, as protobufjs uses). */
export interface HistogramData {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}
export interface SummaryValueData {
  tag: string;
  simpleValue?: number;
  histo?: HistogramData;
}
export interface SummaryData {
  value: SummaryValueData[];
}

/** Serializes a Summary message. */
export function encodeSummary(s: SummaryData): Uint8Array {
  return SummaryProto.encode(SummaryProto.fromObject(s)).finish();
}

/** The tags of a serialized Summary (MergeSummary checks them for duplicates). */
export function summaryTags(bytes: Uint8Array): string[] {
  const msg = SummaryProto.toObject(SummaryProto.decode(bytes), { defaults: true }) as {
    value: { tag: string }[];
  };
  return msg.value.map((v) => v.tag);
}
