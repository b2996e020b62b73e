/**
 * A static file server on 127.0.0.1 for the browser tests and examples: serves the repository root (the
 * bundle in dist/browser, test pages, examples) with the headers that make pages cross-origin isolated
 * (so the WebAssembly kernels' shared memory and the matmul's Web Workers are available), plus extra
 * routes (JSON data) given by the caller. And the headless Chromium launcher (Debian's `chromium`, driven
 * by puppeteer-core; WebGPU and WebGL2 on SwiftShader).
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import type { Browser } from 'puppeteer-core';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the server on a free port (or `port`); `routes` maps a URL path to a function giving the body. */
export function startServer(
  root: string,
  routes: Record<string, () => string | Uint8Array> = {},
  { isolated = true, port = 0 }: { isolated?: boolean; port?: number } = {},
): Promise<StaticServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    if (isolated) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    const route = routes[url.pathname];
    if (route) {
      res.writeHead(200, {
        ...headers,
        'Content-Type': TYPES[path.extname(url.pathname)] ?? 'application/json',
      });
      res.end(route());
      return;
    }
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404, headers).end('not found');
        return;
      }
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, { ...headers, 'Content-Type': type });
      res.end(data);
    });
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${addr.port}`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Whether Debian's Chromium (or CHROMIUM_PATH) is installed. */
export function hasChromium(): boolean {
  return fs.existsSync(CHROMIUM);
}

/** Headless Chromium with WebGPU (and WebGL2) on SwiftShader, i.e. on the CPU. */
export function launchChromium(): Promise<Browser> {
  const puppeteer = require('puppeteer-core') as typeof import('puppeteer-core');
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    protocolTimeout: 600000,
    args: [
      '--no-sandbox',
      '--disable-dev-shm-usage',
      '--enable-unsafe-webgpu',
      '--enable-features=Vulkan',
      '--use-vulkan=swiftshader',
      '--use-webgpu-adapter=swiftshader',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--ignore-gpu-blocklist',
    ],
  });
}
