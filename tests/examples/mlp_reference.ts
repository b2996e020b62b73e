// An independent float64 reference for the classic programs' ReLU MLPs (x·W + b, ReLU on every layer but
// the last, mean softmax cross-entropy): forward pass, backpropagation and one GradientDescent step.

export interface Mlp {
  W: Float32Array[];
  b: Float32Array[];
  dims: number[];
}

/** Forward pass of one row: relu(x·W1 + b1) → … → ·Wn + bn (no ReLU on the last layer), float64. */
export function forward(m: Mlp, x: ArrayLike<number>): Float64Array[] {
  const acts: Float64Array[] = [Float64Array.from(x)];
  const layers = m.W.length;
  for (let l = 0; l < layers; l++) {
    const inp = acts[l] as Float64Array;
    const nIn = m.dims[l] as number;
    const nOut = m.dims[l + 1] as number;
    const W = m.W[l] as Float32Array;
    const out = Float64Array.from(m.b[l] as Float32Array);
    for (let i = 0; i < nIn; i++) {
      const v = inp[i] as number;
      if (v === 0) continue;
      for (let o = 0; o < nOut; o++) out[o] = (out[o] as number) + v * (W[i * nOut + o] as number);
    }
    if (l < layers - 1) for (let o = 0; o < nOut; o++) out[o] = Math.max(0, out[o] as number);
    acts.push(out);
  }
  return acts;
}

/**
 * Mean sparse softmax cross-entropy (labels: class indices), argmax hits, the gradients, the sums of the
 * hidden layers' ReLU outputs, and the GradientDescent(lr) step.
 */
export function replay(m: Mlp, images: Float32Array, labels: Int32Array, lr: number) {
  const n = labels.length;
  const gW = m.W.map((w) => new Float64Array(w.length));
  const gb = m.b.map((b) => new Float64Array(b.length));
  const layers = m.W.length;
  const depth = m.dims[0] as number;
  const actSums = new Float64Array(layers - 1);
  let loss = 0;
  let correct = 0;
  for (let r = 0; r < n; r++) {
    const acts = forward(m, images.subarray(r * depth, (r + 1) * depth));
    for (let l = 1; l < layers; l++)
      actSums[l - 1] = (actSums[l - 1] as number) + (acts[l] as Float64Array).reduce((a, v) => a + v, 0);
    const logits = acts[layers] as Float64Array;
    const mx = Math.max(...logits);
    const e = Array.from(logits, (v) => Math.exp(v - mx));
    const s = e.reduce((a, v) => a + v, 0);
    const label = labels[r] as number;
    loss -= Math.log((e[label] as number) / s) / n;
    if (logits.indexOf(mx) === label) correct++;
    let d = Float64Array.from(e, (v, k) => (v / s - (k === label ? 1 : 0)) / n);
    for (let l = layers - 1; l >= 0; l--) {
      const nIn = m.dims[l] as number;
      const nOut = m.dims[l + 1] as number;
      const inp = acts[l] as Float64Array;
      const W = m.W[l] as Float32Array;
      const g = gW[l] as Float64Array;
      const gbl = gb[l] as Float64Array;
      for (let o = 0; o < nOut; o++) gbl[o] = (gbl[o] as number) + (d[o] as number);
      const dIn = new Float64Array(nIn);
      for (let i = 0; i < nIn; i++) {
        const v = inp[i] as number;
        let acc = 0;
        for (let o = 0; o < nOut; o++) {
          if (v !== 0) g[i * nOut + o] = (g[i * nOut + o] as number) + v * (d[o] as number);
          acc += (W[i * nOut + o] as number) * (d[o] as number);
        }
        dIn[i] = l > 0 && v > 0 ? acc : 0; // ReLU of the layer below passes the gradient where its output > 0
      }
      d = dIn;
    }
  }
  const W1 = m.W.map((w, l) =>
    Float64Array.from(w, (v, i) => v - lr * ((gW[l] as Float64Array)[i] as number)),
  );
  const b1 = m.b.map((b, l) =>
    Float64Array.from(b, (v, i) => v - lr * ((gb[l] as Float64Array)[i] as number)),
  );
  return { loss, correct, W1, b1, gW, gb, actSums };
}
