import * as tf from '../../src';

/**
 * SPEC §4: `new tf.Session({ backend: 'gpu', gpu: { mode } })` forces a gpu.js mode; an unavailable mode
 * is an error naming the reason, an unknown one a TypeError listing the modes. (In Node: gpu.js's
 * WebAssembly and plain-JS modes are always there, the browser's WebGL2 never; the browser test run
 * forces `webgpu` and `webgl2` the same way in Chromium.)
 */
function matmulGraph(): { g: tf.Graph; y: tf.Tensor } {
  const g = new tf.Graph();
  const y = g.asDefault(() => tf.matmul(tf.constant([[1, 2]]), tf.constant([[3], [4]])));
  return { g, y };
}

describe('Session gpu mode option', () => {
  test.each(['webasm', 'cpu'] as const)("gpu: { mode: '%s' } runs on that mode and says so", (mode) => {
    const { g, y } = matmulGraph();
    const sess = new tf.Session({ graph: g, backend: 'gpu', gpu: { mode } });
    expect(sess.backendInfo.backend).toBe('gpu');
    expect(sess.backendInfo.reason).toContain(`gpu.js mode '${mode}' (requested)`);
    expect(sess.run(y).toArray()).toEqual([[11]]);
    sess.close();
  });

  test('an unavailable mode is an error naming the mode and the reason', () => {
    const { g } = matmulGraph();
    expect(() => new tf.Session({ graph: g, backend: 'gpu', gpu: { mode: 'webgl2' } }).backendInfo).toThrow(
      "gpu.js mode 'webgl2' is not available: no browser canvas (Node)",
    );
  });

  test('an unknown mode is a TypeError listing the accepted modes', () => {
    const { g } = matmulGraph();
    const make = () =>
      new tf.Session({ graph: g, backend: 'gpu', gpu: { mode: 'metal' as never } }).backendInfo;
    expect(make).toThrow(TypeError);
    expect(make).toThrow(
      "unknown gpu.js mode 'metal'; accepted: webgpu, headlessgl, webgl2, webgl, webasm, cpu",
    );
  });
});
