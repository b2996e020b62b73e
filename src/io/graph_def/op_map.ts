import type { Tensor } from '../../graph/tensor';
import * as m from '../../ops/math';
import * as arr from '../../ops/array';
import * as red from '../../ops/reduce';
import { fill, shape, size, rank } from '../../ops/fill';
import { placeholder } from '../../ops/state/placeholder';
import { identity, noOp, stopGradient } from '../../ops/control/basic';
import { matmul } from '../../ops/linalg/matmul';
import { softmax, logSoftmax } from '../../nn/softmax';
import { leakyRelu, selu } from '../../nn/activations';
import { topK, inTopK } from '../../nn/top_k';
import { l2Loss } from '../../nn/l2_loss';
import { gatherNd } from '../../ops/array/gather_nd';
import type { OpContext, OpMapper } from './context';
import { NN_OPS, activation } from './op_map_nn';

type Binary = (x: Tensor, y: Tensor, name?: string) => Tensor;
type Unary = (x: Tensor, name?: string) => Tensor;

const binary =
  (f: Binary): OpMapper =>
  (c) =>
    f(c.input(0), c.input(1), c.name);
const unary =
  (f: Unary): OpMapper =>
  (c) =>
    f(c.input(0), c.name);

/** TF's SelectV2: `where` with NumPy broadcasting of condition, x and y. */
function selectV2(c: OpContext): Tensor {
  const [cond, x, y] = [c.input(0), c.input(1), c.input(2)];
  if (x.dtype === 'bool') return c.fail('SelectV2 of bool values is not supported');
  const zeros = arr.zerosLike(m.add(m.add(m.cast(cond, x.dtype), arr.zerosLike(x)), arr.zerosLike(y)));
  const condB = m.cast(m.add(m.cast(cond, 'int32'), m.cast(zeros, 'int32')), 'bool');
  return m.where(condB, m.add(x, zeros), m.add(y, zeros), c.name);
}

function reduction(
  f: (x: Tensor, o: { axis: number[]; keepdims: boolean; name: string }) => Tensor,
): OpMapper {
  return (c) => f(c.input(0), { axis: c.ints(1), keepdims: c.attrs.bool('keep_dims', false), name: c.name });
}

function argExtremum(f: typeof red.argmax): OpMapper {
  return (c) => {
    const axis = c.ints(1);
    if (axis.length !== 1) return c.fail('the dimension must be a scalar');
    return f(c.input(0), {
      axis: axis[0] as number,
      name: c.name,
      outputType: c.attrs.dtype('output_type', 'int32'),
    });
  };
}

/** TF op type → builder. The one place that lists what a GraphDef may contain. */
export const OP_MAP: Readonly<Record<string, OpMapper>> = {
  Const: (c) => {
    c.attrs.accept('value', 'dtype');
    return c.makeConst();
  },
  Placeholder: (c) =>
    placeholder(c.attrs.dtype('dtype'), c.attrs.has('shape') ? c.attrs.shape('shape') : null, c.name),
  PlaceholderWithDefault: (c) => {
    // A fed value replaces the default (TF1); otherwise the default flows through.
    c.attrs.accept('dtype');
    const want = c.attrs.shape('shape');
    const d = c.input(0);
    if (want !== null && d.shape !== null && want.length !== d.shape.length)
      return c.fail(`shape [${want}] does not match the default's rank ${d.shape.length}`);
    return identity(d, c.name);
  },
  Identity: unary(identity as Unary),
  IdentityN: (c) => c.inputs.map((t, i) => identity(t, i === 0 ? c.name : `${c.name}_${i}`)),
  Snapshot: unary(identity as Unary),
  StopGradient: unary(stopGradient as Unary),
  NoOp: (c) => noOp(c.name),
  Add: binary(m.add),
  AddV2: binary(m.add),
  Sub: binary(m.subtract),
  Mul: binary(m.multiply),
  RealDiv: binary(m.truediv),
  Div: (c) => {
    if (c.input(0).dtype !== 'float32')
      return c.fail('integer Div (C-style truncation) is not supported; use FloorDiv');
    return m.truediv(c.input(0), c.input(1), c.name);
  },
  FloorDiv: binary(m.floordiv),
  FloorMod: binary(m.floormod),
  Reciprocal: unary(m.reciprocal),
  Inv: unary(m.reciprocal),
  Maximum: binary(m.maximum),
  Minimum: binary(m.minimum),
  Pow: binary(m.pow),
  SquaredDifference: binary(m.squaredDifference),
  Equal: (c) => {
    if (!c.attrs.bool('incompatible_shape_error', true))
      return c.fail("attr 'incompatible_shape_error' false is not supported");
    return m.equal(c.input(0), c.input(1), c.name);
  },
  NotEqual: (c) => {
    if (!c.attrs.bool('incompatible_shape_error', true))
      return c.fail("attr 'incompatible_shape_error' false is not supported");
    return m.notEqual(c.input(0), c.input(1), c.name);
  },
  Less: binary(m.less),
  LessEqual: binary(m.lessEqual),
  Greater: binary(m.greater),
  GreaterEqual: binary(m.greaterEqual),
  LogicalAnd: binary(m.logicalAnd),
  LogicalOr: binary(m.logicalOr),
  LogicalNot: unary(m.logicalNot),
  Rsqrt: unary(m.rsqrt),
  Sqrt: unary(m.sqrt),
  Exp: unary(m.exp),
  Log: unary(m.log),
  Log1p: unary(m.log1p),
  Neg: unary(m.negative),
  Abs: unary(m.abs),
  Square: unary(m.square),
  Tanh: unary(m.tanh),
  Sigmoid: unary(m.sigmoid),
  Relu: unary(m.relu),
  Relu6: unary(m.relu6),
  Elu: unary(m.elu),
  Selu: unary(selu as Unary),
  Softplus: unary(m.softplus),
  LeakyRelu: (c) => leakyRelu(c.input(0), c.attrs.float('alpha', 0.2), c.name),
  Floor: unary(m.floor),
  Ceil: unary(m.ceil),
  Round: unary(m.round),
  Sign: unary(m.sign),
  Sin: unary(m.sin),
  Cos: unary(m.cos),
  Select: (c) => m.where(c.input(0), c.input(1), c.input(2), c.name),
  SelectV2: selectV2,
  Cast: (c) => {
    c.attrs.accept('SrcT');
    if (
      c.attrs.bool('Truncate', false) &&
      c.input(0).dtype === 'float32' &&
      c.attrs.dtype('DstT') === 'float32'
    )
      return identity(c.input(0), c.name);
    return m.cast(c.input(0), c.attrs.dtype('DstT'), c.name);
  },
  AddN: (c) => arr.addN([...c.inputs], c.name),
  MatMul: (c) =>
    matmul(c.input(0), c.input(1), {
      transposeA: c.attrs.bool('transpose_a', false),
      transposeB: c.attrs.bool('transpose_b', false),
      name: c.name,
    }),
  BatchMatMul: (c) =>
    matmul(c.input(0), c.input(1), {
      transposeA: c.attrs.bool('adj_x', false),
      transposeB: c.attrs.bool('adj_y', false),
      name: c.name,
    }),
  BatchMatMulV2: (c) =>
    matmul(c.input(0), c.input(1), {
      transposeA: c.attrs.bool('adj_x', false),
      transposeB: c.attrs.bool('adj_y', false),
      name: c.name,
    }),
  Reshape: (c) => arr.reshape(c.input(0), c.value(1), c.name),
  Squeeze: (c) => {
    const dims = c.attrs.ints('squeeze_dims', []);
    return arr.squeeze(c.input(0), dims.length ? dims : null, c.name);
  },
  ExpandDims: (c) => {
    const dim = c.constant(1) ? c.ints(1) : null; // a scalar or a 1-element vector
    if (dim && dim.length !== 1) return c.fail(`dim must hold one value, got [${dim}]`);
    return arr.expandDims(c.input(0), dim ? (dim[0] as number) : c.input(1), c.name);
  },
  ConcatV2: (c) => {
    const n = c.inputs.length - 1;
    return arr.concat(c.inputs.slice(0, n), c.value(n), c.name);
  },
  Concat: (c) => arr.concat(c.inputs.slice(1), c.value(0), c.name),
  Pack: (c) => arr.stack([...c.inputs], c.attrs.int('axis', 0), c.name),
  Unpack: (c) => arr.unstack(c.input(0), c.attrs.int('num'), c.attrs.int('axis', 0), c.name),
  Split: (c) => arr.split(c.input(1), c.attrs.int('num_split'), c.value(0), null, c.name),
  SplitV: (c) => {
    c.attrs.accept('num_split');
    return arr.split(c.input(0), c.value(1), c.value(2), null, c.name);
  },
  Slice: (c) => arr.slice(c.input(0), c.value(1), c.value(2), c.name),
  StridedSlice: (c) =>
    arr.stridedSlice(c.input(0), c.value(1), c.value(2), c.value(3), {
      beginMask: c.attrs.int('begin_mask', 0),
      endMask: c.attrs.int('end_mask', 0),
      ellipsisMask: c.attrs.int('ellipsis_mask', 0),
      newAxisMask: c.attrs.int('new_axis_mask', 0),
      shrinkAxisMask: c.attrs.int('shrink_axis_mask', 0),
      name: c.name,
    }),
  Transpose: (c) => arr.transpose(c.input(0), c.value(1), c.name),
  Pad: (c) => arr.pad(c.input(0), c.value(1), 'CONSTANT', c.name),
  PadV2: (c) => arr.pad(c.input(0), c.value(1), 'CONSTANT', c.name, c.input(2)),
  MirrorPad: (c) => {
    const mode = c.attrs.str('mode');
    if (mode !== 'REFLECT' && mode !== 'SYMMETRIC')
      return c.fail(`attr 'mode' '${mode}' is not REFLECT or SYMMETRIC`);
    return arr.pad(c.input(0), c.value(1), mode, c.name);
  },
  Tile: (c) => arr.tile(c.input(0), c.value(1), c.name),
  Fill: (c) => fill(c.value(0) as number[], c.input(1), c.name),
  Range: (c) => arr.range(c.input(0), c.input(1), c.input(2), null, c.name),
  Shape: (c) => shape(c.input(0), c.name, c.attrs.dtype('out_type', 'int32') as 'int32'),
  Size: (c) => size(c.input(0), c.name, c.attrs.dtype('out_type', 'int32') as 'int32'),
  Rank: (c) => rank(c.input(0), c.name),
  GatherV2: (c) =>
    arr.gather(c.input(0), c.input(1), {
      axis: c.value(2),
      batchDims: c.attrs.int('batch_dims', 0),
      name: c.name,
    }),
  GatherNd: (c) => gatherNd(c.input(0), c.input(1), c.name),
  Mean: reduction(red.reduceMean),
  Sum: reduction(red.reduceSum),
  Max: reduction(red.reduceMax),
  Min: reduction(red.reduceMin),
  Prod: reduction(red.reduceProd),
  ArgMax: argExtremum(red.argmax),
  ArgMin: argExtremum(red.argmin),
  Softmax: unary((x, name) => softmax(x, { name })),
  LogSoftmax: unary((x, name) => logSoftmax(x, { name })),
  TopKV2: (c) => topK(c.input(0), c.value(1), c.attrs.bool('sorted', true), c.name),
  OneHot: (c) => {
    const axis = c.attrs.int('axis', -1);
    return arr.oneHot(
      c.input(0),
      c.value(1),
      c.input(2),
      c.input(3),
      axis === -1 ? null : axis,
      null,
      c.name,
    );
  },
  ReverseV2: (c) => arr.reverseV2(c.input(0), c.value(1), c.name),
  ClipByValue: (c) => m.clipByValue(c.input(0), c.input(1), c.input(2), c.name),
  L2Loss: unary(l2Loss as Unary),
  InTopKV2: (c) => inTopK(c.input(0), c.input(1), c.value(2), c.name),
  Where: (c) => m.where(c.input(0), null, null, c.name),
  ZerosLike: unary(arr.zerosLike as Unary),
  OnesLike: unary(arr.onesLike as Unary),
  ...NN_OPS,
};

export { activation };
