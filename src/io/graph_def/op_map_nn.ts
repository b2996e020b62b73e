import type { Tensor } from '../../graph/tensor';
import * as m from '../../ops/math';
import { pad } from '../../ops/array';
import { matmul } from '../../ops/linalg/matmul';
import { conv2d, conv2dBackpropInput } from '../../nn/conv2d';
import { depthwiseConv2dNative } from '../../nn/depthwise_conv2d';
import { maxPool, avgPool } from '../../nn/pool';
import { biasAdd } from '../../nn/bias_add';
import { fusedBatchNorm } from '../../nn/batch_norm';
import { prelu } from '../../ops/math/prelu';
import { leakyRelu, selu } from '../../nn/activations';
import { resizeBilinear, resizeNearestNeighbor } from '../../ops/image/resize';
import { nonMaxSuppressionV5 } from '../../ops/image/nms';
import type { OpContext, OpMapper } from './context';

type Format = 'NHWC' | 'NCHW';

function dataFormat(c: OpContext): Format {
  const f = c.attrs.str('data_format', 'NHWC');
  if (f !== 'NHWC' && f !== 'NCHW') return c.fail(`attr 'data_format' '${f}' is not NHWC or NCHW`);
  return f;
}

/** Padding 'SAME'/'VALID', or 'EXPLICIT' (zero padding from `explicit_paddings`, then 'VALID'). */
function convPadding(c: OpContext, x: Tensor, format: Format): [Tensor, 'SAME' | 'VALID'] {
  const p = c.attrs.str('padding');
  const explicit = c.attrs.ints('explicit_paddings', []);
  if (p === 'SAME' || p === 'VALID') {
    if (explicit.length) return c.fail(`attr 'explicit_paddings' is given with padding '${p}'`);
    return [x, p];
  }
  if (p !== 'EXPLICIT') return c.fail(`attr 'padding' '${p}' is not SAME, VALID or EXPLICIT`);
  if (explicit.length !== 8)
    return c.fail(`attr 'explicit_paddings' must have 8 values, got ${explicit.length}`);
  const pairs = [0, 1, 2, 3].map((i) => [explicit[2 * i] as number, explicit[2 * i + 1] as number]);
  const spatial = format === 'NHWC' ? [1, 2] : [2, 3];
  pairs.forEach(([a, b], i) => {
    if (!spatial.includes(i) && (a !== 0 || b !== 0)) c.fail('explicit padding of the batch or channel axis');
  });
  return [pad(x, pairs, 'CONSTANT', `${c.name}_explicit_pad`), 'VALID'];
}

function poolPadding(c: OpContext): 'SAME' | 'VALID' {
  const p = c.attrs.str('padding');
  if (c.attrs.ints('explicit_paddings', []).length || (p !== 'SAME' && p !== 'VALID'))
    return c.fail(`pool padding '${p}' is not supported (only SAME and VALID)`);
  return p;
}

type Conv = (x: Tensor, w: Tensor, name: string) => Tensor;

function convOf(c: OpContext, depthwise: boolean): Conv {
  const format = dataFormat(c);
  const strides = c.attrs.ints('strides');
  const dilations = c.attrs.ints('dilations', [1, 1, 1, 1]);
  c.attrs.accept('use_cudnn_on_gpu');
  return (x0, w, name) => {
    const [x, padding] = convPadding(c, x0, format);
    return depthwise
      ? depthwiseConv2dNative(x, w, strides, padding, format, dilations, name)
      : conv2d(x, w, { strides, padding, dataFormat: format, dilations, name });
  };
}

/** The activation that may end a fused op (`fused_ops[1]`), applied under `name`. */
export function activation(
  c: OpContext,
  kind: string,
  x: Tensor,
  alpha: Tensor | undefined,
  name: string,
): Tensor {
  switch (kind) {
    case 'Relu':
      return m.relu(x, name);
    case 'Relu6':
      return m.relu6(x, name);
    case 'Elu':
      return m.elu(x, name);
    case 'Selu':
      return selu(x, name);
    case 'Sigmoid':
      return m.sigmoid(x, name);
    case 'Tanh':
      return m.tanh(x, name);
    case 'LeakyRelu':
      return leakyRelu(x, c.attrs.float('leakyrelu_alpha', 0.2), name);
    case 'Prelu':
      return prelu(x, alpha as Tensor, name);
    default:
      return c.fail(`fused activation '${kind}' is not supported`);
  }
}

/**
 * Grappler's fused ops (`_FusedConv2D`, `FusedDepthwiseConv2dNative`, `_FusedMatMul`) split back into
 * their parts: the core op on inputs 0 and 1, then `fused_ops` in order on the `num_args` extra inputs:
 * `BiasAdd` (bias) or `FusedBatchNorm` (scale, offset, mean, variance with attr `epsilon`), then an
 * optional activation (`Prelu` takes one more argument, its alpha).
 */
function fused(
  core: (c: OpContext) => (x: Tensor, w: Tensor, name: string) => Tensor,
  format: boolean,
): OpMapper {
  return (c) => {
    const ops = c.attrs.strs('fused_ops');
    const numArgs = c.attrs.int('num_args');
    const args = c.inputs.slice(2);
    if (args.length !== numArgs)
      return c.fail(`num_args is ${numArgs} but the node has ${args.length} extra inputs`);
    const [first, act, ...rest] = ops;
    if (rest.length) return c.fail(`fused_ops [${ops.join(', ')}] has more than two parts`);
    if (first !== 'BiasAdd' && first !== 'FusedBatchNorm')
      return c.fail(
        `fused_ops [${ops.join(', ')}] is not supported (it must start with BiasAdd or FusedBatchNorm)`,
      );
    const fmt = format ? dataFormat(c) : 'NHWC';
    const want = (first === 'FusedBatchNorm' ? 4 : first === 'BiasAdd' ? 1 : NaN) + (act === 'Prelu' ? 1 : 0);
    if (want !== numArgs)
      return c.fail(`fused_ops [${ops.join(', ')}] needs ${want} extra inputs, num_args is ${numArgs}`);
    const y0 = core(c)(
      c.input(0),
      c.input(1),
      act === undefined && first === 'BiasAdd' ? `${c.name}_core` : `${c.name}_core`,
    );
    let y: Tensor;
    const last = act === undefined;
    const partName = last ? c.name : `${c.name}_${first === 'BiasAdd' ? 'bias' : 'bn'}`;
    if (first === 'BiasAdd') {
      c.attrs.accept('epsilon');
      y = biasAdd(y0, args[0] as Tensor, fmt, partName);
    } else {
      const eps = c.attrs.float('epsilon', 0.0001);
      y = fusedBatchNorm(y0, args[0] as Tensor, args[1] as Tensor, args[2] as Tensor, args[3] as Tensor, {
        epsilon: eps,
        dataFormat: fmt,
        isTraining: false,
        name: partName,
      })[0];
    }
    if (last) return y;
    c.attrs.accept('leakyrelu_alpha');
    return activation(c, act, y, args[args.length - 1], c.name);
  };
}

function pool(f: typeof maxPool): OpMapper {
  return (c) =>
    f(c.input(0), c.attrs.ints('ksize'), c.attrs.ints('strides'), poolPadding(c), dataFormat(c), c.name);
}

function batchNorm(c: OpContext): Tensor[] {
  if (c.attrs.bool('is_training', true))
    return c.fail(
      'is_training true (batch statistics) is not supported on import; freeze the graph for inference',
    );
  c.attrs.accept('U', 'exponential_avg_factor');
  const [x, scale, offset, mean, variance] = [0, 1, 2, 3, 4].map((i) => c.input(i)) as Tensor[];
  const y = fusedBatchNorm(
    x as Tensor,
    scale as Tensor,
    offset as Tensor,
    mean as Tensor,
    variance as Tensor,
    {
      epsilon: c.attrs.float('epsilon', 0.0001),
      dataFormat: dataFormat(c),
      isTraining: false,
      name: c.name,
    },
  )[0];
  return [y];
}

export const NN_OPS: Readonly<Record<string, OpMapper>> = {
  Conv2D: (c) => convOf(c, false)(c.input(0), c.input(1), c.name),
  DepthwiseConv2dNative: (c) => convOf(c, true)(c.input(0), c.input(1), c.name),
  _FusedConv2D: fused((c) => convOf(c, false), true),
  FusedDepthwiseConv2dNative: fused((c) => convOf(c, true), true),
  _FusedMatMul: fused((c) => {
    const [ta, tb] = [c.attrs.bool('transpose_a', false), c.attrs.bool('transpose_b', false)];
    return (a, b, name) => matmul(a, b, { transposeA: ta, transposeB: tb, name });
  }, false),
  // The transposed convolution (Keras Conv2DTranspose): inputs input_sizes, filter, out_backprop.
  Conv2DBackpropInput: (c) => {
    const p = c.attrs.str('padding');
    if (p !== 'SAME' && p !== 'VALID')
      return c.fail(`attr 'padding' '${p}' is not supported (SAME or VALID)`);
    if (c.attrs.ints('explicit_paddings', []).length)
      return c.fail("attr 'explicit_paddings' is not supported");
    c.attrs.accept('use_cudnn_on_gpu');
    return conv2dBackpropInput(c.value(0), c.input(1), c.input(2), c.attrs.ints('strides'), p, {
      dataFormat: dataFormat(c),
      dilations: c.attrs.ints('dilations', [1, 1, 1, 1]),
      name: c.name,
    });
  },
  BiasAdd: (c) => biasAdd(c.input(0), c.input(1), dataFormat(c), c.name),
  BiasAddV1: (c) => biasAdd(c.input(0), c.input(1), 'NHWC', c.name),
  MaxPool: pool(maxPool),
  AvgPool: pool(avgPool),
  FusedBatchNorm: batchNorm,
  FusedBatchNormV2: batchNorm,
  FusedBatchNormV3: batchNorm,
  Prelu: (c) => prelu(c.input(0), c.input(1), c.name),
  NonMaxSuppressionV5: (c) =>
    nonMaxSuppressionV5(c.input(0), c.input(1), c.input(2), c.input(3), c.input(4), c.input(5), {
      padToMaxOutputSize: c.attrs.bool('pad_to_max_output_size', false),
      name: c.name,
    }),
  ResizeBilinear: resize(resizeBilinear),
  ResizeNearestNeighbor: resize(resizeNearestNeighbor),
};

function resize(f: typeof resizeBilinear): OpMapper {
  return (c) =>
    f(c.input(0), c.value(1), {
      alignCorners: c.attrs.bool('align_corners', false),
      halfPixelCenters: c.attrs.bool('half_pixel_centers', false),
      name: c.name,
    });
}
