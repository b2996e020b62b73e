import { parseArgs, TUTORIALS } from '../../tutorials/run';

describe('tutorial runner arguments', () => {
  test('parses the name, --backend, --steps, --quiet and --out', () => {
    expect(
      parseArgs(['mnist-softmax', '--backend', 'cpu', '--steps', '200', '--quiet', '--out', 'plots']),
    ).toEqual({
      name: 'mnist-softmax',
      options: { backend: 'cpu', steps: 200, quiet: true, outDir: 'plots' },
    });
    expect(parseArgs(['gru', '--steps=50', '--backend=gpu', '--out=none'])).toEqual({
      name: 'gru',
      options: { steps: 50, backend: 'gpu', outDir: null },
    });
  });

  test('rejects mistakes with a usage message', () => {
    expect(() => parseArgs([])).toThrow(/Usage: npm run tutorial -- <name>/);
    expect(() => parseArgs(['mnist'])).toThrow(/unknown tutorial 'mnist'[\s\S]*mnist-softmax/);
    expect(() => parseArgs(['rnn', '--backend', 'tpu'])).toThrow("--backend must be cpu or gpu, got 'tpu'");
    expect(() => parseArgs(['rnn', '--steps', '0'])).toThrow('--steps must be a positive integer');
    expect(() => parseArgs(['rnn', '--steps'])).toThrow('--steps needs a value');
    expect(() => parseArgs(['rnn', '--fast'])).toThrow('unknown option --fast');
    expect(() => parseArgs(['rnn', 'gru'])).toThrow("unexpected argument 'gru'");
  });

  test('every listed tutorial has a module exporting run()', () => {
    expect(Object.keys(TUTORIALS)).toEqual([
      'basics',
      'perceptron',
      'sigmoid-unit',
      'xor-mlp',
      'mnist-softmax',
      'mnist-mlp',
      'mnist-towers',
      'mnist-lenet',
      'rnn',
      'gru',
      'pretrained',
    ]);
    for (const entry of Object.values(TUTORIALS)) {
      const mod = require(`../../tutorials/${entry.file.replace('./', '')}`) as { run?: unknown };
      expect(typeof mod.run).toBe('function');
    }
  });
});
