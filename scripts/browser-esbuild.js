// esbuild settings shared by the browser bundle (scripts/build-browser.js) and the browser test bundle
// (tests/browser/run.js): the platform layer's Node module (src/platform/node.ts) is swapped for its browser
// twin, `process`/`Buffer` come from src/platform/browser_globals.ts, gpu.js resolves to its browser build
// (package.json `browser` field), and each Node built-in becomes a stub whose every export throws an error
// naming the Node-only function — so nothing Node-only is bundled, and using it in a page says so.
const path = require('path');
const { builtinModules } = require('module');

const ROOT = path.resolve(__dirname, '..');
const PLATFORM_NODE = path.join(ROOT, 'src/platform/node.ts');
const PLATFORM_BROWSER = path.join(ROOT, 'src/platform/browser.ts');
const IDENT = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(['default', 'constructor', 'delete', 'new', 'function', 'class', 'import', 'export']);

function stubSource(mod) {
  let names = [];
  try {
    names = Object.keys(require(mod)).filter((n) => IDENT.test(n) && !RESERVED.has(n));
  } catch {
    names = [];
  }
  const lines = [
    'function nodeOnly(name) {',
    '  const f = function () {',
    `    throw new Error(\`\${name} is Node-only (the '${mod}' module) and not available in the browser build of tensorgraph\`);`,
    '  };',
    '  return f;',
    '}',
    ...names.map((n) => `export const ${n} = nodeOnly('${mod}.${n}');`),
    `export default new Proxy({}, { get: (_, k) => (typeof k === 'string' ? nodeOnly('${mod}.' + k) : undefined) });`,
  ];
  return lines.join('\n');
}

const tensorgraphBrowserPlugin = {
  name: 'tensorgraph-browser',
  setup(build) {
    build.onResolve({ filter: /^(\.\.?\/)+platform(\/node|\/index)?$|^\.\/node$/ }, (args) => {
      const resolved = path.resolve(args.resolveDir, args.path);
      if (resolved === path.join(ROOT, 'src/platform') || resolved === path.join(ROOT, 'src/platform/index'))
        return { path: path.join(ROOT, 'src/platform/browser_index.ts') };
      if (resolved === PLATFORM_NODE.replace(/\.ts$/, '')) return { path: PLATFORM_BROWSER };
      return undefined;
    });
    const builtins = new Set(builtinModules.filter((m) => !m.startsWith('_')));
    build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const mod = args.path.replace(/^node:/, '');
      if (!builtins.has(mod)) return undefined;
      return { path: mod, namespace: 'node-only' };
    });
    build.onLoad({ filter: /.*/, namespace: 'node-only' }, (args) => ({
      contents: stubSource(args.path),
      loader: 'js',
    }));
  },
};

/** esbuild options for a browser ESM bundle of `entry` written to `outfile`. */
function browserOptions(entry, outfile, extra = {}) {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    mainFields: ['browser', 'module', 'main'],
    inject: [path.join(ROOT, 'src/platform/browser_globals.ts')],
    define: { __dirname: '"/"', __filename: '"/index.js"', global: 'globalThis' },
    banner: { js: 'const __tgModuleUrl = import.meta.url;' },
    plugins: [tensorgraphBrowserPlugin],
    logLevel: 'warning',
    legalComments: 'none',
    keepNames: true,
    sourcemap: 'linked',
    ...extra,
  };
}

module.exports = { browserOptions, tensorgraphBrowserPlugin, ROOT };
