import { PassThrough } from 'stream';
import { loadMnist, PIXELS } from '../../tutorials/lib/mnist_data';
import { renderSvgChart, smooth } from '../../tutorials/lib/plot';
import { ProgressBar } from '../../tutorials/lib/progress';
import { recallBatches } from '../../tutorials/lib/recall_task';

describe('tutorial helpers', () => {
  test('MNIST: a fixed, disjoint, balanced train/test split of the package digits', () => {
    const a = loadMnist();
    const b = loadMnist();
    expect(a.train.size).toBe(8004);
    expect(a.test.size).toBe(1996);
    // Same order every time.
    expect(Array.from(a.train.classes.slice(0, 20))).toEqual(Array.from(b.train.classes.slice(0, 20)));
    expect(a.test.images.slice(0, 5 * PIXELS)).toEqual(b.test.images.slice(0, 5 * PIXELS));
    // Every digit is in both sets, about 20 % of each in the test set.
    for (let d = 0; d < 10; d++) {
      const inTrain = a.train.classes.filter((c) => c === d).length;
      const inTest = a.test.classes.filter((c) => c === d).length;
      expect(inTest / (inTrain + inTest)).toBeGreaterThan(0.19);
      expect(inTest / (inTrain + inTest)).toBeLessThan(0.21);
    }
    // No test image also appears in the training set.
    const key = (imgs: Float32Array, i: number) =>
      Array.from(imgs.subarray(i * PIXELS, (i + 1) * PIXELS), (v) => Math.round(v * 255)).join(',');
    const trainKeys = new Set(Array.from({ length: a.train.size }, (_, i) => key(a.train.images, i)));
    let shared = 0;
    for (let i = 0; i < a.test.size; i++) if (trainKeys.has(key(a.test.images, i))) shared++;
    expect(shared).toBe(0);
    // Pixels in [0, 1], labels one-hot.
    expect(Math.max(...a.train.images.subarray(0, 100 * PIXELS))).toBeLessThanOrEqual(1);
    expect(Array.from(a.train.labels.subarray(0, 10)).reduce((s, v) => s + v, 0)).toBe(1);
  });

  test('MNIST batches walk through an epoch without repeats, then reshuffle', () => {
    const { test } = loadMnist();
    const small = test.take(30);
    const seen: number[] = [];
    for (let k = 0; k < 3; k++) {
      const { ys } = small.nextBatch(10);
      for (let i = 0; i < 10; i++) seen.push(ys.subarray(i * 10, i * 10 + 10).indexOf(1));
    }
    expect(small.epochsCompleted).toBe(1);
    expect(seen.sort()).toEqual(Array.from(small.classes).sort());
  });

  test('SVG chart: axes, ticks, labels, legend, escaping; non-finite points skipped', () => {
    const svg = renderSvgChart({
      title: 'loss <&> accuracy',
      panels: [
        {
          yLabel: 'loss',
          series: [
            {
              name: 'train',
              points: [
                [0, 2],
                [1, NaN],
                [2, 0.5],
                [3, 0.25],
              ],
            },
          ],
        },
        {
          yLabel: 'accuracy',
          xLabel: 'epoch',
          yRange: [0, 1],
          series: [
            {
              name: 'test',
              points: [
                [0, 0.1],
                [3, 0.9],
              ],
            },
            { name: 'end', points: [[3, 0.95]] },
          ],
        },
      ],
    });
    expect(svg).toContain('loss &lt;&amp;&gt; accuracy');
    expect(svg).not.toContain('NaN');
    expect((svg.match(/<polyline /g) ?? []).length).toBe(2);
    expect((svg.match(/<circle /g) ?? []).length).toBe(1);
    for (const text of ['>train<', '>test<', '>end<', '>epoch<', '>step<', '>accuracy<', '>0.5<', '>1<'])
      expect(svg).toContain(text);
    // The loss curve has 3 finite points.
    const first = /<polyline [^>]*points="([^"]+)"/.exec(svg)?.[1] ?? '';
    expect(first.split(' ')).toHaveLength(3);
  });

  test('moving average', () => {
    expect(
      smooth(
        [
          [1, 4],
          [2, 2],
          [3, 6],
          [4, 0],
        ],
        2,
      ),
    ).toEqual([
      [1, 4],
      [2, 3],
      [3, 4],
      [4, 3],
    ]);
  });

  test('progress bar prints its first update, then one line per 10 %, when not on a terminal', () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let text = '';
    (stream as unknown as PassThrough).on('data', (d: Buffer) => (text += d.toString()));
    const bar = new ProgressBar(50, 'train', { stream });
    for (let i = 1; i <= 50; i++) bar.update(i, `loss ${i}`);
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toMatch(/^train █░{27} {3}2% 1\/50 eta \d+s {2}loss 1$/);
    expect(lines[10]).toMatch(/^train █{28} 100% 50\/50 [\d.]+s {2}loss 50$/);
    const quiet = new ProgressBar(5, 'x', { stream, enabled: false });
    quiet.update(5);
    expect(text.trim().split('\n')).toHaveLength(11);
  });

  test('recall task: the target is the marked symbol, within the window; batches are reproducible', () => {
    const task = { length: 7, symbols: 3, window: 3 };
    const a = recallBatches(task, 5)(40);
    const b = recallBatches(task, 5)(40);
    expect(a.xs.toArray()).toEqual(b.xs.toArray());
    expect(a.xs.shape).toEqual([40, 7, 4]);
    const xs = a.xs.toArray() as number[][][];
    const ys = a.ys.toArray() as number[][];
    const positions = new Set<number>();
    xs.forEach((seq, i) => {
      for (const step of seq) expect(step.slice(0, 3).reduce((s, v) => s + v, 0)).toBe(1);
      const marked = seq.map((step) => step[3]).flatMap((m, t) => (m === 1 ? [t] : []));
      expect(marked).toHaveLength(1);
      const t = marked[0] as number;
      expect(t).toBeLessThan(3);
      positions.add(t);
      expect(ys[i]).toEqual((seq[t] as number[]).slice(0, 3));
    });
    expect(positions.size).toBe(3);
  });
});
