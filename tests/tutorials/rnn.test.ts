import { RNN_SETTINGS, run } from '../../tutorials/rnn';
import { expectSvgPlot, tempOutDir } from './helpers';

// The full tutorial setting (800 Adam steps on sequences of 8): a few seconds.
describe('tutorial: vanilla RNN', () => {
  test('learns to recall the marked symbol across 4 to 7 steps (≥ 95 % on held-out sequences)', async () => {
    const r = await run({ quiet: true, outDir: tempOutDir() });
    expect(r.sequenceLength).toBe(RNN_SETTINGS.length);
    expect(r.chance).toBe(0.25);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.95);
    expectSvgPlot(r.plot, 3, ['training loss', 'held-out accuracy']);
  });
});
