import * as nodePath from 'path';
import { path as browserPath, randomHex as browserHex } from '../../src/platform/browser';
import * as memfs from '../../src/platform/memfs';
import { Buffer as BrowserBuffer } from '../../src/platform/browser_globals';
import { isLibraryFrame } from '../../src/graph/site';

/**
 * The browser platform layer, checked in Node against Node's own behaviour: the POSIX path functions
 * (plus `indexeddb://` as a root of its own), the in-memory file system's Node-style semantics and
 * errors, and the Buffer stand-in's base64 / utf-8 conversions. The browser run (npm run test:browser)
 * checks the same code in Chromium, through Saver and FileWriter.
 */
describe('browser path functions agree with Node posix paths', () => {
  const cases = ['/a/b/../c/', 'a/./b//c', '/', '../x/../../y', '/a/b/c.tgckpt', 'a', '.'];
  test.each(cases)('normalize / dirname / basename / isAbsolute of %s', (p) => {
    expect(browserPath.normalize(p)).toBe(nodePath.posix.normalize(p).replace(/(.)\/$/, '$1'));
    expect(browserPath.dirname(p)).toBe(nodePath.posix.dirname(p));
    expect(browserPath.basename(p)).toBe(nodePath.posix.basename(p));
    expect(browserPath.isAbsolute(p)).toBe(nodePath.posix.isAbsolute(p));
  });

  test('join, resolve and relative', () => {
    expect(browserPath.join('/logs', 'run1', '../run2', 'x')).toBe(
      nodePath.posix.join('/logs', 'run1', '../run2', 'x'),
    );
    expect(browserPath.resolve('/a/b', 'c', '../d')).toBe('/a/b/d');
    expect(browserPath.resolve('rel')).toBe('/rel');
    expect(browserPath.relative('/a/b/c', '/a/d')).toBe(nodePath.posix.relative('/a/b/c', '/a/d'));
  });

  test("'indexeddb://' is a root of its own", () => {
    expect(browserPath.resolve('indexeddb://model')).toBe('indexeddb://model');
    expect(browserPath.normalize('indexeddb://a/../model-100')).toBe('indexeddb://model-100');
    expect(browserPath.dirname('indexeddb://model')).toBe('indexeddb://');
    expect(browserPath.join('indexeddb://', 'checkpoint')).toBe('indexeddb://checkpoint');
    expect(browserPath.isAbsolute('indexeddb://m')).toBe(true);
    expect(browserPath.relative('indexeddb://', 'indexeddb://m-1')).toBe('m-1');
  });

  test('randomHex gives n random bytes as hex', () => {
    expect(browserHex(4)).toMatch(/^[0-9a-f]{8}$/);
    expect(browserHex(4)).not.toBe(browserHex(4));
  });
});

describe('in-memory file system (the browser build of fs)', () => {
  test('files, directories and Node-style errors', () => {
    expect(() => memfs.openSync('/nodir/f', 'w')).toThrow(
      "ENOENT: no such file or directory, open '/nodir/f'",
    );
    memfs.mkdirSync('/t1/sub', { recursive: true });
    const fd = memfs.openSync('/t1/sub/f', 'wx');
    expect(memfs.writeSync(fd, new Uint8Array([1, 2, 3, 4]), 1, 2)).toBe(2);
    memfs.writeSync(fd, new Uint8Array([9]));
    memfs.closeSync(fd);
    expect(Array.from(memfs.readFileSync('/t1/sub/f') as Uint8Array)).toEqual([2, 3, 9]);
    expect(memfs.statSync('/t1/sub/f').size).toBe(3);
    expect(memfs.statSync('/t1/sub').isDirectory()).toBe(true);
    let code = '';
    try {
      memfs.openSync('/t1/sub/f', 'wx');
    } catch (e) {
      code = (e as { code: string }).code;
    }
    expect(code).toBe('EEXIST');
    memfs.renameSync('/t1/sub/f', '/t1/g');
    expect(memfs.readdirSync('/t1')).toEqual(['g', 'sub']);
    expect(memfs.existsSync('/t1/sub/f')).toBe(false);
    memfs.writeFileSync('/t1/text', 'héllo');
    expect(memfs.readFileSync('/t1/text', 'utf8')).toBe('héllo');
    memfs.unlinkSync('/t1/g');
    expect(() => memfs.unlinkSync('/t1/g')).toThrow('ENOENT');
    expect(() => memfs.statSync('/missing')).toThrow("ENOENT: no such file or directory, stat '/missing'");
  });

  test('indexeddb:// paths live under their own root (persisted where IndexedDB exists)', async () => {
    memfs.writeFileSync('indexeddb://m.tgckpt', new Uint8Array([7]));
    expect(memfs.readdirSync('indexeddb://')).toContain('m.tgckpt');
    // No IndexedDB in Node: flushing reports the failed writes instead of losing them silently.
    await expect(memfs.flush()).rejects.toThrow('IndexedDB write failed: IndexedDB is not available');
  });
});

describe('Buffer stand-in (browser)', () => {
  test('base64 and utf-8 round trips match Node Buffer', () => {
    for (const bytes of [
      [],
      [0],
      [1, 2],
      [255, 254, 253],
      Array.from({ length: 50 }, (_, i) => (i * 37) % 256),
    ]) {
      const b64 = Buffer.from(bytes).toString('base64');
      expect(BrowserBuffer.from(bytes).toString('base64')).toBe(b64);
      expect(Array.from(BrowserBuffer.from(b64, 'base64'))).toEqual(bytes);
    }
    expect(BrowserBuffer.from('ünï').toString()).toBe('ünï');
    expect(Array.from(BrowserBuffer.concat([new Uint8Array([1]), new Uint8Array([2, 3])]))).toEqual([
      1, 2, 3,
    ]);
  });
});

describe('error locations from browser stack frames', () => {
  test('an http frame is user code in Node (only the bundle URL is library code in a page)', () => {
    expect(isLibraryFrame('http://127.0.0.1:8080/app.mjs')).toBe(false);
    expect(isLibraryFrame('/work/x/node_modules/y/index.js')).toBe(true);
  });
});

describe('FileWriter.toBlob', () => {
  test("gives the event file's bytes (here from disk; in a page from memory)", async () => {
    const fs = await import('fs');
    const os = await import('os');
    const tf = await import('../../src');
    const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'tg-blob-'));
    const writer = new tf.summary.FileWriter(dir);
    writer.addEvent({ step: 3, fileVersion: 'x' });
    const blob = writer.toBlob();
    writer.close();
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(Array.from(bytes)).toEqual(Array.from(fs.readFileSync(writer.path)));
    // The first TFRecord's length (u64 little-endian) is the first event's size.
    expect(bytes.length).toBeGreaterThan(16);
    expect(new DataView(bytes.buffer).getUint32(0, true)).toBe(24);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
