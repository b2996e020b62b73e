// Writes dist/esm/index.mjs: an ES-module entry that re-exports the CommonJS build, so that
// `import * as tf from 'tensorgraph'` and `require('tensorgraph')` load one and the same module instance.
const fs = require('fs');
const path = require('path');
const cjs = require(path.resolve(__dirname, '../dist/cjs/index.js'));
const names = Object.keys(cjs).filter((k) => k !== 'default' && k !== '__esModule');
const lines = [
  "import cjs from '../cjs/index.js';",
  ...names.map((n) => `export const ${n} = cjs.${n};`),
  'export default cjs;',
  '',
];
fs.mkdirSync(path.resolve(__dirname, '../dist/esm'), { recursive: true });
fs.writeFileSync(path.resolve(__dirname, '../dist/esm/index.mjs'), lines.join('\n'));
