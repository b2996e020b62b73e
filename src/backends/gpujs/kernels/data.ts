import { registerKernel } from '../../backend';

/** tf.data iterators run on the host under the GPU backend (their elements are uploaded where used). */
const PIPELINE = 'tf.data input pipeline: iterator state and elements live on the host, as in TF1';
for (const type of ['IteratorV2', 'OneShotIterator', 'MakeIterator', 'IteratorGetNext'])
  registerKernel('gpu', type, { host: PIPELINE });
