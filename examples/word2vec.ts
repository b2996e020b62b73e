// Classic TF1 word2vec (skip-gram with NCE loss) (aymericdamien/TensorFlow-Examples,
// examples/2_BasicModels/word2vec.py), written line by line: vocabulary with an UNK token and a
// min_occurrence cut, the skip-gram next_batch over a sliding window (a deque of 2·skip_window+1 words,
// random.sample of num_skips context words), the embedding and NCE variables under tf.device('/cpu:0'),
// tf.nn.embedding_lookup, reduce_mean(tf.nn.nce_loss(...)), GradientDescentOptimizer(0.1), and the
// cosine-similarity evaluation with its nearest neighbours.
// Data: the original downloads text8 (17 M words of Wikipedia); this port takes any word list and, as a
// script, uses a seeded synthetic corpus (topic sentences) so it runs offline. Python's random.sample is a
// seeded JS generator here.
//
// Run it:  npx ts-node --transpile-only examples/word2vec.ts [numSteps]
import * as tf from '../src';
import { mulberry32 } from '../tutorials/lib/rng';

export interface Word2VecOptions {
  /** The corpus, already lower-cased and split (the original: text8). */
  textWords?: string[];
  /** The original: 3000000. */
  numSteps?: number;
  /** The original: 10000 / 200000. */
  displayStep?: number;
  evalStep?: number;
  /** The original: 200 / 50000 / 10 / 64 (reduced for small corpora). */
  embeddingSize?: number;
  maxVocabularySize?: number;
  minOccurrence?: number;
  numSampled?: number;
  /** The original: ['five', 'of', 'going', 'hardware', 'american', 'britain']. */
  evalWords?: string[];
  /** Seed of the generator standing in for Python's random.sample. */
  seed?: number;
  /** Where the original's prints go (none by default). */
  log?: (line: string) => void;
}

export interface Word2VecResult {
  vocabularySize: number;
  /** [word, count] with UNK's count first, as the original's `count`. */
  count: [string, number][];
  word2id: Map<string, number>;
  /** The loss of every step. */
  losses: number[];
  /** The first batch (inputs and labels), as next_batch made it. */
  firstBatch: { batch: Int32Array; labels: Int32Array };
  /** The last evaluation's similarity matrix [evalWords, vocabulary] and the final embedding. */
  sim: tf.NDArray;
  embedding: tf.NDArray;
  /** The 8 nearest neighbours of each eval word at the last evaluation. */
  nearest: Record<string, string[]>;
}

/** A seeded synthetic corpus: sentences drawn from a few topics, so related words share contexts. */
export function syntheticCorpus(nWords: number, seed = 1): string[] {
  const topics = [
    ['five', 'four', 'six', 'seven', 'three', 'eight', 'nine', 'two'],
    ['hardware', 'software', 'computer', 'processor', 'memory', 'disk', 'chip', 'device'],
    ['american', 'british', 'french', 'german', 'italian', 'spanish', 'russian', 'dutch'],
    ['britain', 'france', 'germany', 'italy', 'spain', 'russia', 'england', 'america'],
    ['going', 'coming', 'walking', 'running', 'moving', 'driving', 'flying', 'riding'],
  ];
  const glue = ['the', 'of', 'and', 'in', 'a', 'to', 'is', 'was'];
  const rand = mulberry32(seed);
  const pick = <T>(a: T[]): T => a[Math.floor(rand() * a.length)] as T;
  const words: string[] = [];
  while (words.length < nWords) {
    const topic = pick(topics);
    for (let i = 0; i < 6; i++) words.push(rand() < 0.6 ? pick(topic) : pick(glue));
  }
  return words.slice(0, nWords);
}

export function runWord2Vec(options: Word2VecOptions = {}): Word2VecResult {
  const {
    textWords = syntheticCorpus(200000),
    numSteps = 3000000,
    displayStep = 10000,
    evalStep = 200000,
    embeddingSize = 200, // Dimension of the embedding vector
    maxVocabularySize = 50000, // Total number of different words in the vocabulary
    minOccurrence = 10, // Remove all words that does not appears at least n times
    numSampled = 64, // Number of negative examples to sample
    evalWords = ['five', 'of', 'going', 'hardware', 'american', 'britain'],
    seed = 1,
    log = () => undefined,
  } = options;
  tf.resetDefaultGraph();
  const rand = mulberry32(seed);

  // Training Parameters
  const learningRate = 0.1;
  const batchSize = 128;

  // Word2Vec Parameters
  const skipWindow = 3; // How many words to consider left and right
  const numSkips = 2; // How many times to reuse an input to generate a label

  // Build the dictionary and replace rare words with UNK token
  const count: [string, number][] = [['UNK', -1]];
  // Retrieve the most common words (collections.Counter.most_common: by count, ties in first-seen order)
  const counter = new Map<string, number>();
  for (const w of textWords) counter.set(w, (counter.get(w) ?? 0) + 1);
  count.push(
    ...[...counter.entries()]
      .map((e, i) => [e, i] as const)
      .sort((a, b) => b[0][1] - a[0][1] || a[1] - b[1])
      .slice(0, maxVocabularySize - 1)
      .map(([e]) => e),
  );
  // Remove samples with less than 'min_occurrence' occurrences
  for (let i = count.length - 1; i >= 0; i--) {
    if ((count[i] as [string, number])[1] < minOccurrence) {
      count.pop();
    } else {
      // The collection is ordered, so stop when 'min_occurrence' is reached
      break;
    }
  }
  // Compute the vocabulary size
  const vocabularySize = count.length;
  // Assign an id to each word
  const word2id = new Map<string, number>();
  count.forEach(([word], i) => word2id.set(word, i));

  const data: number[] = [];
  let unkCount = 0;
  for (const word of textWords) {
    // Retrieve a word id, or assign it index 0 ('UNK') if not in dictionary
    const index = word2id.get(word) ?? 0;
    if (index === 0) unkCount += 1;
    data.push(index);
  }
  count[0] = ['UNK', unkCount];
  const id2word = new Map([...word2id.entries()].map(([w, i]) => [i, w]));

  log(`Words count: ${textWords.length}`);
  log(`Unique words: ${counter.size}`);
  log(`Vocabulary size: ${vocabularySize}`);
  log(`Most common words: ${JSON.stringify(count.slice(0, 10))}`);

  let dataIndex = 0;
  // Generate training batch for the skip-gram model
  function nextBatch(batchSize: number, numSkips: number, skipWindow: number): [Int32Array, Int32Array] {
    if (batchSize % numSkips !== 0) throw new Error('assert batch_size % num_skips == 0');
    if (numSkips > 2 * skipWindow) throw new Error('assert num_skips <= 2 * skip_window');
    const batch = new Int32Array(batchSize);
    const labels = new Int32Array(batchSize); // shape (batch_size, 1)
    // get window size (words left and right + current one)
    const span = 2 * skipWindow + 1;
    const buffer: number[] = []; // collections.deque(maxlen=span)
    const append = (w: number) => {
      buffer.push(w);
      if (buffer.length > span) buffer.shift();
    };
    if (dataIndex + span > data.length) dataIndex = 0;
    data.slice(dataIndex, dataIndex + span).forEach(append);
    dataIndex += span;
    for (let i = 0; i < Math.floor(batchSize / numSkips); i++) {
      const contextWords = Array.from({ length: span }, (_, w) => w).filter((w) => w !== skipWindow);
      // random.sample(context_words, num_skips)
      const wordsToUse: number[] = [];
      const pool = [...contextWords];
      for (let k = 0; k < numSkips; k++)
        wordsToUse.push(pool.splice(Math.floor(rand() * pool.length), 1)[0] as number);
      wordsToUse.forEach((contextWord, j) => {
        batch[i * numSkips + j] = buffer[skipWindow] as number;
        labels[i * numSkips + j] = buffer[contextWord] as number;
      });
      if (dataIndex === data.length) {
        data.slice(0, span).forEach(append);
        dataIndex = span;
      } else {
        append(data[dataIndex] as number);
        dataIndex += 1;
      }
    }
    // Backtrack a little bit to avoid skipping words in the end of a batch
    dataIndex = (dataIndex + data.length - span) % data.length;
    return [batch, labels];
  }

  // Input data
  const X = tf.placeholder(tf.int32, { shape: [null] });
  // Input label
  const Y = tf.placeholder(tf.int32, { shape: [null, 1] });

  // Ensure the following ops & var are assigned on CPU
  // (some ops are not compatible on GPU)
  const [embedding, XEmbed, nceWeights, nceBiases] = tf.device('/cpu:0', () => {
    // Create the embedding variable (each row represent a word embedding vector)
    const embedding = new tf.Variable(tf.randomNormal([vocabularySize, embeddingSize]));
    // Lookup the corresponding embedding vectors for each sample in X
    const XEmbed = tf.nn.embeddingLookup(embedding, X);

    // Construct the variables for the NCE loss
    const nceWeights = new tf.Variable(tf.randomNormal([vocabularySize, embeddingSize]));
    const nceBiases = new tf.Variable(tf.zeros([vocabularySize]));
    return [embedding, XEmbed, nceWeights, nceBiases] as const;
  });

  // Compute the average NCE loss for the batch
  const lossOp = tf.reduceMean(
    tf.nn.nceLoss({
      weights: nceWeights,
      biases: nceBiases,
      labels: Y,
      inputs: XEmbed,
      numSampled: numSampled,
      numClasses: vocabularySize,
    }),
  );

  // Define the optimizer
  const optimizer = new tf.train.GradientDescentOptimizer(learningRate);
  const trainOp = optimizer.minimize(lossOp);

  // Evaluation
  // Compute the cosine similarity between input data embedding and every embedding vectors
  const XEmbedNorm = tf.divide(XEmbed, tf.sqrt(tf.reduceSum(tf.square(XEmbed))));
  const embeddingNorm = tf.divide(
    embedding,
    tf.sqrt(tf.reduceSum(tf.square(embedding), 1, { keepdims: true })),
  );
  const cosineSimOp = tf.matmul(XEmbedNorm, embeddingNorm, { transposeB: true });

  // Initialize the variables (i.e. assign their default value)
  const init = tf.globalVariablesInitializer();

  const losses: number[] = [];
  let firstBatch: { batch: Int32Array; labels: Int32Array } | undefined;
  let sim: tf.NDArray | undefined;
  let embeddingValue: tf.NDArray | undefined;
  const nearestWords: Record<string, string[]> = {};
  const sess = new tf.Session();
  try {
    // Run the initializer
    sess.run(init);

    // Testing data
    const xTest = evalWords.map((w) => {
      const id = word2id.get(w);
      if (id === undefined) throw new Error(`KeyError: '${w}'`);
      return id;
    });

    let averageLoss = 0;
    for (let step = 1; step <= numSteps; step++) {
      // Get a new batch of data
      const [batchX, batchY] = nextBatch(batchSize, numSkips, skipWindow);
      firstBatch ??= { batch: batchX, labels: batchY };
      // Run training op
      const [, loss] = sess.run(
        [trainOp, lossOp],
        new Map([
          [X, tf.ndarray(batchX, [batchSize], 'int32')],
          [Y, tf.ndarray(batchY, [batchSize, 1], 'int32')],
        ]),
      );
      losses.push(loss?.item() as number);
      averageLoss += loss?.item() as number;

      if (step % displayStep === 0 || step === 1) {
        if (step > 1) averageLoss /= displayStep;
        log(`Step ${step}, Average Loss= ${averageLoss.toFixed(4)}`);
        averageLoss = 0;
      }

      // Evaluation
      if (step % evalStep === 0 || step === 1) {
        log('Evaluation...');
        sim = sess.run(cosineSimOp, new Map([[X, xTest]]));
        for (let i = 0; i < evalWords.length; i++) {
          const topK = 8; // number of nearest neighbors
          const row = Array.from(sim.data.subarray(i * vocabularySize, (i + 1) * vocabularySize));
          // (-sim[i, :]).argsort()[1:top_k + 1]
          const order = row.map((v, j) => [-v, j] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          const nearest = order.slice(1, topK + 1).map(([, j]) => j);
          nearestWords[evalWords[i] as string] = nearest.map((k) => id2word.get(k) as string);
          log(`"${evalWords[i]}" nearest neighbors: ${nearestWords[evalWords[i] as string]?.join(', ')},`);
        }
      }
    }
    embeddingValue = sess.run(embedding);
  } finally {
    sess.close();
  }
  return {
    vocabularySize,
    count,
    word2id,
    losses,
    firstBatch: firstBatch as { batch: Int32Array; labels: Int32Array },
    sim: sim as tf.NDArray,
    embedding: embeddingValue as tf.NDArray,
    nearest: nearestWords,
  };
}

if (require.main === module) {
  const numSteps = Number(process.argv[2] ?? 3000000);
  runWord2Vec({
    numSteps,
    displayStep: Math.min(10000, Math.max(1, Math.floor(numSteps / 10))),
    evalStep: Math.min(200000, numSteps),
    embeddingSize: 50,
    numSampled: 16, // below the synthetic vocabulary's 49 words (TF1: "Sampler's range is too small")
    log: (line) => console.log(line),
  });
}
