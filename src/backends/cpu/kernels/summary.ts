import { registerKernel } from '../../backend';
import type { NDArray } from '../../../ndarray';
import { histogramOf } from '../../../summary/histogram';
import { encodeSummary, summaryTags } from '../../../summary/proto';
import { SerializedSummary } from '../../../summary/serialized';

/** Summary kernels: each returns a serialized `Summary` protobuf (see src/summary/serialized.ts). */

registerKernel('cpu', 'ScalarSummary', ([x], ctx) => {
  const tag = ctx.attrs.tag as string;
  const v = x as NDArray;
  return [new SerializedSummary(encodeSummary({ value: [{ tag, simpleValue: v.data[0] as number }] }))];
});

registerKernel('cpu', 'HistogramSummary', ([x], ctx) => {
  const tag = ctx.attrs.tag as string;
  const data = (x as NDArray).data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i] as number)) throw new Error(`Nan in summary histogram for: ${tag}`);
  }
  return [new SerializedSummary(encodeSummary({ value: [{ tag, histo: histogramOf(data) }] }))];
});

/** Concatenating serialized messages merges them (protobuf appends repeated fields): that is the merge. */
registerKernel('cpu', 'MergeSummary', (inputs) => {
  const seen = new Set<string>();
  const parts = inputs.map((x, i) => {
    if (!(x instanceof SerializedSummary))
      throw new Error(`MergeSummary input ${i} is not a serialized Summary`);
    for (const tag of summaryTags(x.bytes)) {
      if (seen.has(tag)) throw new Error(`Duplicate tag ${tag} found in summary inputs`);
      seen.add(tag);
    }
    return x.bytes;
  });
  return [new SerializedSummary(Buffer.concat(parts))];
});
