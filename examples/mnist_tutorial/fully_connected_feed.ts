// TensorFlow r1's tutorial tensorflow/examples/tutorials/mnist/fully_connected_feed.py, written line by
// line: "Trains and Evaluates the MNIST network using a feed dictionary." placeholder_inputs,
// fill_feed_dict, do_eval and run_training with mnist.inference/loss/training/evaluation, a merged
// summary written by a FileWriter every 100 steps, and a Saver checkpoint (log_dir/model.ckpt-<step>)
// before each evaluation of the training, validation and test sets.
// Data: readDataSets (examples/mnist_tutorial/input_data.ts) stands in for input_data.read_data_sets.
//
// Run it:  npx ts-node --transpile-only examples/mnist_tutorial/fully_connected_feed.ts [max_steps]
import * as os from 'os';
import * as path from 'path';
import * as fs from 'fs';
import * as tf from '../../src';
import { DataSet, readDataSets } from './input_data';
import * as mnist from './mnist';

// Basic model parameters as external flags.
export interface Flags {
  /** Initial learning rate. */
  learningRate: number;
  /** Number of steps to run trainer. */
  maxSteps: number;
  /** Number of units in hidden layer 1. */
  hidden1: number;
  /** Number of units in hidden layer 2. */
  hidden2: number;
  /** Batch size.  Must divide evenly into the dataset sizes. */
  batchSize: number;
  /** Directory to put the input data. */
  inputDataDir: string;
  /** Directory to put the log data. */
  logDir: string;
  /** If true, uses fake data for unit testing. */
  fakeData: boolean;
}

export const DEFAULT_FLAGS: Flags = {
  learningRate: 0.01,
  maxSteps: 2000,
  hidden1: 128,
  hidden2: 32,
  batchSize: 100,
  inputDataDir: path.join(os.tmpdir(), 'tensorflow/mnist/input_data'),
  logDir: path.join(os.tmpdir(), 'tensorflow/mnist/logs/fully_connected_feed'),
  fakeData: false,
};

export interface EvalResult {
  numExamples: number;
  trueCount: number;
  precision: number;
}

export interface FullyConnectedFeedResult {
  /** [step, loss_value] of every printed step. */
  printed: [number, number][];
  /** The checkpoints saved, in order. */
  checkpoints: string[];
  /** The do_eval results after the last checkpoint: training, validation, test. */
  evals: { train: EvalResult; validation: EvalResult; test: EvalResult };
  /** The session (still open, as the original leaves it) and the graph's tensors, for inspection. */
  sess: tf.Session;
  graph: tf.Graph;
  tensors: {
    imagesPlaceholder: tf.Tensor;
    labelsPlaceholder: tf.Tensor;
    logits: tf.Tensor;
    loss: tf.Tensor;
    trainOp: tf.Operation;
    evalCorrect: tf.Tensor;
    summary: tf.Tensor | null;
    saver: tf.train.Saver;
  };
}

export function runFullyConnectedFeed(
  flags: Partial<Flags> = {},
  log: (line: string) => void = () => undefined,
): FullyConnectedFeedResult {
  const FLAGS: Flags = { ...DEFAULT_FLAGS, ...flags };
  const print = log;

  /** Generate placeholder variables to represent the input tensors. */
  function placeholderInputs(batchSize: number): [tf.Tensor, tf.Tensor] {
    // Note that the shapes of the placeholders match the shapes of the full
    // image and label tensors, except the first dimension is now batch_size
    // rather than the full size of the train or test data sets.
    const imagesPlaceholder = tf.placeholder(tf.float32, { shape: [batchSize, mnist.IMAGE_PIXELS] });
    const labelsPlaceholder = tf.placeholder(tf.int32, { shape: [batchSize] });
    return [imagesPlaceholder, labelsPlaceholder];
  }

  /** Fills the feed_dict for training the given step. */
  function fillFeedDict(
    dataSet: DataSet,
    imagesPl: tf.Tensor,
    labelsPl: tf.Tensor,
  ): Map<tf.Tensor, tf.NDArray> {
    // Create the feed_dict for the placeholders filled with the next
    // `batch size` examples.
    const [imagesFeed, labelsFeed] = dataSet.nextBatch(FLAGS.batchSize, FLAGS.fakeData);
    const feedDict = new Map<tf.Tensor, tf.NDArray>([
      [imagesPl, imagesFeed],
      [labelsPl, labelsFeed],
    ]);
    return feedDict;
  }

  /** Runs one evaluation against the full epoch of data. */
  function doEval(
    sess: tf.Session,
    evalCorrect: tf.Tensor,
    imagesPlaceholder: tf.Tensor,
    labelsPlaceholder: tf.Tensor,
    dataSet: DataSet,
  ): EvalResult {
    // And run one epoch of eval.
    let trueCount = 0; // Counts the number of correct predictions.
    const stepsPerEpoch = Math.floor(dataSet.numExamples / FLAGS.batchSize);
    const numExamples = stepsPerEpoch * FLAGS.batchSize;
    for (let step = 0; step < stepsPerEpoch; step++) {
      const feedDict = fillFeedDict(dataSet, imagesPlaceholder, labelsPlaceholder);
      trueCount += sess.run(evalCorrect, { feedDict: feedDict }).item() as number;
    }
    const precision = trueCount / numExamples;
    print(`Num examples: ${numExamples}  Num correct: ${trueCount}  Precision @ 1: ${precision.toFixed(4)}`);
    return { numExamples, trueCount, precision };
  }

  /** Train MNIST for a number of steps. */
  function runTraining(): FullyConnectedFeedResult {
    // Get the sets of images and labels for training, validation, and
    // test on MNIST.
    const dataSets = readDataSets(FLAGS.inputDataDir);

    // Tell TensorFlow that the model will be built into the default Graph.
    const graph = new tf.Graph();
    return graph.asDefault(() => {
      // Generate placeholders for the images and labels.
      const [imagesPlaceholder, labelsPlaceholder] = placeholderInputs(FLAGS.batchSize);

      // Build a Graph that computes predictions from the inference model.
      const logits = mnist.inference(imagesPlaceholder, FLAGS.hidden1, FLAGS.hidden2);

      // Add to the Graph the Ops for loss calculation.
      const loss = mnist.loss(logits, labelsPlaceholder);

      // Add to the Graph the Ops that calculate and apply gradients.
      const trainOp = mnist.training(loss, FLAGS.learningRate);

      // Add the Op to compare the logits to the labels during evaluation.
      const evalCorrect = mnist.evaluation(logits, labelsPlaceholder);

      // Build the summary Tensor based on the TF collection of Summaries.
      const summary = tf.summary.mergeAll();

      // Add the variable initializer Op.
      const init = tf.globalVariablesInitializer();

      // Create a saver for writing training checkpoints.
      const saver = new tf.train.Saver();

      // Create a session for running Ops on the Graph.
      const sess = new tf.Session();

      // Instantiate a SummaryWriter to output summaries and the Graph.
      const summaryWriter = new tf.summary.FileWriter(FLAGS.logDir, sess.graph);

      // And then after everything is built:

      // Run the Op to initialize the variables.
      sess.run(init);

      const printed: [number, number][] = [];
      const checkpoints: string[] = [];
      let evals: FullyConnectedFeedResult['evals'] | undefined;
      // Start the training loop.
      for (let step = 0; step < FLAGS.maxSteps; step++) {
        const startTime = Date.now();

        // Fill a feed dictionary with the actual set of images and labels
        // for this particular training step.
        const feedDict = fillFeedDict(dataSets.train, imagesPlaceholder, labelsPlaceholder);

        // Run one step of the model.  The return values are the activations
        // from the `train_op` (which is discarded) and the `loss` Op.  To
        // inspect the values of your Ops or variables, you may include them
        // in the list passed to sess.run() and the value tensors will be
        // returned in the tuple from the call.
        const [, lossValue] = sess.run([trainOp, loss], { feedDict: feedDict });

        const duration = (Date.now() - startTime) / 1000;

        // Write the summaries and print an overview fairly often.
        if (step % 100 === 0) {
          // Print status to stdout.
          const l = lossValue?.item() as number;
          printed.push([step, l]);
          print(`Step ${step}: loss = ${l.toFixed(2)} (${duration.toFixed(3)} sec)`);
          // Update the events file.
          const summaryStr = sess.run(summary as tf.Tensor, { feedDict: feedDict });
          summaryWriter.addSummary(summaryStr, step);
          summaryWriter.flush();
        }

        // Save a checkpoint and evaluate the model periodically.
        if ((step + 1) % 1000 === 0 || step + 1 === FLAGS.maxSteps) {
          const checkpointFile = path.join(FLAGS.logDir, 'model.ckpt');
          checkpoints.push(saver.save(sess, checkpointFile, { globalStep: step }));
          // Evaluate against the training set.
          print('Training Data Eval:');
          const train = doEval(sess, evalCorrect, imagesPlaceholder, labelsPlaceholder, dataSets.train);
          // Evaluate against the validation set.
          print('Validation Data Eval:');
          const validation = doEval(
            sess,
            evalCorrect,
            imagesPlaceholder,
            labelsPlaceholder,
            dataSets.validation,
          );
          // Evaluate against the test set.
          print('Test Data Eval:');
          const test = doEval(sess, evalCorrect, imagesPlaceholder, labelsPlaceholder, dataSets.test);
          evals = { train, validation, test };
        }
      }
      summaryWriter.close();
      return {
        printed,
        checkpoints,
        evals: evals as FullyConnectedFeedResult['evals'],
        sess,
        graph,
        tensors: {
          imagesPlaceholder,
          labelsPlaceholder,
          logits,
          loss,
          trainOp,
          evalCorrect,
          summary,
          saver,
        },
      };
    });
  }

  // main(): start from an empty log directory.
  if (fs.existsSync(FLAGS.logDir)) fs.rmSync(FLAGS.logDir, { recursive: true });
  fs.mkdirSync(FLAGS.logDir, { recursive: true });
  return runTraining();
}

if (require.main === module) {
  const r = runFullyConnectedFeed({ maxSteps: Number(process.argv[2] ?? 2000) }, console.log);
  r.sess.close();
}
