import { execFileSync } from 'child_process';
import * as path from 'path';
import { run } from '../../tutorials/basics';

describe('tutorial: basics', () => {
  test('computes the documented values and builds the expected graph', async () => {
    const lines: string[] = [];
    const r = await run({ log: (l) => lines.push(l) });
    expect(r.product).toBe(12);
    expect(r.counter).toEqual([1, 2, 3]);
    expect(r.fetched).toEqual([21, 7]);
    expect(r.fed).toBe(14);
    // Variables, the init op, placeholders and the name-scoped layer are all in the graph.
    for (const name of [
      'MatMul',
      'counter',
      'counter/Assign',
      'counter/read',
      'init',
      'a',
      'b',
      'output',
      'hidden/weights',
      'hidden/MatMul',
      'hidden/Relu',
    ]) {
      expect(r.opNames).toContain(name);
    }
    expect(new Set(r.opNames).size).toBe(r.opNames.length); // graph-unique names
    expect(lines).toContain("the hidden layer's output is the tensor 'hidden/Relu:0'");
    expect(lines.some((l) => l.includes('hidden(x = [[1, 2, 3]]) = [[6., 6.]]'))).toBe(true);
  });

  test('--backend gpu either runs the same tutorial or fails with a clear message', async () => {
    let result: Awaited<ReturnType<typeof run>> | undefined;
    try {
      result = await run({ backend: 'gpu', quiet: true });
    } catch (e) {
      expect((e as Error).message).toMatch(
        /^Cannot start a Session with backend 'gpu': .+\nRun with --backend cpu/,
      );
      return;
    }
    expect(result.product).toBe(12);
    expect(result.counter).toEqual([1, 2, 3]);
    expect(result.fetched).toEqual([21, 7]);
    expect(result.fed).toBe(14);
  });

  test('`npm run tutorial -- basics` works end to end', () => {
    const root = path.resolve(__dirname, '../..');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const out = execFileSync(npm, ['run', '--silent', 'tutorial', '--', 'basics'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(out).toContain('sess.run(product) = 12');
    expect(out).toContain("after run #3 of 'update': counter = 3");
    expect(out).toContain('[basics] product=12  counter=[1,2,3]  fetched=[21,7]  fed=14');
  });
});
