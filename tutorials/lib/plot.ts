// A self-contained SVG line chart (no dependencies): one or more panels stacked vertically, each with
// axes, tick labels, axis titles and a legend. Open the file in any browser or image viewer.
import * as fs from 'fs';
import * as path from 'path';

export interface Series {
  name: string;
  /** [x, y] points; non-finite y values are skipped. */
  points: [number, number][];
}

export interface Panel {
  yLabel: string;
  xLabel?: string;
  series: Series[];
  /** Fixed y range (e.g. [0, 1] for an accuracy); default: the data's range. */
  yRange?: [number, number];
}

export interface Chart {
  title: string;
  panels: Panel[];
}

const WIDTH = 760;
const PANEL_HEIGHT = 300;
const MARGIN = { left: 72, right: 24, top: 50, bottom: 52 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

/** Writes `chart` as an SVG file (creating the folder) and returns its path. */
export function writeSvgChart(file: string, chart: Chart): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, renderSvgChart(chart));
  return file;
}

/** The SVG document for `chart`. */
export function renderSvgChart(chart: Chart): string {
  const height = chart.panels.length * PANEL_HEIGHT + 30;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${esc(chart.title)}</text>`,
  ];
  chart.panels.forEach((panel, i) => parts.push(renderPanel(panel, 30 + i * PANEL_HEIGHT)));
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function renderPanel(panel: Panel, top: number): string {
  const x0 = MARGIN.left;
  const x1 = WIDTH - MARGIN.right;
  const y0 = top + PANEL_HEIGHT - MARGIN.bottom; // pixel row of the x axis
  const y1 = top + MARGIN.top - 20; // top of the plot area
  const pts = panel.series.flatMap((s) =>
    s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)),
  );
  const xs = pts.map(([x]) => x);
  const ys = pts.map(([, y]) => y);
  const [xmin, xmax] = niceRange(Math.min(...xs, 0), Math.max(...xs, 1));
  const [ymin, ymax] = panel.yRange ?? niceRange(Math.min(...ys), Math.max(...ys));
  const sx = (x: number) => x0 + ((x - xmin) / (xmax - xmin)) * (x1 - x0);
  const sy = (y: number) => y0 - ((y - ymin) / (ymax - ymin)) * (y0 - y1);

  const out: string[] = [];
  // Grid, ticks and tick labels.
  for (const t of ticks(ymin, ymax)) {
    out.push(`<line x1="${x0}" y1="${f(sy(t))}" x2="${x1}" y2="${f(sy(t))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${x0 - 6}" y="${f(sy(t) + 4)}" text-anchor="end" font-size="11">${fmtTick(t)}</text>`);
  }
  for (const t of ticks(xmin, xmax)) {
    out.push(`<line x1="${f(sx(t))}" y1="${y0}" x2="${f(sx(t))}" y2="${y0 + 5}" stroke="#333"/>`);
    out.push(`<text x="${f(sx(t))}" y="${y0 + 18}" text-anchor="middle" font-size="11">${fmtTick(t)}</text>`);
  }
  // Axes and their titles.
  out.push(`<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}" stroke="#333"/>`);
  out.push(`<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}" stroke="#333"/>`);
  out.push(
    `<text x="${(x0 + x1) / 2}" y="${y0 + 38}" text-anchor="middle" font-size="12">${esc(panel.xLabel ?? 'step')}</text>`,
  );
  const my = (y0 + y1) / 2;
  out.push(
    `<text x="18" y="${my}" text-anchor="middle" font-size="12" transform="rotate(-90 18 ${my})">${esc(panel.yLabel)}</text>`,
  );
  // The curves (clipped to the plot area when a fixed y range cuts them) and the legend.
  const clip = `clip${top}`;
  let legendX = x0 + 10;
  out.push(
    `<clipPath id="${clip}"><rect x="${x0}" y="${y1 - 2}" width="${x1 - x0}" height="${y0 - y1 + 4}"/></clipPath>`,
  );
  panel.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length] as string;
    const finite = thin(
      s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)),
      1500,
    );
    if (finite.length === 1) {
      const [[x, y]] = finite as [[number, number]];
      out.push(`<circle cx="${f(sx(x))}" cy="${f(sy(y))}" r="3" fill="${color}"/>`);
    } else if (finite.length > 1) {
      const d = finite.map(([x, y]) => `${f(sx(x))},${f(sy(y))}`).join(' ');
      out.push(
        `<polyline clip-path="url(#${clip})" fill="none" stroke="${color}" stroke-width="1.6" points="${d}"/>`,
      );
    }
    // Legend entries side by side above the plot area, so they never hide a curve.
    const lx = legendX;
    const ly = y1 - 10;
    out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 20}" y2="${ly}" stroke="${color}" stroke-width="3"/>`);
    out.push(`<text x="${lx + 26}" y="${ly + 4}" font-size="11">${esc(s.name)}</text>`);
    legendX += 40 + 6.5 * s.name.length;
  });
  return out.join('\n');
}

/** At most `max` points, evenly picked (always keeping the last). */
function thin(points: [number, number][], max: number): [number, number][] {
  if (points.length <= max) return points;
  const step = points.length / max;
  const out: [number, number][] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.floor(i * step)] as [number, number]);
  out.push(points[points.length - 1] as [number, number]);
  return out;
}

function niceRange(lo: number, hi: number): [number, number] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi - lo < 1e-12) return [lo - 1, hi + 1];
  const step = niceStep(hi - lo);
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

function niceStep(span: number, target = 6): number {
  const raw = span / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  return (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
}

function ticks(lo: number, hi: number): number[] {
  const step = niceStep(hi - lo);
  const out: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step)
    out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

function fmtTick(t: number): string {
  if (t === 0) return '0';
  const a = Math.abs(t);
  if (a >= 1e5 || a < 1e-3) return t.toExponential(0);
  return String(Number(t.toPrecision(4)));
}

function f(v: number): string {
  return v.toFixed(1);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `out/<name>-loss.svg` under `outDir`, or undefined when plots are off. */
export function plotPath(outDir: string | null | undefined, name: string): string | undefined {
  if (outDir === null) return undefined;
  return path.join(outDir ?? 'out', `${name}-loss.svg`);
}

/** A trailing moving average over `window` points (to show the trend of a noisy batch loss). */
export function smooth(points: [number, number][], window: number): [number, number][] {
  const out: [number, number][] = [];
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    sum += (points[i] as [number, number])[1];
    if (i >= window) sum -= (points[i - window] as [number, number])[1];
    out.push([(points[i] as [number, number])[0], sum / Math.min(i + 1, window)]);
  }
  return out;
}
