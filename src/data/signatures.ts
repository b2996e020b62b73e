/** TF1 signatures of the tf.data.Dataset methods and the kinds of their arguments. */
import { isOptionsObject, kinds, param, Signature } from '../graph/signature';
import { Tensor } from '../graph/tensor';
import type { Dataset } from './dataset';
import type { Arg } from './lower';
import { flattenNested, isValueLeaf } from './structure';

function isPaddedLeaf(v: unknown): boolean {
  return Array.isArray(v) && v.every((d) => d === null || d === -1 || (isInt(d) && d >= 0));
}
function isPaddedNest(v: unknown): boolean {
  if (isPaddedLeaf(v)) return true;
  if (Array.isArray(v)) return v.length > 0 && v.every(isPaddedNest);
  return isOptionsObject(v) && Object.keys(v).length > 0 && Object.values(v).every(isPaddedNest);
}
function isValueNest(v: unknown): boolean {
  if (typeof v === 'number' || typeof v === 'boolean') return true;
  if (Array.isArray(v)) return v.length > 0 && v.every(isValueNest);
  return isOptionsObject(v) && Object.keys(v).length > 0 && Object.values(v).every(isValueNest);
}

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
  paddedBatch: {
    fn: 'Dataset.paddedBatch',
    params: [
      param('batchSize', argKind),
      param(
        'paddedShapes',
        kinds.custom<unknown>(
          'shapes (arrays of integers, nulls or -1) in the structure of the element',
          isPaddedNest,
        ),
      ),
      param(
        'paddingValues',
        kinds.custom<unknown>(
          'numbers in the structure of the element, or null',
          (v) => v === null || isValueNest(v),
        ),
        { default: null },
      ),
      param('dropRemainder', kinds.bool, { default: false }),
    ],
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
