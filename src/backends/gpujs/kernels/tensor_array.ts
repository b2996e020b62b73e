import { registerKernel } from '../../backend';

/**
 * TensorArray ops (src/ops/control/tensor_array.ts) under the GPU backend: they check the written-element
 * mask, grow dynamic buffers and settle the element shape on the first write, decisions taken on the
 * host from the mask's values; inside tf.whileLoop bodies (the usual place for them) they run on the
 * host anyway, with the loop. Their CPU kernels run them; device inputs are read back first.
 */
const TENSOR_ARRAY =
  'TensorArray bookkeeping: written-element checks, run-time element shapes and buffer growth are decided on the host';
for (const type of ['TensorArrayNew', 'TensorArrayScatter', 'TensorArrayGather', 'TensorArrayClearRows'])
  registerKernel('gpu', type, { host: TENSOR_ARRAY });
