import * as fs from 'fs';
import * as path from 'path';

// The dependency checker is a plain Node script (also run by hand); its functions are exported.
const deps = require('../../scripts/deps-graph.js') as {
  moduleGraph(): Map<string, string[]>;
  cycles(g: Map<string, string[]>): string[][];
  mermaid(g: Map<string, string[]>): string;
};

describe('module structure (issue 12)', () => {
  const graph = deps.moduleGraph();
  test('src has no import cycles (value imports, re-exports and require calls)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(deps.cycles(graph)).toEqual([]);
  });
  test('the checker finds a cycle when there is one', () => {
    const a = path.join('src', 'a.ts');
    const b = path.join('src', 'b.ts');
    expect(
      deps.cycles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ).length,
    ).toBe(1);
  });
  test('docs/architecture.md shows the current module graph', () => {
    const doc = fs.readFileSync(path.join(__dirname, '../../docs/architecture.md'), 'utf8');
    expect(doc).toContain(deps.mermaid(graph));
  });
});
