// The tutorial runner:  npm run tutorial -- <name> [--backend cpu|gpu] [--steps N] [--quiet] [--out DIR]
//
// Each tutorial is a module in this folder exporting `run(options)`; this file only parses the
// command line, runs the chosen one and prints its result and wall time.
import type { TutorialOptions, TutorialResult } from './lib/common';

interface Entry {
  file: string;
  about: string;
  /** What --steps means for this tutorial. */
  steps: string;
}

export const TUTORIALS: Record<string, Entry> = {
  basics: {
    file: './basics',
    about: 'graphs, Sessions, constants, Variables, placeholders, feeds, fetches, name scopes',
    steps: '(ignored)',
  },
  perceptron: {
    file: './perceptron',
    about: 'the perceptron learning rule on a linearly separable 2-D set',
    steps: 'max iterations (default 1000)',
  },
  'sigmoid-unit': {
    file: './sigmoid_unit',
    about: 'one sigmoid unit: the hand-derived delta rule vs tf.gradients',
    steps: 'single-example updates (default 2000)',
  },
  'xor-mlp': {
    file: './xor_mlp',
    about: 'XOR: a single layer stalls, a 2-layer MLP trained by backprop solves it',
    steps: 'gradient steps per model (default 3000)',
  },
  'mnist-softmax': {
    file: './mnist_softmax',
    about: 'softmax regression on MNIST (lr 0.5, batch 100)',
    steps: 'training steps (default 1000)',
  },
  'mnist-mlp': {
    file: './mnist_mlp',
    about: 'a ReLU multilayer perceptron on MNIST',
    steps: 'training steps (default 1500)',
  },
  'mnist-towers': {
    file: './mnist_towers',
    about: 'data parallelism: the MNIST MLP with 1, 2 and N towers (TF1 multi-tower), steps/s of each',
    steps: 'training steps per tower count (default 600)',
  },
  'mnist-lenet': {
    file: './mnist_lenet',
    about: 'the "Deep MNIST" convolutional network (LeNet-style)',
    steps: 'training steps (default 800)',
  },
  rnn: {
    file: './rnn',
    about: 'a vanilla RNN trained by backprop through time to recall a marked symbol',
    steps: 'training steps (default 800)',
  },
  gru: {
    file: './gru',
    about: 'a GRU vs the vanilla RNN on a longer dependency',
    steps: 'training steps per network (default 600)',
  },
  pretrained: {
    file: './pretrained',
    about: 'a pretrained TensorFlow.js graph model (BlazeFace) imported, run, decoded; timed vs tfjs',
    steps: 'timed inference runs per framework (default 20)',
  },
};

function usage(): string {
  const lines = [
    'Usage: npm run tutorial -- <name> [--backend cpu|gpu] [--steps N] [--quiet] [--out DIR]',
    '',
    'Tutorials:',
    ...Object.entries(TUTORIALS).map(
      ([name, e]) => `  ${name.padEnd(14)} ${e.about}\n  ${''.padEnd(14)} --steps: ${e.steps}`,
    ),
    '',
    'Options:',
    '  --backend cpu|gpu  the tf.Session backend (default cpu)',
    '  --steps N          fewer/more training steps than the default (see above)',
    '  --quiet            print only the final result',
    '  --out DIR          folder for the loss/accuracy plot (default out/; --out none skips it)',
  ];
  return lines.join('\n');
}

export interface ParsedArgs {
  name: string;
  options: TutorialOptions;
}

/** Parses the command line (throws with a usage message on a mistake). */
export function parseArgs(argv: string[]): ParsedArgs {
  const options: TutorialOptions = {};
  let name: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? (arg.split(/=(.*)/s) as [string, string])
        : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n\n${usage()}`);
      return v;
    };
    if (flag === '--backend') {
      const b = value();
      if (b !== 'cpu' && b !== 'gpu') throw new Error(`--backend must be cpu or gpu, got '${b}'`);
      options.backend = b;
    } else if (flag === '--steps') {
      const s = Number(value());
      if (!Number.isInteger(s) || s <= 0) throw new Error(`--steps must be a positive integer`);
      options.steps = s;
    } else if (flag === '--quiet') {
      options.quiet = true;
    } else if (flag === '--out') {
      const d = value();
      options.outDir = d === 'none' ? null : d;
    } else if (flag === '--help' || flag === '-h') {
      throw new Error(usage());
    } else if (flag.startsWith('-')) {
      throw new Error(`unknown option ${flag}\n\n${usage()}`);
    } else if (name === undefined) {
      name = flag;
    } else {
      throw new Error(`unexpected argument '${flag}'\n\n${usage()}`);
    }
  }
  if (name === undefined) throw new Error(usage());
  if (!(name in TUTORIALS)) throw new Error(`unknown tutorial '${name}'\n\n${usage()}`);
  return { name, options };
}

/** Runs tutorial `name` with `options` and returns its result. */
export async function runTutorial(name: string, options: TutorialOptions): Promise<TutorialResult> {
  const entry = TUTORIALS[name];
  if (!entry) throw new Error(`unknown tutorial '${name}'`);
  const mod = require(entry.file) as { run: (o: TutorialOptions) => Promise<TutorialResult> };
  return mod.run(options);
}

type Scalar = number | boolean | string;
const isScalar = (v: unknown): v is Scalar => ['number', 'boolean', 'string'].includes(typeof v);
const fmt = (v: Scalar): string => {
  if (typeof v !== 'number' || Number.isInteger(v)) return String(v);
  return Math.abs(v) < 1e-3 ? v.toExponential(2) : String(Number(v.toFixed(4)));
};

async function main(): Promise<void> {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
    return;
  }
  const { name, options } = parsed;
  const result = await runTutorial(name, options);
  const figures = Object.entries(result)
    .filter(
      ([k, v]) =>
        k !== 'plot' &&
        k !== 'logdir' &&
        (isScalar(v) || (Array.isArray(v) && v.length <= 8 && v.every(isScalar))),
    )
    .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.map(fmt).join(',')}]` : fmt(v)}`);
  console.log(`\n[${name}] ${figures.join('  ')}`);
  if (result.plot) console.log(`[${name}] plot written to ${result.plot}`);
  if (result.logdir) console.log(`[${name}] board: npx tensorgraph board --logdir ${result.logdir}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
