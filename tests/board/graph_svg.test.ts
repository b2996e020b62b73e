import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../src';
import { allElements, parseXml, textContent, type XmlElement } from './xml';

/** The graph of the MNIST softmax tutorial (TF1's "MNIST for ML beginners"), built the same way. */
function mnistSoftmaxGraph(): tf.Graph {
  const graph = new tf.Graph();
  graph.asDefault(() => {
    const x = tf.placeholder('float32', [null, 784], 'x');
    const y_ = tf.placeholder('float32', [null, 10], 'y_');
    const W = new tf.Variable(tf.zeros([784, 10]), { name: 'W' });
    const b = new tf.Variable(tf.zeros([10]), { name: 'b' });
    const logits = tf.add(tf.matmul(x, W), b, 'logits');
    const crossEntropy = tf.reduceMean(
      tf.nn.softmaxCrossEntropyWithLogits({ labels: y_, logits }),
      undefined,
      'cross_entropy',
    );
    new tf.train.GradientDescentOptimizer(0.5).minimize(crossEntropy);
    tf.globalVariablesInitializer();
  });
  return graph;
}

const byClass = (root: XmlElement, cls: string): XmlElement[] =>
  allElements(root).filter((e) => (e.attrs.class ?? '').split(' ').includes(cls));
/** The shape label drawn on an arrow. */
const edgeLabel = (e: XmlElement): string => e.children.find((c) => c.name === 'text')?.text ?? '';
const titleOf = (e: XmlElement): string =>
  textContent(e.children.find((c) => c.name === 'title') as XmlElement);

describe('the XML checker used by these tests', () => {
  test('accepts well-formed XML and rejects the usual mistakes', () => {
    expect(parseXml('<a x="1&amp;2"><b>t &lt; u</b><c/></a>').children.map((c) => c.name)).toEqual([
      'b',
      'c',
    ]);
    expect(() => parseXml('<a>&</a>')).toThrow(/bare '&'/);
    expect(() => parseXml('<a>1 < 2</a>')).toThrow();
    expect(() => parseXml('<a><b></a></b>')).toThrow(/does not match/);
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow(/duplicate/);
    expect(() => parseXml('<a x="<"/>')).toThrow(/'<'/);
    expect(() => parseXml('<a x=1/>')).toThrow(/quoted/);
    expect(() => parseXml('<a/><b/>')).toThrow();
    expect(() => parseXml('<a>&nbsp;</a>')).toThrow(/unknown entity/);
    expect(() => parseXml('<a>')).toThrow(/unclosed/);
  });
});

describe('tf.summary.graphToSvg', () => {
  const graph = mnistSoftmaxGraph();
  const ops = graph.getOperations();

  test('the MNIST softmax graph is well-formed SVG with every op, its type and device on hover', () => {
    const svg = tf.summary.graphToSvg(graph);
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    const width = Number(root.attrs.width);
    const height = Number(root.attrs.height);
    expect(width).toBeGreaterThan(100);
    const drawn = byClass(root, 'tg-op');
    expect(drawn.map((e) => e.attrs['data-name']).sort()).toEqual(ops.map((o) => o.name).sort());
    expect(ops.length).toBeGreaterThan(30);
    for (const e of drawn) {
      const op = graph.getOperationByName(e.attrs['data-name'] as string);
      const title = titleOf(e);
      expect(title.split('\n')[0]).toBe(op.name);
      expect(title).toContain(`type: ${op.type}`);
      expect(title).toContain('device: ');
      expect(e.attrs['data-type']).toBe(op.type);
      // Every box lies inside the picture.
      const rect = e.children.find((c) => c.name === 'rect') as XmlElement;
      const [x, y, w, h] = ['x', 'y', 'width', 'height'].map((k) => Number(rect.attrs[k]));
      expect(x).toBeGreaterThanOrEqual(0);
      expect(y).toBeGreaterThanOrEqual(0);
      expect((x as number) + (w as number)).toBeLessThanOrEqual(width);
      expect((y as number) + (h as number)).toBeLessThanOrEqual(height);
    }
    // The MatMul's output shapes are on hover, and the placeholder's tensor is labelled with its shape.
    expect(titleOf(drawn.find((e) => e.attrs['data-name'] === 'MatMul') as XmlElement)).toContain(
      'output 0: [?,10] float32',
    );
    const edges = byClass(root, 'tg-edge');
    const xToMatMul = edges.find(
      (e) => e.attrs['data-from'] === 'op:x' && e.attrs['data-to'] === 'op:MatMul',
    );
    expect(xToMatMul).toBeDefined();
    expect(textContent(xToMatMul as XmlElement)).toContain('[?,784]');
  });

  test('one arrow per pair of connected ops (data and control inputs), counted from the graph', () => {
    const pairs = new Set<string>();
    for (const op of ops) {
      for (const t of op.inputs) if (t.op !== op) pairs.add(`op:${t.op.name} op:${op.name}`);
      for (const c of op.controlInputs) pairs.add(`op:${c.name} op:${op.name}`);
    }
    const root = parseXml(tf.summary.graphToSvg(graph));
    const drawn = byClass(root, 'tg-edge').map((e) => `${e.attrs['data-from']} ${e.attrs['data-to']}`);
    expect(drawn.sort()).toEqual([...pairs].sort());
    for (const e of byClass(root, 'tg-edge'))
      expect(allElements(e).find((c) => c.name === 'path')?.attrs.d).toMatch(
        /^M[-\d.]+,[-\d.]+(L[-\d.]+,[-\d.]+)+$/,
      );
  });

  test('collapsed name scopes become one box listing their ops; expanded ones are frames', () => {
    const root = parseXml(tf.summary.graphToSvg(graph, { expanded: [] }));
    const opNames = byClass(root, 'tg-op').map((e) => e.attrs['data-name'] as string);
    expect(opNames).toContain('x');
    expect(opNames.some((n) => n.startsWith('gradients/'))).toBe(false);
    const collapsed = byClass(root, 'tg-collapsed');
    const grads = collapsed.find((e) => e.attrs['data-scope'] === 'gradients') as XmlElement;
    const inGradients = ops.filter((o) => o.name.startsWith('gradients/'));
    expect(titleOf(grads)).toContain(`(${inGradients.length} ops)`);
    for (const o of inGradients) expect(titleOf(grads)).toContain(o.name);
    // The variable W and its W/read, W/Assign ops form the scope W.
    expect(collapsed.map((e) => e.attrs['data-scope'])).toContain('W');
    expect(opNames).not.toContain('W');

    const one = parseXml(tf.summary.graphToSvg(graph, { expanded: ['gradients'] }));
    expect(byClass(one, 'tg-expanded').map((e) => e.attrs['data-scope'])).toEqual(['gradients']);
    expect(byClass(one, 'tg-collapsed').map((e) => e.attrs['data-scope'])).toContain('gradients/MatMul_grad');
    expect(byClass(one, 'tg-op').map((e) => e.attrs['data-name'])).toContain('gradients/grad_ys_0');
  });

  test("a large graph (8 dense layers, Adam: ~800 ops) lays out quickly, each op inside its scopes' frames", () => {
    const big = new tf.Graph();
    big.asDefault(() => {
      let h = tf.placeholder('float32', [null, 100], 'x');
      for (let i = 0; i < 8; i++) {
        h = tf.nameScope(`layer${i}`, () => {
          const W = new tf.Variable(tf.randomNormal([100, 100]), { name: 'W' });
          const b = new tf.Variable(tf.zeros([100]), { name: 'b' });
          return tf.nn.relu(tf.add(tf.matmul(h, W), b));
        });
      }
      new tf.train.AdamOptimizer(0.01).minimize(tf.reduceMean(tf.square(h), undefined, 'loss'));
    });
    const t0 = Date.now();
    const root = parseXml(tf.summary.graphToSvg(big));
    expect(Date.now() - t0).toBeLessThan(30000); // a single compound dagre layout took ~60 s here
    const rectOf = (e: XmlElement): number[] =>
      ['x', 'y', 'width', 'height'].map((k) => Number(e.children.find((c) => c.name === 'rect')?.attrs[k]));
    const frames = new Map(
      byClass(root, 'tg-expanded').map((e) => [e.attrs['data-scope'] as string, rectOf(e)]),
    );
    const ops = byClass(root, 'tg-op');
    expect(ops).toHaveLength(big.getOperations().length);
    let checked = 0;
    for (const e of ops) {
      const name = e.attrs['data-name'] as string;
      const [x, y, w, h] = rectOf(e) as [number, number, number, number];
      for (let i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
        const [fx, fy, fw, fh] = frames.get(name.slice(0, i)) as [number, number, number, number];
        expect(x).toBeGreaterThanOrEqual(fx);
        expect(y).toBeGreaterThanOrEqual(fy);
        expect(x + w).toBeLessThanOrEqual(fx + fw + 1e-6);
        expect(y + h).toBeLessThanOrEqual(fy + fh + 1e-6);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  test('names with <, >, &, quotes are escaped and read back exactly', () => {
    const weird = ['a<b>&c"d', "x'y/z<1>", "x'y/w&amp;"];
    const def = {
      node: [
        { name: weird[0] as string, op: 'Const' },
        { name: weird[1] as string, op: 'Add<T>', input: [weird[0] as string, `^${weird[0]}`] },
        { name: weird[2] as string, op: 'Identity', input: [`${weird[1]}:0`] },
      ],
    };
    const svg = tf.summary.graphToSvg(def);
    const root = parseXml(svg);
    expect(byClass(root, 'tg-op').map((e) => e.attrs['data-name'])).toEqual(weird);
    expect(byClass(root, 'tg-op').map((e) => titleOf(e).split('\n')[0])).toEqual(weird);
    expect(byClass(root, 'tg-op')[1]?.attrs['data-type']).toBe('Add<T>');
    expect(svg).not.toContain('<T>');
    // Collapsed: the scope "x'y" holds both scoped ops.
    const collapsed = parseXml(tf.summary.graphToSvg(def, { expanded: [] }));
    expect(byClass(collapsed, 'tg-collapsed').map((e) => e.attrs['data-scope'])).toEqual(["x'y"]);
  });

  test('draws the GraphDef a FileWriter stored in an event file like the graph itself', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-graph-svg-'));
    try {
      const w = new tf.summary.FileWriter(dir, graph);
      w.close();
      const ev = tf.summary.readEvents(dir).find((e) => e.graphDef);
      expect(ev).toBeDefined();
      const fromFile = parseXml(tf.summary.graphToSvg(ev?.graphDef as Uint8Array));
      const fromGraph = parseXml(tf.summary.graphToSvg(graph));
      const summary = (r: XmlElement): string[] =>
        [
          ...byClass(r, 'tg-op').map((e) => `${e.attrs['data-name']} ${e.attrs['data-type']}`),
          ...byClass(r, 'tg-edge').map(
            (e) => `${e.attrs['data-from']}->${e.attrs['data-to']}: ${edgeLabel(e)}`,
          ),
        ].sort();
      expect(summary(fromFile)).toEqual(summary(fromGraph));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the default graph, and rejected arguments', () => {
    const g = new tf.Graph();
    g.asDefault(() => {
      tf.add(tf.constant(1, undefined, 'one'), tf.constant(2, undefined, 'two'), 'sum');
      const names = byClass(parseXml(tf.summary.graphToSvg()), 'tg-op').map((e) => e.attrs['data-name']);
      expect(names.sort()).toEqual(['one', 'sum', 'two']);
    });
    expect(() => tf.summary.graphToSvg(g, { rankDir: 'LR' } as never)).toThrow(TypeError);
    expect(() => tf.summary.graphToSvg(g, { rankdir: 'XY' } as never)).toThrow(/rankdir/);
    expect(() => tf.summary.graphToSvg(g, { expanded: 'some' } as never)).toThrow(/expanded/);
    expect(() => tf.summary.graphToSvg(42 as never)).toThrow(TypeError);
  });

  test('graphToHtml is a page embedding the same well-formed picture', () => {
    const html = tf.summary.graphToHtml(graph, { title: 'MNIST <softmax>' });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<title>MNIST &lt;softmax&gt;</title>');
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + 6);
    const names = byClass(parseXml(svg), 'tg-op').map((e) => e.attrs['data-name']);
    expect(names.sort()).toEqual(ops.map((o) => o.name).sort());
    expect(() => tf.summary.graphToHtml(graph, { titel: 'x' } as never)).toThrow(TypeError);
  });
});
