#!/usr/bin/env node
// `npm run build` (last step): the browser bundle dist/browser/tensorgraph.mjs (ES module, no Node
// built-ins inside; package.json `exports` → `browser`), with the WebAssembly kernels copied next to it
// into dist/browser/wasm/ (the bundle fetches them relative to its own URL).
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');
const { browserOptions, ROOT } = require('./browser-esbuild');

async function main() {
  const out = path.join(ROOT, 'dist/browser');
  fs.mkdirSync(path.join(out, 'wasm'), { recursive: true });
  await esbuild.build(
    browserOptions(path.join(ROOT, 'src/platform/browser_entry.ts'), path.join(out, 'tensorgraph.mjs')),
  );
  const wasmDir = path.join(ROOT, 'build/wasm');
  for (const f of fs.existsSync(wasmDir) ? fs.readdirSync(wasmDir) : []) {
    if (f.endsWith('.wasm')) fs.copyFileSync(path.join(wasmDir, f), path.join(out, 'wasm', f));
  }
  const bytes = fs.statSync(path.join(out, 'tensorgraph.mjs')).size;
  console.log(`browser bundle: dist/browser/tensorgraph.mjs (${(bytes / 1e6).toFixed(2)} MB)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
