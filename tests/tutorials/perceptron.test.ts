import { run, separableData } from '../../tutorials/perceptron';
import { expectSvgPlot, tempOutDir } from './helpers';

describe('tutorial: perceptron', () => {
  test('the learning rule converges: every point classified, checked independently of the graph', async () => {
    const lines: string[] = [];
    const r = await run({ log: (l) => lines.push(l), outDir: tempOutDir() });
    expect(r.converged).toBe(true);
    expect(r.misclassified).toBe(0);
    expect(r.updates).toBeGreaterThan(1);
    expect(r.iterations).toBeGreaterThanOrEqual(r.updates);
    // One printed line per update, each naming the rule it applied.
    expect(lines.filter((l) => /→ w ← w [+−] x = \[/.test(l))).toHaveLength(r.updates);
    // Recheck the final w in plain JS: sign(w·x) ≥ 0 exactly for the points of P.
    const { points, inP } = separableData();
    points.forEach((x, i) => {
      const wx = x.reduce((s, v, k) => s + v * (r.w[k] as number), 0);
      expect(wx >= 0).toBe(inP[i]);
    });
    expectSvgPlot(r.plot, 1, ['misclassified points', 'iteration']);
  });

  test('stops at the iteration limit (--steps) when not yet converged', async () => {
    const r = await run({ quiet: true, steps: 5, outDir: null });
    expect(r.iterations).toBe(5);
    expect(r.converged).toBe(r.misclassified === 0);
    expect(r.plot).toBeUndefined();
  });
});
