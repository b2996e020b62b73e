#!/usr/bin/env node
// Builds the WebAssembly SIMD kernels (part of `npm run build`): compiles the AssemblyScript source
// src/backends/cpu/wasm/assembly/kernels.as with asc (the `assemblyscript` dev dependency) into
// build/wasm/kernels.wasm, where the loader (src/backends/cpu/wasm/index.ts) finds it from src/ (ts-node,
// jest) and from dist/; a copy goes to dist/wasm/ when dist/ exists, so the published build carries it.
// The source has the `.as` extension so that tsc and eslint skip it; asc wants `.ts`, so it is copied.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const src = path.join(root, 'src/backends/cpu/wasm/assembly/kernels.as');
const outDir = path.join(root, 'build/wasm');
const tmpSrc = path.join(outDir, 'src/kernels.ts');
const out = path.join(outDir, 'kernels.wasm');

fs.mkdirSync(path.dirname(tmpSrc), { recursive: true });
fs.copyFileSync(src, tmpSrc);
const asc = path.join(path.dirname(require.resolve('assemblyscript/package.json')), 'bin/asc.js');
const args = [
  asc,
  tmpSrc,
  '--outFile',
  out,
  '--textFile',
  path.join(outDir, 'kernels.wat'),
  '--runtime',
  'stub',
  '--optimizeLevel',
  '3',
  '--shrinkLevel',
  '0',
  '--noAssert',
  '--use',
  'abort=',
  '--enable',
  'simd',
  '--enable',
  'threads',
  // The memory belongs to JavaScript: imported, shared with the worker threads, never written by asc.
  '--importMemory',
  '--sharedMemory',
  '--initialMemory',
  '64',
  '--maximumMemory',
  '32768',
];
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
if (r.status !== 0) {
  console.error('build-wasm: asc failed');
  process.exit(r.status === null ? 1 : r.status);
}
// Sanity: the module validates here and exports what the loader needs.
const mod = new WebAssembly.Module(fs.readFileSync(out));
const names = WebAssembly.Module.exports(mod).map((e) => e.name);
for (const need of ['matmul', 'matmulScratchBytes', 'im2col', 'col2imAdd']) {
  if (!names.includes(need)) {
    console.error(`build-wasm: ${out} lacks export ${need}`);
    process.exit(1);
  }
}
if (fs.existsSync(path.join(root, 'dist'))) {
  fs.mkdirSync(path.join(root, 'dist/wasm'), { recursive: true });
  fs.copyFileSync(out, path.join(root, 'dist/wasm/kernels.wasm'));
}
console.log(`build-wasm: ${path.relative(root, out)} (${fs.statSync(out).size} bytes)`);
