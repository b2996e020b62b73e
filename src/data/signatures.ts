/** TF1 signatures of the tf.data.Dataset methods and the kinds of their arguments. */
import { kinds, param, Signature } from '../graph/signature';
import { Tensor } from '../graph/tensor';
import type { Dataset } from './dataset';
import type { Arg } from './lower';
import { flattenNested, isValueLeaf } from './structure';

/** Whether `v` is a Dataset (checked structurally: this module sits below dataset.ts). */
export function isDataset(v: unknown): v is Dataset {
  return (
    typeof v === 'object' && v !== null && typeof (v as Dataset).lower === 'function' && 'structure' in v
  );
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
export const argKind = kinds.custom<Arg>(
  'an integer or a scalar int32 Tensor',
  (v) => isInt(v) || v instanceof Tensor,
  () => 2,
);
export const valueKind = kinds.custom<unknown>(
  'a Tensor, NDArray, array or number, or a tuple (array) / dict (object) of them',
  (v) => {
    try {
      flattenNested(v, (x) => x instanceof Tensor || isValueLeaf(x), 'check');
      return true;
    } catch {
      return false;
    }
  },
  () => [1, 2, 3],
);
const datasetKind = kinds.custom<Dataset>('a tf.data.Dataset', (v) => isDataset(v));
const datasetsKind = kinds.custom<unknown>('a tuple (array) or dict (object) of tf.data.Datasets', (v) => {
  try {
    flattenNested(v, isDataset, 'check');
    return !isDataset(v);
  } catch {
    return false;
  }
});

export const SIG = {
  map: {
    fn: 'Dataset.map',
    params: [
      param('mapFunc', kinds.fn),
      param('numParallelCalls', kinds.nullable(argKind), { default: null }),
    ],
  },
  filter: { fn: 'Dataset.filter', params: [param('predicate', kinds.fn)] },
  batch: {
    fn: 'Dataset.batch',
    params: [param('batchSize', argKind), param('dropRemainder', kinds.bool, { default: false })],
  },
  shuffle: {
    fn: 'Dataset.shuffle',
    params: [
      param('bufferSize', argKind),
      param('seed', kinds.nullable(kinds.int), { default: null }),
      param('reshuffleEachIteration', kinds.nullable(kinds.bool), { default: null }),
    ],
  },
  repeat: { fn: 'Dataset.repeat', params: [param('count', kinds.nullable(argKind), { default: null })] },
  take: { fn: 'Dataset.take', params: [param('count', argKind)] },
  skip: { fn: 'Dataset.skip', params: [param('count', argKind)] },
  prefetch: { fn: 'Dataset.prefetch', params: [param('bufferSize', argKind)] },
  cache: { fn: 'Dataset.cache', params: [param('filename', kinds.string, { default: '' })] },
  concatenate: { fn: 'Dataset.concatenate', params: [param('dataset', datasetKind)] },
  apply: { fn: 'Dataset.apply', params: [param('transformationFunc', kinds.fn)] },
  makeInitializableIterator: {
    fn: 'Dataset.makeInitializableIterator',
    params: [param('sharedName', kinds.nullable(kinds.string), { default: null })],
  },
  zip: { fn: 'Dataset.zip', params: [param('datasets', datasetsKind)] },
} as const satisfies Record<string, Signature>;
