import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { InvalidArgumentError } from '../errors';
import { checkOptions, decodeGraphDef, LogdirReader, type RunData } from '../summary/event_reader';
import { graphToSvg } from '../summary/graph_svg';
import { PAGE_HTML } from './page';

/**
 * The board's HTTP server (Node's `http`, no framework): one page and JSON endpoints over a
 * `LogdirReader` that re-reads the log directory (incrementally) at most every `reloadIntervalMs`, so a
 * training run still writing shows up live.
 *
 * - `GET /` — the page; `GET /static/chart.umd.js` — Chart.js
 * - `GET /api/runs` — `{ logdir, generation, errors, runs: [{ name, scalarTags, histogramTags, hasGraph, events }] }`
 * - `GET /api/scalars` — `{ [run]: { [tag]: [step, wallTime, value][] } }`
 * - `GET /api/histograms` — `{ [run]: { [tag]: { step, wallTime, min, max, num, sum, sumSquares, bucketLimit, bucket }[] } }`
 * - `GET /api/graph?run=R&expanded=["scope",…]` — the run's graph as SVG (`graphToSvg`), scopes collapsed
 *   unless listed (`expanded=all` expands every scope)
 * - `GET /api/graph/scopes?run=R` — `{ scopes: [...] }`, every name scope of the run's graph
 */

export interface BoardOptions {
  /** The log directory (runs are its subdirectories holding event files, itself included). */
  logdir: string;
  /** TCP port (default 6006; 0 picks a free one). */
  port?: number;
  /** Interface to bind (default `'127.0.0.1'`: only this machine can connect). */
  host?: string;
  /** Least time between two reads of the log directory, in ms (default 500). */
  reloadIntervalMs?: number;
}

export interface Board {
  /** `http://host:port/`. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly server: http.Server;
  readonly reader: LogdirReader;
  /** Stops the server. */
  close(): Promise<void>;
}

let chartJs: Buffer | null = null;
function chartJsSource(): Buffer {
  if (chartJs === null) {
    // chart.js's package exports hide dist/chart.umd.js: find it next to the CommonJS entry point.
    const main = require.resolve('chart.js');
    chartJs = fs.readFileSync(path.join(path.dirname(main), 'chart.umd.js'));
  }
  return chartJs;
}

function runSummary(run: RunData, graphVersions: WeakMap<Uint8Array, number>): object {
  let events = 0;
  for (const [, list] of run.scalars) events += list.length;
  for (const [, list] of run.histograms) events += list.length;
  return {
    name: run.name,
    scalarTags: [...run.scalars.keys()].sort(),
    histogramTags: [...run.histograms.keys()].sort(),
    hasGraph: run.graphDef !== null,
    graphVersion: run.graphDef ? (graphVersions.get(run.graphDef) ?? 0) : 0,
    events,
  };
}

function graphScopes(bytes: Uint8Array): string[] {
  const scopes = new Set<string>();
  for (const n of decodeGraphDef(bytes).node) {
    let i = n.name.indexOf('/');
    while (i > 0) {
      scopes.add(n.name.slice(0, i));
      i = n.name.indexOf('/', i + 1);
    }
  }
  return [...scopes].sort();
}

/**
 * The request handler of a board over `reader` (exposed so the board can be mounted in another server).
 */
export function boardHandler(
  reader: LogdirReader,
  reloadIntervalMs = 500,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  let lastReload = -Infinity;
  let loadError: string | null = null;
  let graphCounter = 0;
  const graphVersions = new WeakMap<Uint8Array, number>();
  const svgCache = new Map<string, { graph: Uint8Array; svg: string }>();
  const reload = (): void => {
    const now = Date.now();
    if (now - lastReload < reloadIntervalMs) return;
    lastReload = now;
    try {
      reader.reload();
      loadError = null;
    } catch (e) {
      loadError = (e as Error).message;
    }
    for (const run of reader.runs())
      if (run.graphDef && !graphVersions.has(run.graphDef)) graphVersions.set(run.graphDef, ++graphCounter);
  };
  const send = (res: http.ServerResponse, status: number, type: string, body: string | Buffer): void => {
    res.writeHead(status, {
      'Content-Type': type,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(body);
  };
  const json = (res: http.ServerResponse, body: unknown): void =>
    send(res, 200, 'application/json; charset=utf-8', JSON.stringify(body));

  return (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, 'text/plain; charset=utf-8', 'only GET is supported');
        return;
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      const p = url.pathname;
      if (p === '/' || p === '/index.html') {
        send(res, 200, 'text/html; charset=utf-8', PAGE_HTML);
        return;
      }
      if (p === '/static/chart.umd.js') {
        send(res, 200, 'text/javascript; charset=utf-8', chartJsSource());
        return;
      }
      if (!p.startsWith('/api/')) {
        send(res, 404, 'text/plain; charset=utf-8', `not found: ${p}`);
        return;
      }
      reload();
      if (p === '/api/runs') {
        json(res, {
          logdir: reader.logdir,
          generation: reader.generation,
          errors: [...(loadError ? [loadError] : []), ...reader.errors],
          runs: reader.runs().map((r) => runSummary(r, graphVersions)),
        });
        return;
      }
      if (p === '/api/scalars') {
        const out: Record<string, Record<string, [number, number, number][]>> = {};
        for (const run of reader.runs()) {
          const tags: Record<string, [number, number, number][]> = {};
          for (const [tag, list] of run.scalars) tags[tag] = list.map((s) => [s.step, s.wallTime, s.value]);
          out[run.name] = tags;
        }
        json(res, out);
        return;
      }
      if (p === '/api/histograms') {
        const out: Record<string, Record<string, object[]>> = {};
        for (const run of reader.runs()) out[run.name] = Object.fromEntries(run.histograms);
        json(res, out);
        return;
      }
      if (p === '/api/graph' || p === '/api/graph/scopes') {
        const name = url.searchParams.get('run') ?? '';
        const run = reader.runs().find((r) => r.name === name);
        if (!run || !run.graphDef) {
          send(res, 404, 'text/plain; charset=utf-8', `no graph for run '${name}'`);
          return;
        }
        if (p === '/api/graph/scopes') {
          json(res, { scopes: graphScopes(run.graphDef) });
          return;
        }
        const exp = url.searchParams.get('expanded') ?? '[]';
        let expanded: 'all' | string[];
        if (exp === 'all') expanded = 'all';
        else {
          let parsed: unknown;
          try {
            parsed = JSON.parse(exp);
          } catch {
            parsed = null;
          }
          if (!Array.isArray(parsed) || !parsed.every((s) => typeof s === 'string')) {
            send(
              res,
              400,
              'text/plain; charset=utf-8',
              'expanded must be "all" or a JSON list of scope names',
            );
            return;
          }
          expanded = parsed as string[];
        }
        const key = `${name}\u0000${JSON.stringify(expanded)}`;
        let hit = svgCache.get(key);
        if (!hit || hit.graph !== run.graphDef) {
          hit = { graph: run.graphDef, svg: graphToSvg(run.graphDef, { expanded }) };
          if (svgCache.size > 200) svgCache.clear();
          svgCache.set(key, hit);
        }
        send(res, 200, 'image/svg+xml; charset=utf-8', hit.svg);
        return;
      }
      send(res, 404, 'text/plain; charset=utf-8', `not found: ${p}`);
    } catch (e) {
      send(res, 500, 'text/plain; charset=utf-8', `board error: ${(e as Error).message}`);
    }
  };
}

const BOARD_OPTIONS = new Set(['logdir', 'port', 'host', 'reloadIntervalMs']);

/**
 * Starts the board: a local web server showing the event files under `logdir` — scalar charts per tag
 * with runs as series (smoothing, step / relative / wall-time axes), histograms over time and the graph
 * (name scopes collapsible) — refreshed live while training writes. Resolves once listening. What
 * `tensorgraph board --logdir DIR` runs.
 *
 * @example
 * const board = await tf.summary.startBoard({ logdir: 'logs', port: 6006 });
 * console.log(`open ${board.url}`);
 * // … later
 * await board.close();
 */
export async function startBoard(options: BoardOptions): Promise<Board> {
  checkOptions('startBoard', options, BOARD_OPTIONS);
  const { logdir, port = 6006, host = '127.0.0.1', reloadIntervalMs = 500 } = options;
  if (typeof logdir !== 'string' || logdir === '')
    throw new TypeError("startBoard(): option 'logdir' must be a non-empty string");
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new TypeError(`startBoard(): option 'port' must be an integer in [0, 65535], got ${String(port)}`);
  if (typeof host !== 'string' || host === '')
    throw new TypeError("startBoard(): option 'host' must be a non-empty string");
  if (typeof reloadIntervalMs !== 'number' || !(reloadIntervalMs >= 0))
    throw new TypeError("startBoard(): option 'reloadIntervalMs' must be a non-negative number");
  if (fs.existsSync(logdir) && !fs.statSync(logdir).isDirectory())
    throw new InvalidArgumentError(`startBoard(): ${logdir} is not a directory`);
  const reader = new LogdirReader(path.resolve(logdir));
  const server = http.createServer(boardHandler(reader, reloadIntervalMs));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const actualPort = typeof addr === 'object' && addr !== null ? addr.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${actualPort}/`,
    port: actualPort,
    host,
    server,
    reader,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
