import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '../../src';
import { parseBoardArgs } from '../../src/board/cli';
import { startTrainRun, type TrainRun } from './train_run';

/**
 * The board end to end: a short training run writes events, the board serves them, headless Chromium
 * (Debian's `chromium`, driven by puppeteer-core) loads the page; the charts, histograms and graph show
 * what was logged, a screenshot goes to test-output/, and events appended later appear without a restart.
 */
/** The little of the DOM the page callbacks use (the tests compile without TypeScript's DOM lib). */
interface El {
  textContent: string | null;
  value: string;
  style: { display: string };
  click(): void;
  dispatchEvent(e: unknown): boolean;
  getBoundingClientRect(): { x: number; y: number; width: number; height: number };
  querySelector(selector: string): El | null;
}
declare const document: {
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El>;
  getElementById(id: string): El | null;
};
declare const window: unknown;
declare const Event: new (type: string) => unknown;

const CHROMIUM = '/usr/bin/chromium';
const OUT_DIR = path.join(__dirname, '..', '..', 'test-output');

/** TensorBoard's smoothing (exponential moving average, debiased), written out again for the check. */
function tensorboardSmoothing(values: number[], weight: number): number[] {
  let last = 0;
  return values.map((v, i) => {
    last = last * weight + (1 - weight) * v;
    return last / (1 - weight ** (i + 1));
  });
}

describe('the board server (HTTP, no browser)', () => {
  let dir: string;
  let board: tf.summary.Board;
  let run: TrainRun;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-board-http-'));
    run = startTrainRun(path.join(dir, 'run1'));
    await run.train(5);
    board = await tf.summary.startBoard({ logdir: dir, port: 0, reloadIntervalMs: 0 });
  });
  afterAll(async () => {
    await board.close();
    run.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('listens on 127.0.0.1 by default and serves the page, Chart.js and the data', async () => {
    expect(board.host).toBe('127.0.0.1');
    expect(board.url).toBe(`http://127.0.0.1:${board.port}/`);
    const page = await fetch(board.url);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('/static/chart.umd.js');
    const chart = await (await fetch(`${board.url}static/chart.umd.js`)).text();
    expect(chart).toMatch(/Chart\.js v4/);
    const runs = (await (await fetch(`${board.url}api/runs`)).json()) as {
      runs: { name: string; scalarTags: string[]; histogramTags: string[]; hasGraph: boolean }[];
    };
    expect(runs.runs).toEqual([
      expect.objectContaining({
        name: 'run1',
        scalarTags: ['loss'],
        histogramTags: ['weights/W'],
        hasGraph: true,
      }),
    ]);
    const scalars = (await (await fetch(`${board.url}api/scalars`)).json()) as Record<
      string,
      Record<string, number[][]>
    >;
    expect(scalars.run1?.loss?.map((p) => p[0])).toEqual([0, 1, 2, 3, 4]);
    const svg = await fetch(`${board.url}api/graph?run=run1&expanded=all`);
    expect(svg.headers.get('content-type')).toMatch(/image\/svg\+xml/);
    expect(await svg.text()).toContain('data-name="model/pred"');
    const scopes = (await (await fetch(`${board.url}api/graph/scopes?run=run1`)).json()) as {
      scopes: string[];
    };
    expect(scopes.scopes).toEqual(expect.arrayContaining(['model', 'gradients']));
  });

  test('errors: unknown paths, runs and methods', async () => {
    expect((await fetch(`${board.url}nope`)).status).toBe(404);
    expect((await fetch(`${board.url}api/graph?run=missing`)).status).toBe(404);
    expect((await fetch(`${board.url}api/graph?run=run1&expanded=%5B1%5D`)).status).toBe(400);
    expect((await fetch(board.url, { method: 'POST', body: 'x' })).status).toBe(405);
    await expect(tf.summary.startBoard({ logdir: dir, prot: 1 } as never)).rejects.toThrow(TypeError);
    await expect(tf.summary.startBoard({ logdir: dir, port: -1 })).rejects.toThrow(/port/);
  });

  test('the command line: tensorgraph board --logdir DIR [--port] [--host]', () => {
    expect(parseBoardArgs(['board', '--logdir', 'logs'])).toEqual({
      logdir: 'logs',
      port: 6006,
      host: '127.0.0.1',
    });
    expect(parseBoardArgs(['board', '--logdir=logs', '--port', '0', '--host', '0.0.0.0'])).toEqual({
      logdir: 'logs',
      port: 0,
      host: '0.0.0.0',
    });
    expect(() => parseBoardArgs(['board'])).toThrow(/--logdir is required/);
    expect(() => parseBoardArgs(['board', '--logdir', 'x', '--port', 'abc'])).toThrow(/--port/);
    expect(() => parseBoardArgs(['board', '--logdir', 'x', '--verbose'])).toThrow(
      /unknown option '--verbose'/,
    );
    expect(() => parseBoardArgs(['serve'])).toThrow(/unknown command 'serve'/);
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      files: string[];
    };
    expect(pkg.bin.tensorgraph).toBe('bin/tensorgraph.js');
    expect(pkg.files).toContain('bin');
    expect(
      fs.readFileSync(path.join(__dirname, '..', '..', pkg.bin.tensorgraph as string), 'utf8'),
    ).toContain("'dist', 'cjs', 'board', 'cli.js'");
  });
});

if (!fs.existsSync(CHROMIUM)) {
  test.skip(`board in headless Chromium: skipped, ${CHROMIUM} not found (apt-get install chromium)`, () =>
    undefined);
} else {
  describe('the board in headless Chromium', () => {
    // Loaded lazily so the file loads where puppeteer-core is not installed.
    type Puppeteer = typeof import('puppeteer-core');
    let dir: string;
    let board: tf.summary.Board;
    let browser: Awaited<ReturnType<Puppeteer['launch']>>;
    const runs: TrainRun[] = [];
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-board-'));
      const puppeteer = require('puppeteer-core') as Puppeteer;
      browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage'],
        headless: true,
      });
    });
    afterAll(async () => {
      await browser?.close();
      await board?.close();
      for (const r of runs) r.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('scalars, histograms and graph of a training run, live updates without a restart', async () => {
      const run1 = startTrainRun(path.join(dir, 'run1'));
      runs.push(run1);
      const losses = await run1.train(12);
      board = await tf.summary.startBoard({ logdir: dir, port: 0, reloadIntervalMs: 0 });
      const page = await browser.newPage();
      await page.setViewport({ width: 1280, height: 900 });
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(String(e)));
      await page.goto(`${board.url}?poll=250`);
      await page.waitForFunction(
        () => {
          const b = (window as unknown as { __board?: { updates: number; graphOps: string[] } }).__board;
          return b !== undefined && b.updates > 0 && b.graphOps.length > 0;
        },
        { timeout: 60000 },
      );

      /** The loss chart's datasets as Chart.js holds them. */
      const lossChart = (): Promise<{ run: string; kind: string; y: number[]; x: number[] }[]> =>
        page.evaluate(() => {
          const canvas = document.querySelector('[data-tag="scalar:loss"] canvas') as El;
          const chart = (window as unknown as { Chart: { getChart(c: El): unknown } }).Chart.getChart(
            canvas,
          ) as {
            data: { datasets: { run: string; kind: string; data: { x: number; y: number }[] }[] };
          };
          return chart.data.datasets.map((d) => ({
            run: d.run,
            kind: d.kind,
            x: d.data.map((p) => p.x),
            y: d.data.map((p) => p.y),
          }));
        });
      let sets = await lossChart();
      const raw = sets.find((d) => d.run === 'run1' && d.kind === 'raw');
      expect(raw?.y).toEqual(losses.map((l) => Math.fround(l)));
      expect(raw?.x).toEqual([...Array(12).keys()]);
      const smoothed = sets.find((d) => d.run === 'run1' && d.kind === 'smoothed')?.y as number[];
      const expected = tensorboardSmoothing(raw?.y as number[], 0.6);
      smoothed.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));

      fs.mkdirSync(OUT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(OUT_DIR, 'board.png') });

      // The smoothing slider and the axis selector redraw the chart.
      await page.evaluate(() => {
        const s = document.getElementById('smoothing') as El;
        s.value = '0';
        s.dispatchEvent(new Event('input'));
        (document.querySelector('input[name=xaxis][value=relative]') as El).click();
      });
      sets = await lossChart();
      expect(sets.find((d) => d.kind === 'smoothed')?.y).toEqual(raw?.y);
      const rel = sets.find((d) => d.kind === 'raw')?.x as number[];
      expect(rel[0]).toBe(0);
      expect(rel.every((v, i) => i === 0 || v >= (rel[i - 1] as number))).toBe(true);
      await page.evaluate(() => (document.querySelector('input[name=xaxis][value=step]') as El).click());

      // Histograms over time.
      await page.click('button[data-view=histograms]');
      const hist = await page.evaluate(() => {
        const b = (window as unknown as { __board: { histogramTags: string[] } }).__board;
        const cards = [...document.querySelectorAll('#histogram-cards .card h4')].map((h) => h.textContent);
        const canvas = document.querySelector('#histogram-cards canvas') as El;
        const chart = (window as unknown as { Chart: { getChart(c: El): unknown } }).Chart.getChart(
          canvas,
        ) as { $steps: number[]; data: { datasets: { data: { y: number }[] }[] } };
        const last = chart.data.datasets[chart.data.datasets.length - 1]?.data ?? [];
        return {
          tags: b.histogramTags,
          cards,
          steps: chart.$steps,
          lastTotal: last.reduce((s, p) => s + p.y, 0),
        };
      });
      expect(hist.tags).toEqual(['weights/W']);
      expect(hist.cards).toEqual(['weights/W — run1']);
      expect(hist.steps).toEqual([...Array(12).keys()]);
      expect(hist.lastTotal).toBeCloseTo(1, 6); // W is 1×1: one value per histogram
      await page.screenshot({ path: path.join(OUT_DIR, 'board-histograms.png') });

      // The graph: top-level ops and collapsed scopes; a click expands a scope; hover text has the op type.
      await page.click('button[data-view=graph]');
      const graphState = (): Promise<{ ops: string[]; scopes: string[] }> =>
        page.evaluate(() => {
          const b = (window as unknown as { __board: { graphOps: string[]; graphScopes: string[] } }).__board;
          return { ops: b.graphOps, scopes: b.graphScopes };
        });
      const before = await graphState();
      expect(before.ops).toEqual(expect.arrayContaining(['x', 'y', 'mse']));
      expect(before.scopes).toEqual(expect.arrayContaining(['model', 'gradients', 'GradientDescent']));
      expect(before.ops).not.toContain('model/pred');
      await page.click('#graph-box [data-scope="model"]');
      await page.waitForFunction(
        () =>
          (window as unknown as { __board: { graphOps: string[] } }).__board.graphOps.includes('model/pred'),
        { timeout: 30000 },
      );
      const predType = run1.graph.getOperationByName('model/pred').type;
      const hover = await page.evaluate(() => {
        const g = document.querySelector('#graph-box [data-name="model/pred"]') as El;
        const r = g.getBoundingClientRect();
        return {
          title: g.querySelector('title')?.textContent ?? '',
          x: r.x + r.width / 2,
          y: r.y + r.height / 2,
        };
      });
      expect(hover.title).toContain(`type: ${predType}`);
      expect(hover.title).toContain('output 0: [?,1]');
      await page.mouse.move(hover.x, hover.y);
      const tooltip = await page.$eval('#tooltip', (t) => ({
        text: t.textContent ?? '',
        shown: (t as El).style.display,
      }));
      expect(tooltip.shown).toBe('block');
      expect(tooltip.text).toContain('model/pred');
      await page.screenshot({ path: path.join(OUT_DIR, 'board-graph.png') });
      await page.click('button[data-view=scalars]');

      // Live: more steps appended to run1's event file, and a second run, show up without a restart.
      const more = await run1.train(5);
      const run2 = startTrainRun(path.join(dir, 'run2'), 2);
      runs.push(run2);
      await run2.train(3);
      await page.waitForFunction(
        () => {
          const canvas = document.querySelector('[data-tag="scalar:loss"] canvas') as El;
          const chart = (window as unknown as { Chart: { getChart(c: El): unknown } }).Chart.getChart(
            canvas,
          ) as {
            data: { datasets: { run: string; kind: string; data: unknown[] }[] };
          };
          const n = (run: string): number =>
            chart.data.datasets.find((d) => d.run === run && d.kind === 'raw')?.data.length ?? 0;
          return n('run1') === 17 && n('run2') === 3;
        },
        { timeout: 30000 },
      );
      sets = await lossChart();
      expect(sets.find((d) => d.run === 'run1' && d.kind === 'raw')?.y.slice(12)).toEqual(
        more.map((l) => Math.fround(l)),
      );
      const runLabels = await page.$$eval('#runs label', (ls) => ls.map((l) => l.textContent));
      expect(runLabels).toEqual(['run1', 'run2']);
      await page.screenshot({ path: path.join(OUT_DIR, 'board-live.png') });
      expect(pageErrors).toEqual([]);
    });
  });
}
