import { run } from '../../tutorials/xor_mlp';
import { expectSvgPlot, tempOutDir } from './helpers';

describe('tutorial: XOR MLP', () => {
  test('a single layer stalls; the 2-layer MLP trained by backprop gets all four right', async () => {
    const r = await run({ quiet: true, outDir: tempOutDir() });
    // No line separates XOR: at most 3 of 4, and gradient descent ends hedging near 0.5 (loss ≈ 0.25).
    expect(r.singleLayer.correct).toBeLessThan(4);
    expect(r.singleLayer.loss).toBeGreaterThan(0.2);
    for (const y of r.singleLayer.outputs) expect(Math.abs(y - 0.5)).toBeLessThan(0.1);
    // The MLP: every output on the right side, with a confident margin.
    expect(r.mlp.correct).toBe(4);
    expect(r.mlp.loss).toBeLessThan(0.01);
    [0, 1, 1, 0].forEach((t, i) => expect(Math.abs((r.mlp.outputs[i] as number) - t)).toBeLessThan(0.2));
    expectSvgPlot(r.plot, 2, ['single layer', '2-layer MLP']);
  });
});
