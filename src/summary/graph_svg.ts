import * as dagre from '@dagrejs/dagre';
import { getDefaultGraph, Graph } from '../graph/graph';
import { shapeToString } from '../graph/shape';
import { checkOptions, decodeGraphDef, type GraphDefData, type GraphDefNode } from './event_reader';

/**
 * A self-contained picture of a graph: ops are boxes (name and type), tensors are arrows labelled with
 * their static shapes, name scopes are clusters — expanded (a frame around their ops) or collapsed (one
 * box). The layout is computed by dagre (a layered graph layout library); the result is plain SVG with
 * every name escaped, hover text (`<title>`) giving op type, device, inputs and output shapes, and
 * `data-name` / `data-scope` attributes a page can use to expand and collapse scopes.
 */

/** Where the graph comes from: a `tf.Graph`, a serialized `GraphDef` (from an event file) or a decoded one. */
export type GraphSource = Graph | Uint8Array | GraphDefData;

export interface GraphSvgOptions {
  /**
   * Name scopes drawn expanded: `'all'` (the default) or a list of scope names (`['layer1',
   * 'layer1/dense']`); other scopes are drawn collapsed into one box. A scope is visible only when all
   * its enclosing scopes are expanded.
   */
  expanded?: 'all' | string[];
  /** Layout direction (dagre's rankdir): `'BT'` (inputs at the bottom, as TensorBoard; default), `'TB'`, `'LR'`, `'RL'`. */
  rankdir?: 'TB' | 'BT' | 'LR' | 'RL';
}

export interface GraphHtmlOptions extends GraphSvgOptions {
  /** The page title (default `'tensorgraph graph'`). */
  title?: string;
}

interface NodeInfo {
  name: string;
  op: string;
  device: string;
  inputs: { node: string; index: number; control: boolean }[];
  outputs: string[];
}

const DTYPE_NAMES: Record<number, string> = {
  1: 'float32',
  2: 'float64',
  3: 'int32',
  4: 'uint8',
  5: 'int16',
  6: 'int8',
  7: 'string',
  9: 'int64',
  10: 'bool',
};

function fromGraph(graph: Graph): NodeInfo[] {
  return graph.getOperations().map((op) => ({
    name: op.name,
    op: op.type,
    device: op.device,
    inputs: [
      ...op.inputs.map((t) => ({ node: t.op.name, index: t.index, control: false })),
      ...op.controlInputs.map((c) => ({ node: c.name, index: -1, control: true })),
    ],
    outputs: op.outputs.map((t) => `${shapeToString(t.shape)} ${t.dtype}`),
  }));
}

function shapeFromProto(s: unknown): string {
  const p = (s ?? {}) as { dim?: { size?: number }[]; unknownRank?: boolean };
  if (p.unknownRank) return '<unknown>';
  return `[${(p.dim ?? []).map((d) => (d.size === undefined || d.size < 0 ? '?' : String(d.size))).join(',')}]`;
}

function fromGraphDef(def: GraphDefData): NodeInfo[] {
  return def.node.map((n: GraphDefNode) => {
    const attr = n.attr ?? {};
    const shapes = ((attr._output_shapes?.list as { shape?: unknown[] } | undefined)?.shape ?? []).map(
      shapeFromProto,
    );
    const t = (attr.T?.type ?? attr.dtype?.type) as number | string | undefined;
    const dtype = typeof t === 'number' ? (DTYPE_NAMES[t] ?? `type ${t}`) : typeof t === 'string' ? t : '';
    return {
      name: n.name,
      op: n.op,
      device: n.device ?? '',
      inputs: (n.input ?? []).map((s) => {
        if (s.startsWith('^')) return { node: s.slice(1), index: -1, control: true };
        const m = /^(.*):(\d+)$/.exec(s);
        return m
          ? { node: m[1] as string, index: Number(m[2]), control: false }
          : { node: s, index: 0, control: false };
      }),
      outputs: shapes.map((sh) => (dtype ? `${sh} ${dtype}` : sh)),
    };
  });
}

function nodesOf(source: GraphSource | null | undefined, fn: string): NodeInfo[] {
  if (source === undefined || source === null) return fromGraph(getDefaultGraph());
  if (source instanceof Graph) return fromGraph(source);
  if (source instanceof Uint8Array) return fromGraphDef(decodeGraphDef(source));
  if (typeof source === 'object' && Array.isArray((source as GraphDefData).node))
    return fromGraphDef(source as GraphDefData);
  throw new TypeError(
    `${fn}(): graph must be a tf.Graph, a serialized GraphDef (Uint8Array) or a GraphDef object ({ node: [...] }), got ${typeof source}`,
  );
}

/** XML-escapes text or an attribute value; characters XML 1.0 forbids become U+FFFD. */
export function escapeXml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd') // eslint-disable-line no-control-regex
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const CHAR_W = 6.6;
const NODE_H = 38;
const fmt = (n: number): string => String(Math.round(n * 10) / 10);
const lastPart = (s: string): string => s.slice(s.lastIndexOf('/') + 1);

function opColor(op: string): string {
  if (/^(Variable|VariableV2|VarHandleOp)$/.test(op)) return '#fde7c8';
  if (/^(Placeholder|PlaceholderWithDefault)$/.test(op)) return '#d8ecd2';
  if (op === 'Const') return '#eeeeee';
  if (/Summary$/.test(op)) return '#e9ddf3';
  return '#dce8f5';
}

const CLUSTER_LABEL_H = 16;

interface Point {
  x: number;
  y: number;
}
/** A drawn item: an op, a collapsed scope or an expanded scope (cluster); x, y is its centre. */
interface Box extends Point {
  parent: string | null;
  width: number;
  height: number;
  label: string;
  sub: string;
}
interface EdgeInfo {
  from: string;
  to: string;
  tensors: string[];
  shapes: Set<string>;
  control: boolean;
  route: string;
  label: string;
}
interface Route {
  level: string | null;
  from: string;
  to: string;
  edges: EdgeInfo[];
  points: Point[];
  labelAt?: Point;
}

/** Where the segment from the centre of `b` towards `p` leaves the box `b`. */
function borderPoint(b: Box, p: Point): Point {
  const dx = p.x - b.x;
  const dy = p.y - b.y;
  const w = b.width / 2;
  const h = b.height / 2;
  if (dx === 0 && dy === 0) return { x: b.x, y: b.y - h };
  if (Math.abs(dy) * w > Math.abs(dx) * h) {
    const sy = dy < 0 ? -h : h;
    return { x: b.x + (sy * dx) / dy, y: b.y + sy };
  }
  const sx = dx < 0 ? -w : w;
  return { x: b.x + sx, y: b.y + (sx * dy) / dx };
}

interface Layout {
  width: number;
  height: number;
  svg: string;
}

function layoutSvg(nodes: NodeInfo[], options: GraphSvgOptions, fn: string): Layout {
  checkOptions(fn, options, new Set(['expanded', 'rankdir', 'title']));
  const expandedOpt = options.expanded ?? 'all';
  if (
    expandedOpt !== 'all' &&
    !(Array.isArray(expandedOpt) && expandedOpt.every((s) => typeof s === 'string'))
  )
    throw new TypeError(`${fn}(): option 'expanded' must be 'all' or a list of scope names`);
  const rankdir = options.rankdir ?? 'BT';
  if (!['TB', 'BT', 'LR', 'RL'].includes(rankdir))
    throw new TypeError(`${fn}(): option 'rankdir' must be 'TB', 'BT', 'LR' or 'RL', got ${String(rankdir)}`);
  const expanded = expandedOpt === 'all' ? null : new Set(expandedOpt);
  const isExpanded = (scope: string): boolean => expanded === null || expanded.has(scope);

  // Name scopes: every proper prefix of an op name ending at a '/'.
  const scopes = new Set<string>();
  for (const n of nodes) {
    let i = n.name.indexOf('/');
    while (i > 0) {
      scopes.add(n.name.slice(0, i));
      i = n.name.indexOf('/', i + 1);
    }
  }
  /** The scope an op belongs to: a scope of its own name (`W` with `W/read`), else its name's parent. */
  const scopeOfOp = (name: string): string | null => {
    if (scopes.has(name)) return name;
    const i = name.lastIndexOf('/');
    return i > 0 ? name.slice(0, i) : null;
  };
  const parentScope = (scope: string): string | null => {
    const i = scope.lastIndexOf('/');
    return i > 0 ? scope.slice(0, i) : null;
  };
  const chain = (scope: string | null): string[] => {
    const out: string[] = [];
    for (let s = scope; s !== null; s = parentScope(s)) out.unshift(s);
    return out;
  };
  /** The id of the box an op is drawn in: itself, or its outermost collapsed scope. */
  const repOf = new Map<string, string>();
  const byName = new Map<string, NodeInfo>();
  const scopeCount = new Map<string, number>();
  for (const n of nodes) {
    byName.set(n.name, n);
    const c = chain(scopeOfOp(n.name));
    for (const s of c) scopeCount.set(s, (scopeCount.get(s) ?? 0) + 1);
    const collapsed = c.find((s) => !isExpanded(s));
    repOf.set(n.name, collapsed === undefined ? `op:${n.name}` : `scope:${collapsed}`);
  }

  const clusterOf = (scope: string | null): string | null => {
    // The innermost expanded (visible) scope enclosing `scope`, inclusive.
    const c = chain(scope);
    let inner: string | null = null;
    for (const s of c) {
      if (!isExpanded(s)) break;
      inner = s;
    }
    return inner;
  };
  // Boxes (ops and collapsed scopes) and expanded scopes (clusters), each with its enclosing cluster.
  const boxes = new Map<string, Box>();
  const clusters = new Map<string, Box>();
  const children = new Map<string | null, string[]>();
  const addChild = (parent: string | null, id: string): void => {
    const list = children.get(parent) ?? [];
    list.push(id);
    children.set(parent, list);
  };
  const addCluster = (scope: string): void => {
    if (clusters.has(scope)) return;
    const parent = clusterOf(parentScope(scope));
    clusters.set(scope, { parent, width: 0, height: 0, x: 0, y: 0, label: scope, sub: '' });
    if (parent !== null) addCluster(parent);
    addChild(parent, `cluster:${scope}`);
  };
  const placed = new Set<string>();
  for (const n of nodes) {
    const id = repOf.get(n.name) as string;
    if (placed.has(id)) continue;
    placed.add(id);
    let label: string;
    let sub: string;
    let parent: string | null;
    if (id.startsWith('op:')) {
      label = lastPart(n.name);
      sub = n.op;
      parent = clusterOf(scopeOfOp(n.name));
    } else {
      const scope = id.slice(6);
      label = lastPart(scope);
      sub = `${scopeCount.get(scope) ?? 0} ops`;
      parent = clusterOf(parentScope(scope));
    }
    const width = Math.max(label.length, sub.length) * CHAR_W + 20;
    boxes.set(id, { parent, width, height: NODE_H, x: 0, y: 0, label, sub });
    if (parent !== null) addCluster(parent);
    addChild(parent, id);
  }
  // Edges between boxes; several tensors between the same two boxes become one arrow.
  const edges = new Map<string, EdgeInfo>();
  for (const n of nodes) {
    const to = repOf.get(n.name) as string;
    for (const inp of n.inputs) {
      const from = repOf.get(inp.node);
      if (from === undefined || from === to) continue;
      const key = `${from}\u0000${to}`;
      let e = edges.get(key);
      if (!e) {
        e = { from, to, tensors: [], shapes: new Set(), control: true, route: '', label: '' };
        edges.set(key, e);
      }
      if (inp.control) e.tensors.push(`^${inp.node}`);
      else {
        e.control = false;
        const src = byName.get(inp.node);
        const shape = src?.outputs[inp.index] ?? '';
        e.tensors.push(`${inp.node}:${inp.index}${shape ? ` ${shape}` : ''}`);
        e.shapes.add(shape.split(' ')[0] ?? '');
      }
    }
  }
  // Each arrow is laid out in the innermost cluster holding both ends, between the two items of that
  // cluster (boxes or sub-clusters) that contain its ends; arrows sharing those items share one route.
  const clusterChain = (id: string): (string | null)[] => {
    const out: (string | null)[] = [];
    let c = (boxes.get(id) as Box).parent;
    while (c !== null) {
      out.unshift(c);
      c = (clusters.get(c) as Box).parent;
    }
    return [null, ...out];
  };
  const routes = new Map<string, Route>();
  for (const e of edges.values()) {
    const nt = e.tensors.filter((t) => !t.startsWith('^')).length;
    e.label = e.control ? '' : e.shapes.size === 1 && nt === 1 ? ([...e.shapes][0] ?? '') : `${nt} tensors`;
    const ca = clusterChain(e.from);
    const cb = clusterChain(e.to);
    let k = 0;
    while (k + 1 < ca.length && k + 1 < cb.length && ca[k + 1] === cb[k + 1]) k++;
    const level = ca[k] as string | null;
    const itemA = k + 1 < ca.length ? `cluster:${ca[k + 1]}` : e.from;
    const itemB = k + 1 < cb.length ? `cluster:${cb[k + 1]}` : e.to;
    const key = `${itemA}\u0000${itemB}`;
    let r = routes.get(key);
    if (!r) {
      r = { level, from: itemA, to: itemB, edges: [], points: [] };
      routes.set(key, r);
    }
    r.edges.push(e);
    e.route = key;
  }
  const routesAt = new Map<string | null, Route[]>();
  for (const r of routes.values()) {
    const list = routesAt.get(r.level) ?? [];
    list.push(r);
    routesAt.set(r.level, list);
  }
  const itemBox = (id: string): Box =>
    (id.startsWith('cluster:') ? clusters.get(id.slice(8)) : boxes.get(id)) as Box;
  const routeLabel = (r: Route): string => {
    if (r.edges.length === 1) return (r.edges[0] as EdgeInfo).label;
    const n = r.edges.reduce((s, e) => s + e.tensors.filter((t) => !t.startsWith('^')).length, 0);
    return n ? `${n} tensors` : '';
  };
  /** Lays out the content of cluster `scope` (null: the whole graph) in its own coordinates; sets its size. */
  const layoutLevel = (scope: string | null): { width: number; height: number } => {
    const g = new dagre.graphlib.Graph({ multigraph: false });
    g.setGraph({
      rankdir,
      nodesep: 18,
      ranksep: 36,
      edgesep: 10,
      marginx: scope ? 10 : 16,
      marginy: scope ? 10 : 16,
    });
    g.setDefaultEdgeLabel(() => ({}));
    for (const id of children.get(scope) ?? []) {
      if (id.startsWith('cluster:')) {
        const c = clusters.get(id.slice(8)) as Box;
        const size = layoutLevel(id.slice(8));
        c.width = Math.max(size.width, (lastPart(id.slice(8)).length + 2) * CHAR_W + 12);
        c.height = size.height + CLUSTER_LABEL_H;
      }
      const b = itemBox(id);
      g.setNode(id, { width: b.width, height: b.height });
    }
    for (const r of routesAt.get(scope) ?? []) {
      const label = routeLabel(r);
      g.setEdge(r.from, r.to, {
        width: label.length * (CHAR_W - 0.6),
        height: label ? 14 : 0,
        labelpos: 'c',
      });
    }
    dagre.layout(g);
    for (const id of children.get(scope) ?? []) {
      const n = g.node(id) as { x: number; y: number };
      const b = itemBox(id);
      b.x = n.x;
      b.y = n.y;
    }
    for (const r of routesAt.get(scope) ?? []) {
      const ed = g.edge(r.from, r.to) as { points?: Point[]; x?: number; y?: number };
      r.points = ed.points ?? [];
      if (ed.x !== undefined && ed.y !== undefined) r.labelAt = { x: ed.x, y: ed.y };
    }
    const gl = g.graph() as { width?: number; height?: number };
    return { width: gl.width ?? 40, height: gl.height ?? 40 };
  };
  const top = layoutLevel(null);
  const width = Math.ceil(top.width);
  const height = Math.ceil(top.height);
  // From cluster coordinates to picture coordinates, outer clusters first.
  const originOf = new Map<string | null, Point>([[null, { x: 0, y: 0 }]]);
  const place = (scope: string | null): void => {
    const o = originOf.get(scope) as Point;
    for (const id of children.get(scope) ?? []) {
      const b = itemBox(id);
      b.x += o.x;
      b.y += o.y;
      if (id.startsWith('cluster:')) {
        originOf.set(id.slice(8), { x: b.x - b.width / 2, y: b.y - b.height / 2 + CLUSTER_LABEL_H });
        place(id.slice(8));
      }
    }
    for (const r of routesAt.get(scope) ?? []) {
      r.points = r.points.map((p) => ({ x: p.x + o.x, y: p.y + o.y }));
      if (r.labelAt) r.labelAt = { x: r.labelAt.x + o.x, y: r.labelAt.y + o.y };
    }
  };
  place(null);

  const parts: string[] = [];
  parts.push(
    `<defs><marker id="tg-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#555"/></marker></defs>`,
  );
  // Clusters, outer ones first.
  parts.push('<g class="tg-clusters">');
  for (const scope of [...clusters.keys()].sort((a, b) => a.split('/').length - b.split('/').length)) {
    const c = clusters.get(scope) as Box;
    const x = c.x - c.width / 2;
    const y = c.y - c.height / 2;
    parts.push(
      `<g class="tg-scope tg-expanded" data-scope="${escapeXml(scope)}"><title>${escapeXml(
        `name scope ${scope} (${scopeCount.get(scope) ?? 0} ops), expanded`,
      )}</title><rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(c.width)}" height="${fmt(c.height)}" rx="6" fill="#f7f7fb" fill-opacity="0.6" stroke="#9a9ab0" stroke-dasharray="4 2"/><text x="${fmt(x + 6)}" y="${fmt(y + 13)}" font-size="11" fill="#555">${escapeXml(`− ${lastPart(scope)}`)}</text></g>`,
    );
  }
  parts.push('</g><g class="tg-edges">');
  const labelled = new Set<Route>();
  for (const e of edges.values()) {
    const r = routes.get(e.route) as Route;
    if (r.points.length === 0) continue;
    // The shared route, extended to the actual boxes when they sit inside sub-clusters.
    const pts = [...r.points];
    if (r.from !== e.from) pts.unshift(borderPoint(boxes.get(e.from) as Box, pts[0] as Point));
    if (r.to !== e.to) pts.push(borderPoint(boxes.get(e.to) as Box, pts[pts.length - 1] as Point));
    const d = pts.map((p, i) => `${i ? 'L' : 'M'}${fmt(p.x)},${fmt(p.y)}`).join('');
    const label = labelled.has(r) ? '' : routeLabel(r);
    labelled.add(r);
    parts.push(
      `<g class="tg-edge" data-from="${escapeXml(e.from)}" data-to="${escapeXml(e.to)}"><title>${escapeXml(e.tensors.join('\n'))}</title><path d="${d}" fill="none" stroke="#666" stroke-width="1.2"${
        e.control ? ' stroke-dasharray="3 3"' : ''
      } marker-end="url(#tg-arrow)"/>${
        label && r.labelAt
          ? `<text x="${fmt(r.labelAt.x)}" y="${fmt(r.labelAt.y + 4)}" text-anchor="middle" font-size="10" fill="#333">${escapeXml(label)}</text>`
          : ''
      }</g>`,
    );
  }
  parts.push('</g><g class="tg-nodes">');
  for (const id of placed) {
    const nd = boxes.get(id) as Box;
    const x = nd.x - nd.width / 2;
    const y = nd.y - nd.height / 2;
    if (id.startsWith('op:')) {
      const n = byName.get(id.slice(3)) as NodeInfo;
      const title = [
        n.name,
        `type: ${n.op}`,
        `device: ${n.device || '(unplaced)'}`,
        ...(n.inputs.length
          ? [`inputs: ${n.inputs.map((i) => (i.control ? `^${i.node}` : `${i.node}:${i.index}`)).join(', ')}`]
          : []),
        ...n.outputs.map((o, i) => `output ${i}: ${o}`),
      ].join('\n');
      parts.push(
        `<g class="tg-op" data-name="${escapeXml(n.name)}" data-type="${escapeXml(n.op)}"><title>${escapeXml(
          title,
        )}</title><rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(nd.width)}" height="${fmt(nd.height)}" rx="4" fill="${opColor(
          n.op,
        )}" stroke="#6b7d99"/><text x="${fmt(nd.x)}" y="${fmt(nd.y - 3)}" text-anchor="middle" font-size="12">${escapeXml(
          nd.label,
        )}</text><text x="${fmt(nd.x)}" y="${fmt(nd.y + 12)}" text-anchor="middle" font-size="10" fill="#555">${escapeXml(
          nd.sub,
        )}</text></g>`,
      );
    } else {
      const scope = id.slice(6);
      const members = nodes.filter((n) => repOf.get(n.name) === id).map((n) => `${n.name} (${n.op})`);
      const shown =
        members.length > 40 ? [...members.slice(0, 40), `… ${members.length - 40} more`] : members;
      parts.push(
        `<g class="tg-scope tg-collapsed" data-scope="${escapeXml(scope)}"><title>${escapeXml(
          `name scope ${scope} (${members.length} ops), collapsed:\n${shown.join('\n')}`,
        )}</title><rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(nd.width)}" height="${fmt(nd.height)}" rx="12" fill="#f3e9d2" stroke="#a68a4d" stroke-width="1.5"/><text x="${fmt(nd.x)}" y="${fmt(
          nd.y - 3,
        )}" text-anchor="middle" font-size="12" font-weight="bold">${escapeXml(`+ ${nd.label}`)}</text><text x="${fmt(
          nd.x,
        )}" y="${fmt(nd.y + 12)}" text-anchor="middle" font-size="10" fill="#555">${escapeXml(nd.sub)}</text></g>`,
      );
    }
  }
  parts.push('</g>');
  return { width, height, svg: parts.join('') };
}

/**
 * An SVG document drawing `graph` (default: the default graph) laid out by dagre: ops with their name and
 * type, tensors as arrows labelled with their static shapes (`[?,784]`), control dependencies dashed,
 * name scopes as frames (expanded) or single boxes (collapsed, see `options.expanded`). Hover text gives
 * each op's type, device, inputs and output shapes. Accepts a `tf.Graph`, or the GraphDef a `FileWriter`
 * stored in an event file (serialized, or decoded by `decodeGraphDef`).
 *
 * @example
 * fs.writeFileSync('graph.svg', tf.summary.graphToSvg(sess.graph));
 * tf.summary.graphToSvg(graph, { expanded: [] }); // top-level name scopes collapsed
 */
export function graphToSvg(graph?: GraphSource | null, options: GraphSvgOptions = {}): string {
  const nodes = nodesOf(graph, 'graphToSvg');
  const { width, height, svg } = layoutSvg(nodes, options, 'graphToSvg');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="tg-graph" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">` +
    `<rect width="${width}" height="${height}" fill="white"/>${svg}</svg>\n`
  );
}

/**
 * A self-contained HTML page (no scripts or files needed) showing `graph` as `graphToSvg` draws it, with
 * hover text on every op and tensor.
 *
 * @example
 * fs.writeFileSync('graph.html', tf.summary.graphToHtml(sess.graph, { title: 'MNIST softmax' }));
 */
export function graphToHtml(graph?: GraphSource | null, options: GraphHtmlOptions = {}): string {
  const nodes = nodesOf(graph, 'graphToHtml');
  const title = options.title ?? 'tensorgraph graph';
  if (typeof title !== 'string') throw new TypeError("graphToHtml(): option 'title' must be a string");
  const { width, height, svg } = layoutSvg(nodes, options, 'graphToHtml');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title>
<style>body{font-family:Helvetica,Arial,sans-serif;margin:16px;background:#fafafa}h1{font-size:18px}
.tg-op:hover rect,.tg-scope:hover rect{stroke:#d62728;stroke-width:2}.tg-edge:hover path{stroke:#d62728;stroke-width:2}
.wrap{overflow:auto;border:1px solid #ddd;background:white}</style></head>
<body><h1>${escapeXml(title)}</h1><p>${nodes.length} ops. Hover over an op for its type, device, inputs and output shapes.</p>
<div class="wrap"><svg xmlns="http://www.w3.org/2000/svg" class="tg-graph" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">${svg}</svg></div>
</body></html>
`;
}
