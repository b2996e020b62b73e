import { registerKernel } from '../../backend';

// One-argument tf.where: its output's size depends on the data (the number of true elements), which a
// GPU kernel cannot size before running, so it runs on the host.
registerKernel('gpu', 'Where', {
  host: 'data-dependent output shape (the number of true elements is known only after reading them)',
});
