import * as protobuf from 'protobufjs/light';
import * as tf from '../../src';
import type { GraphDefJSON, NodeDefJSON, AttrValueJSON } from '../../src/io/tf_io';

// ------------------------------------------------------------------ helpers writing TF's JSON form

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const str = (s: string): AttrValueJSON => ({ s: b64(s) });
const ints = (xs: number[]): AttrValueJSON => ({ list: { i: xs.map(String) } });
const T: AttrValueJSON = { type: 'DT_FLOAT' };
const f32Content = (xs: number[]): string => Buffer.from(new Float32Array(xs).buffer).toString('base64');
const shapeOf = (dims: number[]) => ({ dim: dims.map((d) => ({ size: String(d) })) });

function constNode(name: string, values: number[], dims: number[], dtype = 'DT_FLOAT'): NodeDefJSON {
  const tensor =
    dtype === 'DT_FLOAT'
      ? { dtype, tensorShape: shapeOf(dims), tensorContent: f32Content(values) }
      : { dtype, tensorShape: shapeOf(dims), intVal: values };
  return { name, op: 'Const', attr: { dtype: { type: dtype }, value: { tensor } } };
}
function placeholderNode(name: string, dims: number[], dtype = 'DT_FLOAT'): NodeDefJSON {
  return { name, op: 'Placeholder', attr: { dtype: { type: dtype }, shape: { shape: shapeOf(dims) } } };
}
const node = (
  name: string,
  op: string,
  input: string[],
  attr: Record<string, AttrValueJSON> = { T },
): NodeDefJSON => ({
  name,
  op,
  input,
  attr,
});

function run(fetch: tf.Tensor | tf.Tensor[], feed: Record<string, tf.FeedValue> = {}, graph?: tf.Graph) {
  const sess = new tf.Session(graph ? { graph } : {});
  return sess.run(fetch as tf.Tensor, feed) as unknown as tf.NDArray;
}
const close = (got: ArrayLike<number>, want: number[], tol = 1e-5): void => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) =>
    expect(Math.abs((got[i] as number) - w)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w))),
  );
};

beforeEach(() => tf.resetDefaultGraph());

// A dense layer x·W + b → Relu, listed consumers-first (GraphDefs need not be topologically sorted).
const W = [1, -2, 0.5, 3, -1, 2]; // [3, 2]
const dense: GraphDefJSON = {
  node: [
    node('out', 'Relu', ['add']),
    node('add', 'BiasAdd', ['mm', 'b'], { T, data_format: str('NHWC') }),
    node('mm', 'MatMul', ['x', 'W'], { T, transpose_a: { b: false }, transpose_b: { b: false } }),
    constNode('W', W, [3, 2]),
    // floatVal with one value is a splat constant (TF's rule: the last value repeats).
    {
      name: 'b',
      op: 'Const',
      attr: {
        dtype: T,
        value: { tensor: { dtype: 'DT_FLOAT', tensorShape: shapeOf([2]), floatVal: [0.25] } },
      },
    },
    placeholderNode('x', [-1, 3]),
  ],
  versions: { producer: 27 },
};
const X = [
  [1, 2, 3],
  [-1, 0.5, 2],
];
function denseRef(x: number[][]): number[] {
  return x.flatMap((r) =>
    [0, 1].map((j) => Math.max(0, r.reduce((a, v, k) => a + v * (W[k * 2 + j] as number), 0) + 0.25)),
  );
}

describe('importGraphDef: TensorFlow GraphDef (JSON form)', () => {
  test('imports under import/ by default, in dependency order, and computes x·W + b → relu', () => {
    const [out, x] = tf.importGraphDef(dense, { returnElements: ['out:0', 'x:0'] }) as tf.Tensor[];
    expect(out!.name).toBe('import/out:0');
    expect(x!.name).toBe('import/x:0');
    expect(x!.shape).toEqual([null, 3]);
    expect(out!.shape).toEqual([null, 2]);
    const y = run(out!, { 'import/x:0': X });
    close(y.data, denseRef(X));
    expect(tf.getDefaultGraph().getOperationByName('import/mm').type).toBe('MatMul');
  });

  test("a second import gets 'import_1/'; name '' keeps the names; duplicates are refused", () => {
    tf.importGraphDef(dense);
    const [o2] = tf.importGraphDef(dense, { returnElements: ['out'] }) as tf.Operation[];
    expect(o2!.name).toBe('import_1/out');
    const [o3] = tf.importGraphDef(dense, { name: '', returnElements: ['out'] }) as tf.Operation[];
    expect(o3!.name).toBe('out');
    expect(() => tf.importGraphDef(dense, { name: '' })).toThrow(/Duplicate node name in graph: 'out'/);
    const [o4] = tf.importGraphDef(dense, { name: 'net', returnElements: ['mm'] }) as tf.Operation[];
    expect(o4!.name).toBe('net/mm');
  });

  test('returnElements: op names give Operations, tensor names Tensors, in order; unknown names fail', () => {
    const r = tf.importGraphDef(dense, { returnElements: ['mm:0', 'out', 'W'] });
    expect(r[0]).toBeInstanceOf(tf.Tensor);
    expect(r[1]).toBeInstanceOf(tf.Operation);
    expect((r[2] as tf.Operation).name).toBe('import/W');
    expect(() => tf.importGraphDef(dense, { returnElements: ['nope'] })).toThrow(
      "Requested return_element 'nope' not found in graph_def.",
    );
    expect(() => tf.importGraphDef(dense, { returnElements: ['out:3'] })).toThrow(/out:3/);
  });

  test("inputMap replaces tensors ('x:0' or 'x'); unknown keys are listed", () => {
    for (const key of ['x:0', 'x']) {
      tf.resetDefaultGraph();
      const xc = tf.constant(X, 'float32');
      const [out] = tf.importGraphDef(dense, {
        inputMap: { [key]: xc },
        returnElements: ['out:0'],
      }) as tf.Tensor[];
      close(run(out!).data, denseRef(X)); // no feed: x comes from the constant
    }
    const [out] = tf.importGraphDef(dense, {
      inputMap: new Map([
        [
          'W:0',
          tf.constant(
            [
              [1, 0],
              [0, 1],
              [1, 1],
            ],
            'float32',
          ),
        ],
      ]),
      returnElements: ['out:0'],
    }) as tf.Tensor[];
    close(run(out!, { 'import_1/x:0': [[1, 2, 3]] }).data, [4.25, 5.25]);
    expect(() => tf.importGraphDef(dense, { inputMap: { 'x:0': [[1, 2, 3]] as never } })).toThrow(TypeError);
    expect(() =>
      tf.importGraphDef(dense, { inputMap: { 'zz:0': tf.constant(1), yy: tf.constant(2) } }),
    ).toThrow('Attempted to map inputs that were not found in graph_def: [zz:0, yy]');
  });

  test('unsupported op types are listed all at once with their nodes; the graph is unchanged', () => {
    const def: GraphDefJSON = {
      node: [
        placeholderNode('x', [2]),
        node('e1', 'Enter', ['x']),
        node('e2', 'Enter', ['x']),
        node('m', 'Merge', ['e1', 'e2']),
        node('z', 'FancyOp', ['m']),
        node('r', 'Relu', ['x']),
      ],
    };
    const before = tf.getDefaultGraph().getOperations().length;
    expect(() => tf.importGraphDef(def)).toThrow(
      "3 op types are not supported: Enter (2 nodes: 'e1', 'e2'); Merge (1 node: 'm'); FancyOp (1 node: 'z')",
    );
    expect(tf.getDefaultGraph().getOperations().length).toBe(before);
  });

  test('missing input nodes, cycles, duplicate names and bad attrs are clear errors', () => {
    expect(() => tf.importGraphDef({ node: [node('r', 'Relu', ['ghost:0'])] })).toThrow(
      "node 'r' (op: 'Relu') has unknown input node 'ghost'",
    );
    expect(() => tf.importGraphDef({ node: [node('a', 'Relu', ['b']), node('b', 'Relu', ['a'])] })).toThrow(
      /cycle .* 'a', 'b'/,
    );
    expect(() => tf.importGraphDef({ node: [placeholderNode('a', [1]), placeholderNode('a', [1])] })).toThrow(
      "duplicate node name 'a'",
    );
    // An attr that would change the result is never ignored.
    const withAttr = (attr: Record<string, AttrValueJSON>): GraphDefJSON => ({
      node: [placeholderNode('x', [1, 4, 4, 2]), node('p', 'MaxPool', ['x'], attr)],
    });
    const pool = { T, ksize: ints([1, 2, 2, 1]), strides: ints([1, 2, 2, 1]), padding: str('VALID') };
    expect(() => tf.importGraphDef(withAttr({ ...pool, fancy: { i: '1' } }))).toThrow(
      "node 'p' (op: 'MaxPool'): attr 'fancy' not supported",
    );
    expect(() => tf.importGraphDef(withAttr({ ...pool, data_format: str('NCDHW') }))).toThrow(
      "attr 'data_format' 'NCDHW' is not NHWC or NCHW",
    );
    expect(() => tf.importGraphDef(withAttr({ ...pool, padding: str('EXPLICIT') }))).toThrow(/EXPLICIT/);
    expect(() =>
      tf.importGraphDef(withAttr({ T, strides: ints([1, 1, 1, 1]), padding: str('SAME') })),
    ).toThrow("attr 'ksize' is missing");
    expect(() =>
      tf.importGraphDef({
        node: [{ name: 'c', op: 'Const', attr: { dtype: { type: 'DT_STRING' }, value: { tensor: {} } } }],
      }),
    ).toThrow(/DT_STRING is not supported/);
    expect(() =>
      tf.importGraphDef({
        node: [
          {
            name: 'h',
            op: 'Const',
            attr: {
              dtype: { type: 'DT_HALF' },
              value: { tensor: { dtype: 'DT_HALF', tensorShape: shapeOf([1]), halfVal: [15360] } },
            },
          },
        ],
      }),
    ).toThrow(/DT_HALF is not supported/);
    expect(() =>
      tf.importGraphDef({
        node: [
          placeholderNode('x', [1, 4, 4, 2]),
          constNode('s', [1, 1], [2]),
          constNode('o', [0, 0], [2]),
          constNode('m', [0, 0], [2]),
          constNode('v', [1, 1], [2]),
          node('bn', 'FusedBatchNormV3', ['x', 's', 'o', 'm', 'v'], { T, is_training: { b: true } }),
        ],
      }),
    ).toThrow(/is_training true/);
  });

  test('maxTensorBytes refuses a large constant before the graph changes', () => {
    const before = tf.getDefaultGraph().getOperations().length;
    expect(() => tf.importGraphDef(dense, { maxTensorBytes: 16 })).toThrow(tf.ResourceExhaustedError);
    expect(() => tf.importGraphDef(dense, { maxTensorBytes: 16 })).toThrow(
      /^importGraphDef: node 'W' \(op: 'Const'\): (?!importGraphDef)/,
    );
    expect(tf.getDefaultGraph().getOperations().length).toBe(before);
    expect(() => tf.importGraphDef(dense, { maxTensorBytes: -1 })).toThrow(TypeError);
  });

  test('GatherNd, SelectV2 (broadcasting), Pack/Unpack, TopKV2 (two outputs), SplitV', () => {
    const i32 = { type: 'DT_INT32' };
    const def: GraphDefJSON = {
      node: [
        constNode('p', [1, 2, 3, 4, 5, 6], [3, 2]),
        constNode('idx', [2, 1, 0, 0], [2, 2], 'DT_INT32'),
        node('g', 'GatherNd', ['p', 'idx'], { Tparams: T, Tindices: i32 }),
        {
          name: 'cond',
          op: 'Const',
          attr: {
            dtype: { type: 'DT_BOOL' },
            value: { tensor: { dtype: 'DT_BOOL', tensorShape: shapeOf([2]), boolVal: [true, false] } },
          },
        },
        constNode('zero', [0], []),
        node('sel', 'SelectV2', ['cond', 'p', 'zero']),
        node('un', 'Unpack', ['p'], { T, num: { i: '2' }, axis: { i: '1' } }),
        node('pk', 'Pack', ['un:1', 'un'], { T, N: { i: '2' }, axis: { i: '0' } }),
        constNode('k', [2], [], 'DT_INT32'),
        node('top', 'TopKV2', ['p', 'k'], { T, sorted: { b: true } }),
        constNode('sizes', [1, 2], [2], 'DT_INT32'),
        constNode('ax', [0], [], 'DT_INT32'),
        node('sv', 'SplitV', ['p', 'sizes', 'ax'], { T, Tlen: i32, num_split: { i: '2' } }),
        node('sp', 'Split', ['ax', 'p'], { T, num_split: { i: '3' } }),
      ],
    };
    const r = tf.importGraphDef(def, {
      returnElements: ['g:0', 'sel:0', 'pk:0', 'top:1', 'sv:1', 'sp:2'],
    }) as tf.Tensor[];
    const [g, sel, pk, topIdx, sv, sp] = new tf.Session().run(r) as tf.NDArray[];
    expect(Array.from(sp!.data)).toEqual([5, 6]); // Split: axis first, num_split 3, the third part
    expect(Array.from(g!.data)).toEqual([6, 1]);
    expect(Array.from(sel!.data)).toEqual([1, 0, 3, 0, 5, 0]);
    expect(pk!.shape).toEqual([2, 3]);
    expect(Array.from(pk!.data)).toEqual([2, 4, 6, 1, 3, 5]);
    expect(Array.from(topIdx!.data)).toEqual([1, 0, 1, 0, 1, 0]);
    expect(Array.from(sv!.data)).toEqual([3, 4, 5, 6]);
  });

  test('Conv2DBackpropInput (transposed convolution), Concat (axis first), ExpandDims, IdentityN', () => {
    const i32 = { type: 'DT_INT32' };
    const def: GraphDefJSON = {
      node: [
        constNode('sizes', [1, 3, 3, 1], [4], 'DT_INT32'),
        constNode('f', [1, 1, 1, 1], [2, 2, 1, 1]),
        constNode('dy', [1, 2, 3, 4], [1, 2, 2, 1]),
        node('tc', 'Conv2DBackpropInput', ['sizes', 'f', 'dy'], {
          T,
          strides: ints([1, 1, 1, 1]),
          padding: str('VALID'),
          data_format: str('NHWC'),
          dilations: ints([1, 1, 1, 1]),
          use_cudnn_on_gpu: { b: true },
          explicit_paddings: { list: {} },
        }),
        constNode('ax', [1], [], 'DT_INT32'),
        constNode('a', [1, 2], [1, 2]),
        node('cc', 'Concat', ['ax', 'a', 'a'], { T, N: { i: '2' } }),
        constNode('d', [0], [1], 'DT_INT32'),
        node('ed', 'ExpandDims', ['a', 'd'], { T, Tdim: i32 }),
        node('idn', 'IdentityN', ['a', 'ax'], { T: { list: { type: ['DT_FLOAT', 'DT_INT32'] } } }),
      ],
    };
    const r = tf.importGraphDef(def, { returnElements: ['tc:0', 'cc:0', 'ed:0', 'idn:1'] }) as tf.Tensor[];
    const [tc, cc, ed, idn] = new tf.Session().run(r) as tf.NDArray[];
    // full correlation of dy with a 2x2 filter of ones
    expect(Array.from(tc!.data)).toEqual([1, 3, 2, 4, 10, 6, 3, 7, 4]);
    expect(cc!.shape).toEqual([1, 4]);
    expect(Array.from(cc!.data)).toEqual([1, 2, 1, 2]);
    expect(ed!.shape).toEqual([1, 1, 2]);
    expect(Array.from(idn!.data)).toEqual([1]);
  });

  test('OneHot (on/off values, axis), ReverseV2, ClipByValue, L2Loss, InTopKV2', () => {
    const i32 = { type: 'DT_INT32' };
    const def: GraphDefJSON = {
      node: [
        constNode('ix', [2, 0], [2], 'DT_INT32'),
        constNode('depth', [3], [], 'DT_INT32'),
        constNode('on', [5], []),
        constNode('off', [-1], []),
        node('oh', 'OneHot', ['ix', 'depth', 'on', 'off'], { T, TI: i32, axis: { i: '0' } }),
        constNode('p', [1, -2, 3, 4, 5, -6], [2, 3]),
        constNode('ax', [1], [1], 'DT_INT32'),
        node('rev', 'ReverseV2', ['p', 'ax'], { T, Tidx: i32 }),
        constNode('lo', [0], []),
        constNode('hi', [3.5], []),
        node('clip', 'ClipByValue', ['p', 'lo', 'hi']),
        node('l2', 'L2Loss', ['p']),
        constNode('k', [1], [], 'DT_INT32'),
        node('intop', 'InTopKV2', ['p', 'ix', 'k'], { T: i32 }),
      ],
    };
    const r = tf.importGraphDef(def, {
      returnElements: ['oh:0', 'rev:0', 'clip:0', 'l2:0', 'intop:0'],
    }) as tf.Tensor[];
    const [oh, rev, clip, l2, intop] = new tf.Session().run(r) as tf.NDArray[];
    expect(oh!.shape).toEqual([3, 2]); // axis 0: [depth, batch]
    expect(Array.from(oh!.data)).toEqual([-1, 5, -1, -1, 5, -1]);
    expect(Array.from(rev!.data)).toEqual([3, -2, 1, -6, 5, 4]);
    expect(Array.from(clip!.data)).toEqual([1, 0, 3, 3.5, 3.5, 0]);
    expect(l2!.data[0]).toBeCloseTo((1 + 4 + 9 + 16 + 25 + 36) / 2, 5);
    expect(Array.from(intop!.data)).toEqual([1, 0]); // row 0's max is at 2; row 1's at 1, not 0
  });

  test('NonMaxSuppressionV5: three outputs, pad_to_max_output_size', () => {
    const nms = (pad: boolean): tf.NDArray[] => {
      tf.resetDefaultGraph();
      const def: GraphDefJSON = {
        node: [
          constNode('boxes', [0, 0, 1, 1, 0, 0.1, 1, 1.1, 0, 2, 1, 3], [3, 4]),
          constNode('scores', [0.9, 0.8, 0.7], [3]),
          constNode('max', [3], [], 'DT_INT32'),
          constNode('iou', [0.5], []),
          constNode('thr', [0], []),
          constNode('sigma', [0], []),
          node('nms', 'NonMaxSuppressionV5', ['boxes', 'scores', 'max', 'iou', 'thr', 'sigma'], {
            T,
            pad_to_max_output_size: { b: pad },
          }),
        ],
      };
      const r = tf.importGraphDef(def, { returnElements: ['nms:0', 'nms:1', 'nms:2'] }) as tf.Tensor[];
      return new tf.Session().run(r) as tf.NDArray[];
    };
    const [idx, sc, n] = nms(false);
    expect(Array.from(idx!.data)).toEqual([0, 2]); // box 1 overlaps box 0 (IOU 0.82)
    close(sc!.data, [0.9, 0.7]);
    expect(Array.from(n!.data)).toEqual([2]);
    expect(Array.from(nms(true)[0]!.data)).toEqual([0, 2, 0]);
  });

  test('control inputs (^name) become control dependencies', () => {
    const [r] = tf.importGraphDef(
      { node: [placeholderNode('x', [2]), node('init', 'NoOp', [], {}), node('r', 'Relu', ['x', '^init'])] },
      { returnElements: ['r'] },
    ) as tf.Operation[];
    expect(r!.controlInputs.map((o) => o.name)).toEqual(['import/init']);
  });

  test('attr decoding: int64/bool/int constants, lists, masks, keep_dims, DT_* casts', () => {
    const def: GraphDefJSON = {
      node: [
        placeholderNode('x', [2, 3, 4]),
        // int64 values come as decimal strings in TF's JSON form
        {
          name: 'axes',
          op: 'Const',
          attr: {
            dtype: { type: 'DT_INT64' },
            value: { tensor: { dtype: 'DT_INT64', tensorShape: shapeOf([1]), int64Val: ['2'] } },
          },
        },
        node('mean', 'Mean', ['x', 'axes'], { T, Tidx: { type: 'DT_INT64' }, keep_dims: { b: true } }),
        constNode('b', [0, 1, 0], [3], 'DT_INT32'),
        constNode('e', [2, 3, 0], [3], 'DT_INT32'),
        constNode('s', [1, 1, 1], [3], 'DT_INT32'),
        node('ss', 'StridedSlice', ['x', 'b', 'e', 's'], {
          T,
          Index: { type: 'DT_INT32' },
          begin_mask: { i: '1' },
          end_mask: { i: '4' },
          shrink_axis_mask: { i: '2' },
          ellipsis_mask: {},
          new_axis_mask: { i: '0' },
        }),
        node('gt', 'Greater', ['x', 'zero']),
        {
          name: 'zero',
          op: 'Const',
          attr: { dtype: T, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: {}, floatVal: [0] } } },
        },
        node('cast', 'Cast', ['gt'], {
          SrcT: { type: 'DT_BOOL' },
          DstT: { type: 'DT_INT32' },
          Truncate: { b: false },
        }),
        constNode('perm', [2, 0, 1], [3], 'DT_INT32'),
        node('tr', 'Transpose', ['x', 'perm'], { T, Tperm: { type: 'DT_INT32' } }),
        constNode('axis', [0], [], 'DT_INT32'),
        node('cat', 'ConcatV2', ['x', 'x', 'axis'], { T, N: { i: '2' }, Tidx: { type: 'DT_INT32' } }),
        node('sq', 'Squeeze', ['mean'], { T, squeeze_dims: ints([-1]) }),
      ],
    };
    const [mean, ss, cast, tr, cat, sq] = tf.importGraphDef(def, {
      returnElements: ['mean:0', 'ss:0', 'cast:0', 'tr:0', 'cat:0', 'sq:0'],
    }) as tf.Tensor[];
    expect([mean!.shape, ss!.shape, tr!.shape, cat!.shape, sq!.shape]).toEqual([
      [2, 3, 1],
      [2, 4],
      [4, 2, 3],
      [4, 3, 4],
      [2, 3],
    ]);
    expect(cast!.dtype).toBe('int32');
    const xv = Array.from({ length: 24 }, (_, i) => i - 5);
    const at = (i: number, j: number, k: number): number => xv[i * 12 + j * 4 + k] as number;
    const x3 = [0, 1].map((i) => [0, 1, 2].map((j) => [0, 1, 2, 3].map((k) => at(i, j, k))));
    const sess = new tf.Session();
    const [m, s, c] = sess.run([mean!, ss!, cast!], { 'import/x:0': x3 }) as tf.NDArray[];
    close(
      m!.data,
      [0, 1].flatMap((i) =>
        [0, 1, 2].map((j) => (at(i, j, 0) + at(i, j, 1) + at(i, j, 2) + at(i, j, 3)) / 4),
      ),
    );
    // x[:2, 1, 0:] (begin_mask bit 0, end_mask bit 2, shrink bit 1)
    close(
      s!.data,
      [0, 1].flatMap((i) => [0, 1, 2, 3].map((k) => at(i, 1, k))),
    );
    expect(Array.from(c!.data)).toEqual(xv.map((v) => (v > 0 ? 1 : 0)));
  });
});

// ------------------------------------------------------------------ fused ops split into parts

describe('importGraphDef: fused TF ops', () => {
  const xs = Array.from({ length: 1 * 3 * 3 * 2 }, (_, i) => Math.sin(i + 1));
  const filter = Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => Math.cos(i * 0.7)); // HWIO [2,2,2,3]
  const bias = [0.1, -0.2, 0.3];
  const xAt = (h: number, w: number, c: number): number => xs[(h * 3 + w) * 2 + c] as number;
  const fAt = (i: number, j: number, c: number, o: number): number =>
    filter[((i * 2 + j) * 2 + c) * 3 + o] as number;
  // VALID 2x2 convolution, stride 1: output [1,2,2,3]
  const conv = [0, 1].flatMap((h) =>
    [0, 1].flatMap((w) =>
      [0, 1, 2].map((o) => {
        let s = 0;
        for (let i = 0; i < 2; i++)
          for (let j = 0; j < 2; j++) for (let c = 0; c < 2; c++) s += xAt(h + i, w + j, c) * fAt(i, j, c, o);
        return s;
      }),
    ),
  );
  const convAttrs = {
    T,
    strides: ints([1, 1, 1, 1]),
    padding: str('VALID'),
    data_format: str('NHWC'),
    dilations: ints([1, 1, 1, 1]),
    explicit_paddings: { list: {} },
    use_cudnn_on_gpu: { b: true },
  };
  const base = [
    placeholderNode('x', [1, 3, 3, 2]),
    constNode('w', filter, [2, 2, 2, 3]),
    constNode('bias', bias, [3]),
  ];
  const feed = { 'import/x:0': tf.ndarray(Float32Array.from(xs), [1, 3, 3, 2], 'float32') };
  const fusedRun = (
    fusedOps: string[],
    extra: NodeDefJSON[],
    args: string[],
    more: Record<string, AttrValueJSON> = {},
  ) => {
    tf.resetDefaultGraph();
    const [y] = tf.importGraphDef(
      {
        node: [
          ...base,
          ...extra,
          node('y', '_FusedConv2D', ['x', 'w', ...args], {
            ...convAttrs,
            num_args: { i: String(args.length) },
            fused_ops: { list: { s: fusedOps.map(b64) } },
            epsilon: { f: 0 },
            ...more,
          }),
        ],
      },
      { returnElements: ['y:0'] },
    ) as tf.Tensor[];
    return run(y!, feed).data;
  };

  test('_FusedConv2D [BiasAdd], [BiasAdd, Relu], [BiasAdd, Relu6], [BiasAdd, LeakyRelu] (leakyrelu_alpha)', () => {
    const withBias = conv.map((v, i) => v + (bias[i % 3] as number));
    close(fusedRun(['BiasAdd'], [], ['bias']), withBias);
    close(
      fusedRun(['BiasAdd', 'Relu'], [], ['bias']),
      withBias.map((v) => Math.max(0, v)),
    );
    close(
      fusedRun(['BiasAdd', 'Relu6'], [], ['bias']),
      withBias.map((v) => Math.min(6, Math.max(0, v))),
    );
    close(
      fusedRun(['BiasAdd', 'LeakyRelu'], [], ['bias'], { leakyrelu_alpha: { f: 0.3 } }),
      withBias.map((v) => (v > 0 ? v : 0.3 * v)),
    );
  });

  test('_FusedConv2D [BiasAdd, Prelu] takes bias then alpha; [FusedBatchNorm] takes scale, offset, mean, variance', () => {
    const alpha = [0.5, 0.25, 2];
    const withBias = conv.map((v, i) => v + (bias[i % 3] as number));
    close(
      fusedRun(['BiasAdd', 'Prelu'], [constNode('alpha', alpha, [3])], ['bias', 'alpha']),
      withBias.map((v, i) => (v > 0 ? v : (alpha[i % 3] as number) * v)),
    );
    const [sc, off, mu, va] = [
      [1.5, 0.5, 2],
      [0.1, 0.2, 0.3],
      [0.05, -0.1, 0.2],
      [0.9, 1.2, 0.4],
    ];
    const bn = [
      constNode('sc', sc!, [3]),
      constNode('off', off!, [3]),
      constNode('mu', mu!, [3]),
      constNode('va', va!, [3]),
    ];
    const eps = 0.001;
    close(
      fusedRun(['FusedBatchNorm', 'Relu'], bn, ['sc', 'off', 'mu', 'va'], { epsilon: { f: eps } }),
      conv.map((v, i) => {
        const c = i % 3;
        return Math.max(0, ((v - mu![c]!) / Math.sqrt(va![c]! + eps)) * sc![c]! + off![c]!);
      }),
      1e-4,
    );
    expect(() => fusedRun(['BiasAdd', 'Prelu'], [], ['bias'])).toThrow(/needs 2 extra inputs, num_args is 1/);
    expect(() => fusedRun(['Relu'], [], [])).toThrow(/fused_ops \[Relu\] is not supported/);
  });

  test('_FusedMatMul [BiasAdd, Relu] with transpose_b', () => {
    const a = [1, 2, -3, 0.5, -1, 2]; // [2,3]
    const bT = [0.5, -1, 2, 1, 0, -2]; // b^T stored [2,3]
    const [y] = tf.importGraphDef(
      {
        node: [
          constNode('a', a, [2, 3]),
          constNode('b', bT, [2, 3]),
          constNode('c', [0.5, -4], [2]),
          node('y', '_FusedMatMul', ['a', 'b', 'c'], {
            T,
            transpose_a: { b: false },
            transpose_b: { b: true },
            num_args: { i: '1' },
            fused_ops: { list: { s: [b64('BiasAdd'), b64('Relu')] } },
            epsilon: { f: 0 },
          }),
        ],
      },
      { returnElements: ['y:0'] },
    ) as tf.Tensor[];
    const want = [0, 1].flatMap((i) =>
      [0, 1].map((j) =>
        Math.max(0, [0, 1, 2].reduce((s, k) => s + a[i * 3 + k]! * bT[j * 3 + k]!, 0) + [0.5, -4][j]!),
      ),
    );
    close(run(y!).data, want);
  });

  test('Conv2D with data_format NCHW and EXPLICIT padding agrees with NHWC and a zero-padded input', () => {
    const nchw = [0, 1].flatMap((c) => [0, 1, 2].flatMap((h) => [0, 1, 2].map((w) => xAt(h, w, c))));
    const [y] = tf.importGraphDef(
      {
        node: [
          placeholderNode('x', [1, 2, 3, 3]),
          constNode('w', filter, [2, 2, 2, 3]),
          node('y', 'Conv2D', ['x', 'w'], { ...convAttrs, data_format: str('NCHW') }),
        ],
      },
      { returnElements: ['y:0'] },
    ) as tf.Tensor[];
    expect(y!.shape).toEqual([1, 3, 2, 2]);
    const got = run(y!, { 'import/x:0': tf.ndarray(Float32Array.from(nchw), [1, 2, 3, 3], 'float32') }).data;
    // NCHW output [1,3,2,2] vs NHWC reference [1,2,2,3]
    close(
      got,
      [0, 1, 2].flatMap((o) => [0, 1].flatMap((h) => [0, 1].map((w) => conv[(h * 2 + w) * 3 + o] as number))),
    );

    tf.resetDefaultGraph();
    const [z] = tf.importGraphDef(
      {
        node: [
          ...base,
          node('z', 'Conv2D', ['x', 'w'], {
            ...convAttrs,
            padding: str('EXPLICIT'),
            explicit_paddings: ints([0, 0, 1, 0, 0, 1, 0, 0]),
          }),
        ],
      },
      { returnElements: ['z:0'] },
    ) as tf.Tensor[];
    expect(z!.shape).toEqual([1, 3, 3, 3]);
    const zv = run(z!, feed).data;
    // output (h, w) reads padded rows h-1.. (top pad 1) and columns w.. (right pad 1)
    const xp = (h: number, w: number, c: number): number => (h < 0 || w > 2 ? 0 : xAt(h, w, c));
    const want = [0, 1, 2].flatMap((h) =>
      [0, 1, 2].flatMap((w) =>
        [0, 1, 2].map((o) => {
          let s = 0;
          for (let i = 0; i < 2; i++)
            for (let j = 0; j < 2; j++)
              for (let c = 0; c < 2; c++) s += xp(h - 1 + i, w + j, c) * fAt(i, j, c, o);
          return s;
        }),
      ),
    );
    close(zv, want);
  });
});

// ------------------------------------------------------------------ protobuf bytes

describe('importGraphDef: GraphDef protobuf bytes', () => {
  test('bytes encoded with TF field numbers by hand (protobufjs Writer) import and run', () => {
    // NodeDef{name=1, op=2, input=3, attr=5 map<string, AttrValue>}; AttrValue{type=6, shape=7, tensor=8};
    // TensorProto{dtype=1, tensor_shape=2, float_val=5 packed}; TensorShapeProto{dim=2{size=1}}.
    const attrEntry = (w: protobuf.Writer, key: string, value: (w: protobuf.Writer) => void): void => {
      w.uint32((5 << 3) | 2).fork();
      w.uint32((1 << 3) | 2).string(key);
      w.uint32((2 << 3) | 2).fork();
      value(w);
      w.ldelim();
      w.ldelim();
    };
    const shape = (w: protobuf.Writer, dims: number[]): void => {
      for (const d of dims)
        w.uint32((2 << 3) | 2)
          .fork()
          .uint32((1 << 3) | 0)
          .int64(d)
          .ldelim();
    };
    const w = protobuf.Writer.create();
    const nodeDef = (fn: (w: protobuf.Writer) => void): void => {
      w.uint32((1 << 3) | 2).fork();
      fn(w);
      w.ldelim();
    };
    nodeDef((w) => {
      w.uint32((1 << 3) | 2).string('y');
      w.uint32((2 << 3) | 2).string('Mul');
      w.uint32((3 << 3) | 2).string('x');
      w.uint32((3 << 3) | 2).string('c:0');
      attrEntry(w, 'T', (w) => w.uint32((6 << 3) | 0).int32(1));
    });
    nodeDef((w) => {
      w.uint32((1 << 3) | 2).string('x');
      w.uint32((2 << 3) | 2).string('Placeholder');
      attrEntry(w, 'dtype', (w) => w.uint32((6 << 3) | 0).int32(1));
      attrEntry(w, 'shape', (w) => {
        w.uint32((7 << 3) | 2).fork();
        shape(w, [-1, 2]);
        w.ldelim();
      });
    });
    nodeDef((w) => {
      w.uint32((1 << 3) | 2).string('c');
      w.uint32((2 << 3) | 2).string('Const');
      attrEntry(w, 'dtype', (w) => w.uint32((6 << 3) | 0).int32(1));
      attrEntry(w, 'value', (w) => {
        w.uint32((8 << 3) | 2).fork();
        w.uint32((1 << 3) | 0).int32(1);
        w.uint32((2 << 3) | 2).fork();
        shape(w, [2]);
        w.ldelim();
        w.uint32((5 << 3) | 2)
          .fork()
          .float(1.5)
          .float(-2)
          .ldelim();
        w.ldelim();
      });
    });
    const bytes = w.finish();
    const [y] = tf.importGraphDef(Buffer.from(bytes), { returnElements: ['y:0'] }) as tf.Tensor[];
    expect(y!.shape).toEqual([null, 2]);
    close(
      run(y!, {
        'import/x:0': [
          [2, 3],
          [-1, 1],
        ],
      }).data,
      [3, -6, -1.5, -2],
    );
  });

  test('encodeGraphDef bytes of the JSON form give the same graph and numbers', () => {
    const bytes = tf.io.encodeGraphDef(dense);
    expect(bytes).toBeInstanceOf(Uint8Array);
    const [out] = tf.importGraphDef(bytes, { returnElements: ['out:0'] }) as tf.Tensor[];
    close(run(out!, { 'import/x:0': X }).data, denseRef(X));
    // ArrayBuffer works too
    const [o2] = tf.importGraphDef(bytes.slice().buffer, {
      name: 'ab',
      returnElements: ['out:0'],
    }) as tf.Tensor[];
    expect(o2!.name).toBe('ab/out:0');
    expect(() => tf.importGraphDef(new Uint8Array([0x0a, 0xff, 0xff]))).toThrow(
      /not a valid GraphDef protobuf/,
    );
  });

  test("tensorgraph's own JSON still imports (dispatch by shape)", () => {
    const g = new tf.Graph();
    g.asDefault(() => tf.add(tf.placeholder('float32', [2], 'a'), 1, 'b'));
    const json = JSON.stringify(g.toJSON());
    const [b] = tf.importGraphDef(json, { returnElements: ['b:0'] }) as tf.Tensor[];
    expect(b!.name).toBe('b:0');
  });
});
