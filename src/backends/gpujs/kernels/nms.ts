import { registerKernel } from '../../backend';

// Non-maximum suppression is a sequential greedy loop over a priority queue whose output length depends
// on the data: it runs on the host (the boxes and scores are read back when they live on the device).
registerKernel('gpu', 'NonMaxSuppressionV5', {
  host: 'sequential greedy selection with a data-dependent output length (known only after running it)',
});
