// TensorFlow r1's tutorial tensorflow/examples/tutorials/mnist/mnist_with_summaries.py, written line by
// line: "A simple MNIST classifier which displays summaries in TensorBoard." Name scopes make the graph
// legible (input, layer1/weights, layer1/Wx_plus_b, dropout, cross_entropy/total, train, accuracy/…);
// variable_summaries attaches mean/stddev/max/min scalars and a histogram to each weight and bias;
// every 10th step the test-set accuracy and summaries go to log_dir/test, other steps train with Adam
// and write summaries to log_dir/train, and every 100th step (i % 100 == 99) is traced with
// RunOptions(FULL_TRACE) and added with train_writer.add_run_metadata.
//
// Two lines differ from r1.15, both marked NOTE below: the labels placeholder is int32 (tensorgraph has no
// int64; TF1's tf.argmax also gives int32 here, so `tf.equal(tf.argmax(y, 1), y_)` matches), and the
// `tf.summary.image('input', image_shaped_input, 10)` summary is left out (not implemented yet).
// Data: readDataSets (examples/mnist_tutorial/input_data.ts) stands in for input_data.read_data_sets.
//
// Run it:  npx ts-node --transpile-only examples/mnist_tutorial/mnist_with_summaries.ts [max_steps]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../src';
import { readDataSets } from './input_data';

export interface Flags {
  /** If true, uses fake data for unit testing. */
  fakeData: boolean;
  /** Number of steps to run trainer. */
  maxSteps: number;
  /** Initial learning rate */
  learningRate: number;
  /** Keep probability for training dropout. */
  dropout: number;
  /** Directory for storing input data */
  dataDir: string;
  /** Summaries log directory */
  logDir: string;
}

export const DEFAULT_FLAGS: Flags = {
  fakeData: false,
  maxSteps: 1000,
  learningRate: 0.001,
  dropout: 0.9,
  dataDir: path.join(process.env.TEST_TMPDIR ?? os.tmpdir(), 'tensorflow/mnist/input_data'),
  logDir: path.join(process.env.TEST_TMPDIR ?? os.tmpdir(), 'tensorflow/mnist/logs/mnist_with_summaries'),
};

export interface MnistWithSummariesResult {
  /** [step, accuracy] of every 'Accuracy at step' line. */
  accuracies: [number, number][];
  /** Steps whose run metadata was added. */
  traced: number[];
  /** The graph's tensors, and every variable's final value (by name). */
  tensors: { x: tf.Tensor; y_: tf.Tensor; keepProb: tf.Tensor; y: tf.Tensor; merged: tf.Tensor | null };
  finalValues: Record<string, Float32Array>;
  graph: tf.Graph;
}

export function runMnistWithSummaries(
  flags: Partial<Flags> = {},
  log: (line: string) => void = () => undefined,
): MnistWithSummariesResult {
  const FLAGS: Flags = { ...DEFAULT_FLAGS, ...flags };
  const print = log;

  function train(): MnistWithSummariesResult {
    // Import data
    const mnist = readDataSets(FLAGS.dataDir, { fakeData: FLAGS.fakeData });

    const sess = new tf.InteractiveSession();
    // Create a multilayer model.

    // Input placeholders
    const [x, y_] = tf.nameScope('input', () => {
      const xIn = tf.placeholder(tf.float32, [null, 784], 'x-input');
      // NOTE: r1.15 has tf.int64; tensorgraph's integer dtype is int32.
      const yIn = tf.placeholder(tf.int32, [null], 'y-input');
      return [xIn, yIn];
    });

    tf.nameScope('input_reshape', () => {
      const imageShapedInput = tf.reshape(x, [-1, 28, 28, 1]);
      // NOTE: r1.15 has tf.summary.image('input', image_shaped_input, 10) here (not implemented yet).
      return imageShapedInput;
    });

    // We can't initialize these variables to 0 - the network will get stuck.
    /** Create a weight variable with appropriate initialization. */
    function weightVariable(shape: number[]): tf.Variable {
      const initial = tf.truncatedNormal(shape, { stddev: 0.1 });
      return new tf.Variable(initial);
    }

    /** Create a bias variable with appropriate initialization. */
    function biasVariable(shape: number[]): tf.Variable {
      const initial = tf.constant(0.1, { shape: shape });
      return new tf.Variable(initial);
    }

    /** Attach a lot of summaries to a Tensor (for TensorBoard visualization). */
    function variableSummaries(v: tf.Tensor): void {
      tf.nameScope('summaries', () => {
        const mean = tf.reduceMean(v);
        tf.summary.scalar('mean', mean);
        const stddev = tf.nameScope('stddev', () => tf.sqrt(tf.reduceMean(tf.square(tf.subtract(v, mean)))));
        tf.summary.scalar('stddev', stddev);
        tf.summary.scalar('max', tf.reduceMax(v));
        tf.summary.scalar('min', tf.reduceMin(v));
        tf.summary.histogram('histogram', v);
      });
    }

    /**
     * Reusable code for making a simple neural net layer.
     *
     * It does a matrix multiply, bias add, and then uses relu to nonlinearize.
     * It also sets up name scoping so that the resultant graph is easy to read,
     * and adds a number of summary ops.
     */
    function nnLayer(
      inputTensor: tf.Tensor,
      inputDim: number,
      outputDim: number,
      layerName: string,
      act: (t: tf.Tensor, options: { name: string }) => tf.Tensor = tf.nn.relu,
    ): tf.Tensor {
      // Adding a name scope ensures logical grouping of the layers in the graph.
      return tf.nameScope(layerName, () => {
        // This Variable will hold the state of the weights for the layer
        const weights = tf.nameScope('weights', () => {
          const w = weightVariable([inputDim, outputDim]);
          variableSummaries(w);
          return w;
        });
        const biases = tf.nameScope('biases', () => {
          const b = biasVariable([outputDim]);
          variableSummaries(b);
          return b;
        });
        const preactivate = tf.nameScope('Wx_plus_b', () => {
          const p = tf.add(tf.matmul(inputTensor, weights), biases);
          tf.summary.histogram('pre_activations', p);
          return p;
        });
        const activations = act(preactivate, { name: 'activation' });
        tf.summary.histogram('activations', activations);
        return activations;
      });
    }

    const hidden1 = nnLayer(x, 784, 500, 'layer1');

    const [keepProb, dropped] = tf.nameScope('dropout', () => {
      const kp = tf.placeholder(tf.float32);
      tf.summary.scalar('dropout_keep_probability', kp);
      return [kp, tf.nn.dropout(hidden1, kp)];
    });

    // Do not apply softmax activation yet, see below.
    const y = nnLayer(dropped, 500, 10, 'layer2', tf.identity);

    const crossEntropy = tf.nameScope('cross_entropy', () => {
      // The raw formulation of cross-entropy,
      //
      // tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(tf.softmax(y)),
      //                               reduction_indices=[1]))
      //
      // can be numerically unstable.
      //
      // So here we use tf.losses.sparse_softmax_cross_entropy on the
      // raw logit outputs of the nn_layer above, and then average across
      // the batch.
      return tf.nameScope('total', () => tf.losses.sparseSoftmaxCrossEntropy({ labels: y_, logits: y }));
    });
    tf.summary.scalar('cross_entropy', crossEntropy);

    const trainStep = tf.nameScope('train', () =>
      new tf.train.AdamOptimizer(FLAGS.learningRate).minimize(crossEntropy),
    );

    const accuracy = tf.nameScope('accuracy', () => {
      const correctPrediction = tf.nameScope('correct_prediction', () => tf.equal(tf.argmax(y, 1), y_));
      return tf.nameScope('accuracy', () => tf.reduceMean(tf.cast(correctPrediction, tf.float32)));
    });
    tf.summary.scalar('accuracy', accuracy);

    // Merge all the summaries and write them out to
    // /tmp/tensorflow/mnist/logs/mnist_with_summaries (by default)
    const merged = tf.summary.mergeAll();
    const trainWriter = new tf.summary.FileWriter(FLAGS.logDir + '/train', sess.graph);
    const testWriter = new tf.summary.FileWriter(FLAGS.logDir + '/test');
    tf.globalVariablesInitializer().run();

    // Train the model, and also write summaries.
    // Every 10th step, measure test-set accuracy, and write test summaries
    // All other steps, run train_step on training data, & add training summaries

    /** Make a TensorFlow feed_dict: maps data onto Tensor placeholders. */
    function feedDict(trainFeed: boolean): Map<tf.Tensor, tf.NDArray | number> {
      let xs: tf.NDArray;
      let ys: tf.NDArray;
      let k: number;
      if (trainFeed || FLAGS.fakeData) {
        [xs, ys] = mnist.train.nextBatch(100, FLAGS.fakeData);
        k = FLAGS.dropout;
      } else {
        [xs, ys] = [mnist.test.images, mnist.test.labels];
        k = 1.0;
      }
      return new Map<tf.Tensor, tf.NDArray | number>([
        [x, xs],
        [y_, ys],
        [keepProb, k],
      ]);
    }

    const accuracies: [number, number][] = [];
    const traced: number[] = [];
    for (let i = 0; i < FLAGS.maxSteps; i++) {
      if (i % 10 === 0) {
        // Record summaries and test-set accuracy
        const [summary, acc] = sess.run([merged as tf.Tensor, accuracy], { feedDict: feedDict(false) });
        testWriter.addSummary(summary as tf.NDArray, i);
        accuracies.push([i, acc?.item() as number]);
        print(`Accuracy at step ${i}: ${acc?.item() as number}`);
      } else {
        // Record train set summaries, and train
        if (i % 100 === 99) {
          // Record execution stats
          const runOptions = new tf.RunOptions({ traceLevel: tf.RunOptions.FULL_TRACE });
          const runMetadata = new tf.RunMetadata();
          const [summary] = sess.run([merged as tf.Tensor, trainStep], {
            feedDict: feedDict(true),
            options: runOptions,
            runMetadata: runMetadata,
          });
          trainWriter.addRunMetadata(runMetadata, `step${String(i).padStart(3, '0')}`);
          trainWriter.addSummary(summary as tf.NDArray, i);
          traced.push(i);
          print(`Adding run metadata for ${i}`);
        } else {
          // Record a summary
          const [summary] = sess.run([merged as tf.Tensor, trainStep], { feedDict: feedDict(true) });
          trainWriter.addSummary(summary as tf.NDArray, i);
        }
      }
    }
    trainWriter.close();
    testWriter.close();

    const finalValues: Record<string, Float32Array> = {};
    for (const v of tf.globalVariables()) finalValues[v.name] = (sess.run(v).data as Float32Array).slice();
    sess.close();
    return {
      accuracies,
      traced,
      tensors: { x, y_, keepProb, y, merged },
      finalValues,
      graph: tf.getDefaultGraph(),
    };
  }

  // main()
  if (fs.existsSync(FLAGS.logDir)) fs.rmSync(FLAGS.logDir, { recursive: true });
  fs.mkdirSync(FLAGS.logDir, { recursive: true });
  const graph = new tf.Graph();
  return graph.asDefault(() => train());
}

if (require.main === module) {
  runMnistWithSummaries({ maxSteps: Number(process.argv[2] ?? 1000) }, console.log);
}
