import type { DType } from '../../graph/dtype';
import { defineElementwise } from '../elementwise';
import type { InferContext } from '../op_def';

/**
 * The elementwise primitives as scalar formulas (SPEC §6). A `grads` entry replaces the symbolic
 * derivative where it is unstable or undefined (in terms of dy, the inputs and `out`, the op's output).
 */
const FLOAT: DType[] = ['float32'];
const NUMERIC: DType[] = ['float32', 'int32'];
const BOOL: DType[] = ['bool'];

defineElementwise({ type: 'Add', defaultName: 'add', vars: ['x', 'y'], formula: 'x + y', allowed: NUMERIC });
defineElementwise({ type: 'Sub', defaultName: 'sub', vars: ['x', 'y'], formula: 'x - y', allowed: NUMERIC });
defineElementwise({ type: 'Mul', defaultName: 'mul', vars: ['x', 'y'], formula: 'x * y', allowed: NUMERIC });
defineElementwise({
  type: 'RealDiv',
  defaultName: 'truediv',
  vars: ['x', 'y'],
  formula: 'x / y',
  allowed: NUMERIC,
});
defineElementwise({ type: 'Neg', vars: ['x'], formula: '-x', allowed: NUMERIC });
defineElementwise({
  type: 'Abs',
  vars: ['x'],
  formula: 'abs(x)',
  allowed: NUMERIC,
  grads: { x: 'dy * sign(x)' },
});
defineElementwise({ type: 'Square', vars: ['x'], formula: 'x * x', allowed: NUMERIC });
defineElementwise({
  type: 'Sqrt',
  vars: ['x'],
  formula: 'sqrt(x)',
  allowed: FLOAT,
  grads: { x: 'dy * 0.5 / out' },
});
defineElementwise({
  type: 'Rsqrt',
  vars: ['x'],
  formula: 'rsqrt(x)',
  allowed: FLOAT,
  grads: { x: 'dy * (-0.5) * out * out * out' },
});
defineElementwise({ type: 'Exp', vars: ['x'], formula: 'exp(x)', allowed: FLOAT, grads: { x: 'dy * out' } });
defineElementwise({ type: 'Log', vars: ['x'], formula: 'log(x)', allowed: FLOAT, grads: { x: 'dy / x' } });
defineElementwise({
  type: 'Log1p',
  vars: ['x'],
  formula: 'log1p(x)',
  allowed: FLOAT,
  grads: { x: 'dy / (1 + x)' },
});
defineElementwise({
  type: 'Pow',
  vars: ['x', 'y'],
  // int32 (attr T set by the builders): TF1 rejects negative exponents at run time.
  formula: (attrs) => (attrs.T === 'int32' ? 'ipow(x, y)' : 'pow(x, y)'),
  check: (ctx) => {
    if (ctx.dtypes[0] === 'int32' && ctx.attrs.T !== 'int32') ctx.fail("An int32 Pow needs attr T = 'int32'");
  },
  allowed: NUMERIC,
  grads: { x: 'dy * y * pow(x, y - 1)', y: 'x > 0 ? dy * out * log(x) : 0' },
});
defineElementwise({
  type: 'Maximum',
  vars: ['x', 'y'],
  formula: 'max(x, y)',
  allowed: NUMERIC,
  grads: { x: 'dy * (x >= y)', y: 'dy * (x < y)' },
});
defineElementwise({
  type: 'Minimum',
  vars: ['x', 'y'],
  formula: 'min(x, y)',
  allowed: NUMERIC,
  grads: { x: 'dy * (x <= y)', y: 'dy * (x > y)' },
});
defineElementwise({
  type: 'SquaredDifference',
  vars: ['x', 'y'],
  formula: '(x - y) * (x - y)',
  allowed: NUMERIC,
});
/** TF's int32 FloorDiv / FloorMod fail on a zero divisor ("Integer division by zero"), at run time. */
function integerDivisorCheck(ctx: InferContext): void {
  if (!ctx.runtime || ctx.dtypes[1] !== 'int32') return;
  const y = ctx.value(1);
  if (y && y.data.some((v) => v === 0)) ctx.fail('Integer division by zero');
}
// Python's floor division. float32: TF divides in float32, then floors (fround keeps that rounding);
// int32 (attr T set by the builders): exact in float64, rounded toward -inf.
defineElementwise({
  type: 'FloorDiv',
  defaultName: 'floordiv',
  vars: ['x', 'y'],
  formula: (attrs) => (attrs.T === 'int32' ? 'floor(x / y)' : 'floor(fround(x / y))'),
  check: (ctx) => {
    if (ctx.dtypes[0] === 'int32' && ctx.attrs.T !== 'int32')
      ctx.fail("An int32 FloorDiv needs attr T = 'int32'");
    integerDivisorCheck(ctx);
  },
  allowed: NUMERIC,
  grads: 'none',
});
// Python's modulo: the result has the divisor's sign (exact for |x / y| < 2**29). TF's gradients:
// dy for x, -floor(x / y) * dy for y.
defineElementwise({
  type: 'FloorMod',
  vars: ['x', 'y'],
  formula: 'x - floor(x / y) * y',
  check: integerDivisorCheck,
  allowed: NUMERIC,
  grads: { x: 'dy', y: 'dy * (-floor(x / y))' },
});
defineElementwise({
  type: 'Reciprocal',
  vars: ['x'],
  formula: '1 / x',
  allowed: FLOAT,
  grads: { x: 'dy * (-out * out)' },
});
// TF1's Sign gradient is a zeros tensor (not None).
defineElementwise({ type: 'Sign', vars: ['x'], formula: 'sign(x)', allowed: NUMERIC, grads: 'zeros' });
defineElementwise({ type: 'Floor', vars: ['x'], formula: 'floor(x)', allowed: FLOAT, grads: 'none' });
defineElementwise({ type: 'Ceil', vars: ['x'], formula: 'ceil(x)', allowed: FLOAT, grads: 'none' });
defineElementwise({ type: 'Round', vars: ['x'], formula: 'round(x)', allowed: NUMERIC, grads: 'none' });
defineElementwise({ type: 'Sin', vars: ['x'], formula: 'sin(x)', allowed: FLOAT });
defineElementwise({ type: 'Cos', vars: ['x'], formula: 'cos(x)', allowed: FLOAT });
defineElementwise({
  type: 'Sigmoid',
  vars: ['x'],
  formula: 'sigmoid(x)',
  allowed: FLOAT,
  grads: { x: 'dy * out * (1 - out)' },
});
defineElementwise({
  type: 'Tanh',
  vars: ['x'],
  formula: 'tanh(x)',
  allowed: FLOAT,
  grads: { x: 'dy * (1 - out * out)' },
});
defineElementwise({
  type: 'Relu',
  vars: ['x'],
  formula: 'max(x, 0)',
  allowed: NUMERIC,
  grads: { x: 'dy * (x > 0)' },
});
defineElementwise({
  type: 'Relu6',
  vars: ['x'],
  formula: 'min(max(x, 0), 6)',
  allowed: NUMERIC,
  grads: { x: 'dy * (x > 0 and x < 6)' },
});
defineElementwise({
  type: 'Elu',
  vars: ['x'],
  formula: 'x > 0 ? x : expm1(x)',
  allowed: FLOAT,
  grads: { x: 'x > 0 ? dy : dy * (out + 1)' },
});
defineElementwise({
  type: 'Softplus',
  vars: ['x'],
  formula: 'softplus(x)',
  allowed: FLOAT,
  grads: { x: 'dy * sigmoid(x)' },
});

for (const [type, op] of [
  ['Equal', '=='],
  ['NotEqual', '!='],
  ['Less', '<'],
  ['LessEqual', '<='],
  ['Greater', '>'],
  ['GreaterEqual', '>='],
] as const) {
  defineElementwise({ type, vars: ['x', 'y'], formula: `x ${op} y`, output: 'bool', grads: 'none' });
}
defineElementwise({ type: 'LogicalAnd', vars: ['x', 'y'], formula: 'x and y', allowed: BOOL, grads: 'none' });
defineElementwise({ type: 'LogicalOr', vars: ['x', 'y'], formula: 'x or y', allowed: BOOL, grads: 'none' });
defineElementwise({ type: 'LogicalNot', vars: ['x'], formula: 'not x', allowed: BOOL, grads: 'none' });

defineElementwise({
  type: 'Select',
  vars: ['condition', 'x', 'y'],
  formula: 'condition ? x : y',
  mixedDtypes: true,
  output: (_attrs, dtypes) => dtypes[1] as DType,
  grads: { x: 'condition ? dy : 0', y: 'condition ? 0 : dy' },
});
defineElementwise({
  type: 'Cast',
  vars: ['x'],
  formula: (attrs) => (attrs.DstT === 'bool' ? 'x != 0' : 'x'),
  mixedDtypes: true,
  output: (attrs) => attrs.DstT as DType,
  grads: { x: 'dy' },
});
defineElementwise({
  type: 'ClipByValue',
  vars: ['t', 'clip_value_min', 'clip_value_max'],
  formula: 'min(max(t, clip_value_min), clip_value_max)',
  allowed: NUMERIC,
  // TF1: the bounds are scalars or have t's shape (no general broadcasting).
  check: (ctx) => {
    const t = ctx.shapes[0] ?? null;
    ctx.shapes.slice(1).forEach((b, i) => {
      if (b === null || t === null || b.length === 0) return;
      const same = b.length === t.length && b.every((d, k) => d === null || t[k] === null || d === t[k]);
      if (!same) {
        ctx.fail(
          `clip_value_${i === 0 ? 'min' : 'max'} must be a scalar or have the shape of t ` +
            `[${t.map((d) => d ?? '?').join(',')}], got [${b.map((d) => d ?? '?').join(',')}]`,
        );
      }
    });
  },
  grads: {
    t: 'dy * (t >= clip_value_min and t <= clip_value_max)',
    clip_value_min: 'dy * (t < clip_value_min)',
    clip_value_max: 'dy * (t > clip_value_max)',
  },
});
