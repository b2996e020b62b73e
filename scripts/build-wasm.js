#!/usr/bin/env node
// Builds the WebAssembly SIMD kernels (part of `npm run build`): compiles the AssemblyScript source
// src/backends/cpu/wasm/assembly/kernels.as with asc (the `assemblyscript` dev dependency) into
// build/wasm/kernels.wasm (+ kernels-relaxed.wasm), where the loader (src/backends/cpu/wasm/index.ts) finds it from src/ (ts-node,
// jest) and from dist/; a copy goes to dist/wasm/ when dist/ exists, so the published build carries it.
// The source has the `.as` extension so that tsc and eslint skip it; asc wants `.ts`, so it is copied.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const src = path.join(root, 'src/backends/cpu/wasm/assembly/kernels.as');
const outDir = path.join(root, 'build/wasm');
const tmpSrc = path.join(outDir, 'src/kernels.ts');
// Two modules from one source: plain SIMD (every engine with wasm SIMD), and with relaxed SIMD (fused
// multiply-add; the loader prefers it where the engine validates it: Node >= 22, or Node 20 run with
// --experimental-wasm-relaxed-simd).
const variants = [
  { file: 'kernels.wasm', features: [] },
  { file: 'kernels-relaxed.wasm', features: ['--enable', 'relaxed-simd'] },
];

fs.mkdirSync(path.dirname(tmpSrc), { recursive: true });
fs.copyFileSync(src, tmpSrc);
const asc = path.join(path.dirname(require.resolve('assemblyscript/package.json')), 'bin/asc.js');
const built = [];
for (const v of variants) {
  const out = path.join(outDir, v.file);
  const args = [
    asc,
    tmpSrc,
    '--outFile', out,
    '--runtime', 'stub',
    '--optimizeLevel', '3',
    '--shrinkLevel', '0',
    '--noAssert',
    '--use', 'abort=',
    '--enable', 'simd',
    '--enable', 'threads',
    ...v.features,
    // The memory belongs to JavaScript: imported, shared with the worker threads, never written by asc.
    '--importMemory',
    '--sharedMemory',
    '--initialMemory', '64',
    '--maximumMemory', '32768',
  ];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build-wasm: asc failed for ${v.file}`);
    process.exit(r.status === null ? 1 : r.status);
  }
  // Sanity: the module exports what the loader needs (and the plain one validates here).
  const bytes = fs.readFileSync(out);
  if (v.features.length === 0 && !WebAssembly.validate(bytes)) {
    console.error(`build-wasm: ${out} does not validate`);
    process.exit(1);
  }
  built.push(out);
}
const names = WebAssembly.Module.exports(new WebAssembly.Module(fs.readFileSync(built[0]))).map((e) => e.name);
for (const need of ['matmul', 'matmulTiles', 'matmulScratchBytes', 'im2col', 'col2imAdd']) {
  if (!names.includes(need)) {
    console.error(`build-wasm: ${built[0]} lacks export ${need}`);
    process.exit(1);
  }
}
// The depthwise convolution module (src/backends/cpu/wasm/assembly/depthwise.as; loader ../depthwise.ts):
// single-threaded, plain SIMD, its own unshared memory.
{
  const dwSrc = path.join(outDir, 'src/depthwise.ts');
  const dwOut = path.join(outDir, 'depthwise.wasm');
  fs.copyFileSync(path.join(root, 'src/backends/cpu/wasm/assembly/depthwise.as'), dwSrc);
  const dwArgs = [asc, dwSrc, '--outFile', dwOut, '--runtime', 'stub', '--optimizeLevel', '3', '--shrinkLevel', '0',
    '--noAssert', '--use', 'abort=', '--enable', 'simd', '--importMemory', '--initialMemory', '1', '--maximumMemory', '32768'];
  const r = spawnSync(process.execPath, dwArgs, { stdio: 'inherit' });
  if (r.status !== 0 || !WebAssembly.validate(fs.readFileSync(dwOut))) {
    console.error('build-wasm: asc failed for depthwise.wasm');
    process.exit(r.status || 1);
  }
  built.push(dwOut);
}
if (fs.existsSync(path.join(root, 'dist'))) {
  fs.mkdirSync(path.join(root, 'dist/wasm'), { recursive: true });
  for (const f of built) fs.copyFileSync(f, path.join(root, 'dist/wasm', path.basename(f)));
}
console.log(`build-wasm: ${built.map((f) => `${path.relative(root, f)} (${fs.statSync(f).size} bytes)`).join(', ')}`);
