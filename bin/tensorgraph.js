#!/usr/bin/env node
'use strict';
// `tensorgraph board --logdir DIR [--port 6006] [--host 127.0.0.1]` (see `tensorgraph --help`).
const path = require('path');
const fs = require('fs');

const cli = path.join(__dirname, '..', 'dist', 'cjs', 'board', 'cli.js');
if (!fs.existsSync(cli)) {
  console.error(`tensorgraph: ${cli} is missing; build the package first (npm run build).`);
  process.exit(1);
}
require(cli)
  .main(process.argv.slice(2))
  .then((code) => {
    if (code !== undefined) process.exitCode = code;
  })
  .catch((e) => {
    console.error(e && e.stack ? e.stack : e);
    process.exitCode = 1;
  });
