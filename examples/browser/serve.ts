/**
 * `npm run serve:examples`: serves the repository root on http://127.0.0.1:8080 (PORT to change) with the
 * cross-origin-isolation headers, and prints the MNIST training page's address (examples/browser/).
 * Builds the browser bundle first when dist/browser is missing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { startServer } from '../../tests/browser/server';

const ROOT = path.resolve(__dirname, '../..');

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist/browser/tensorgraph.mjs'))) {
    require('child_process').execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-browser.js')], {
      stdio: 'inherit',
    });
  }
  const server = await startServer(ROOT, {}, { port: Number(process.env.PORT ?? 8080) });
  console.log(`MNIST training page: ${server.url}/examples/browser/  (Ctrl-C to stop)`);
}

void main();
