// TensorFlow r1's tutorial model module tensorflow/examples/tutorials/mnist/mnist.py, written line by
// line: "Builds the MNIST network. Implements the inference/loss/training pattern for model building."
//   1. inference() - Builds the model as far as required for running the network forward to make
//      predictions (two ReLU layers and a linear layer, each in its own name scope).
//   2. loss() - Adds to the inference model the layers required to generate loss.
//   3. training() - Adds to the loss model the Ops required to generate and apply gradients.
// Used by fully_connected_feed.ts; not meant to be run.
import * as tf from '../../src';

// The MNIST dataset has 10 classes, representing the digits 0 through 9.
export const NUM_CLASSES = 10;

// The MNIST images are always 28x28 pixels.
export const IMAGE_SIZE = 28;
export const IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/**
 * Build the MNIST model up to where it may be used for inference.
 * Returns softmax_linear: Output tensor with the computed logits.
 */
export function inference(images: tf.Tensor, hidden1Units: number, hidden2Units: number): tf.Tensor {
  // Hidden 1
  const hidden1 = tf.nameScope('hidden1', () => {
    const weights = new tf.Variable(
      tf.truncatedNormal([IMAGE_PIXELS, hidden1Units], { stddev: 1.0 / Math.sqrt(IMAGE_PIXELS) }),
      { name: 'weights' },
    );
    const biases = new tf.Variable(tf.zeros([hidden1Units]), { name: 'biases' });
    return tf.nn.relu(tf.add(tf.matmul(images, weights), biases));
  });
  // Hidden 2
  const hidden2 = tf.nameScope('hidden2', () => {
    const weights = new tf.Variable(
      tf.truncatedNormal([hidden1Units, hidden2Units], { stddev: 1.0 / Math.sqrt(hidden1Units) }),
      { name: 'weights' },
    );
    const biases = new tf.Variable(tf.zeros([hidden2Units]), { name: 'biases' });
    return tf.nn.relu(tf.add(tf.matmul(hidden1, weights), biases));
  });
  // Linear
  const logits = tf.nameScope('softmax_linear', () => {
    const weights = new tf.Variable(
      tf.truncatedNormal([hidden2Units, NUM_CLASSES], { stddev: 1.0 / Math.sqrt(hidden2Units) }),
      { name: 'weights' },
    );
    const biases = new tf.Variable(tf.zeros([NUM_CLASSES]), { name: 'biases' });
    return tf.add(tf.matmul(hidden2, weights), biases);
  });
  return logits;
}

/** Calculates the loss from the logits (float [batch_size, NUM_CLASSES]) and the labels (int32 [batch_size]). */
export function loss(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  labels = tf.toInt64(labels);
  return tf.losses.sparseSoftmaxCrossEntropy({ labels: labels, logits: logits });
}

/**
 * Sets up the training Ops: a scalar summary of the loss, a GradientDescentOptimizer, and a
 * non-trainable global_step variable that minimize() increments. Returns the Op for training.
 */
export function training(lossTensor: tf.Tensor, learningRate: number): tf.Operation {
  // Add a scalar summary for the snapshot loss.
  tf.summary.scalar('loss', lossTensor);
  // Create the gradient descent optimizer with the given learning rate.
  const optimizer = new tf.train.GradientDescentOptimizer(learningRate);
  // Create a variable to track the global step.
  const globalStep = new tf.Variable(0, { name: 'global_step', trainable: false });
  // Use the optimizer to apply the gradients that minimize the loss
  // (and also increment the global step counter) as a single training step.
  const trainOp = optimizer.minimize(lossTensor, { globalStep: globalStep });
  return trainOp;
}

/**
 * Evaluate the quality of the logits at predicting the label. Returns a scalar int32 tensor with the
 * number of examples (out of batch_size) that were predicted correctly.
 */
export function evaluation(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  // For a classifier model, we can use the in_top_k Op.
  // It returns a bool tensor with shape [batch_size] that is true for
  // the examples where the label is in the top k (here k=1)
  // of all logits for that example.
  const correct = tf.nn.inTopK(logits, labels, 1);
  // Return the number of true entries.
  return tf.reduceSum(tf.cast(correct, tf.int32));
}
