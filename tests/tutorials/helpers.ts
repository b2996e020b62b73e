// Shared by the tutorial tests: a temporary folder for the plots and a check that a plot is a real SVG
// line chart.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export function tempOutDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tutorial-plots-'));
}

/** Asserts that `file` is an SVG document with at least `curves` drawn curves and the given labels. */
export function expectSvgPlot(file: string | undefined, curves: number, labels: string[] = []): void {
  expect(file).toBeDefined();
  const svg = fs.readFileSync(file as string, 'utf8');
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  expect(
    (svg.match(/<polyline /g) ?? []).length + (svg.match(/<circle /g) ?? []).length,
  ).toBeGreaterThanOrEqual(curves);
  expect(svg).not.toContain('NaN');
  for (const label of labels) expect(svg).toContain(label);
}
