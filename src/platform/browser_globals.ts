/**
 * Stand-ins for Node's `process` and `Buffer` in the browser bundle (esbuild `inject`: free references to
 * `process` / `Buffer` in the bundled code become these). `process.env` is empty (the TENSORGRAPH_*
 * switches are Node-only), and `Buffer` covers what the library uses: byte concatenation, allocation and
 * base64 / utf-8 conversion.
 */
export const process = {
  env: {} as Record<string, string | undefined>,
  versions: {} as Record<string, string | undefined>,
  pid: 0,
  platform: 'browser',
  cwd: (): string => '/',
  once: (): void => undefined,
  on: (): void => undefined,
};

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Bytes with Node's `toString('base64' | 'utf8')`. */
class BrowserBuffer extends Uint8Array {
  override toString(enc?: string): string {
    if (enc === 'base64') {
      let s = '';
      for (let i = 0; i < this.length; i += 3) {
        const n = ((this[i] as number) << 16) | ((this[i + 1] ?? 0) << 8) | (this[i + 2] ?? 0);
        s += (B64[(n >> 18) & 63] as string) + (B64[(n >> 12) & 63] as string);
        s += i + 1 < this.length ? (B64[(n >> 6) & 63] as string) : '=';
        s += i + 2 < this.length ? (B64[n & 63] as string) : '=';
      }
      return s;
    }
    return new TextDecoder().decode(this);
  }
}

function bufferFrom(v: unknown, enc?: string): BrowserBuffer {
  if (typeof v === 'string') {
    if (enc !== 'base64') return bufferFrom(new TextEncoder().encode(v));
    const s = v.replace(/[^A-Za-z0-9+/]/g, '');
    const out = new BrowserBuffer(Math.floor((s.length * 3) / 4));
    let bits = 0;
    let acc = 0;
    let o = 0;
    for (const ch of s) {
      acc = ((acc << 6) | B64.indexOf(ch)) & 0xffffff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[o++] = (acc >> bits) & 255;
      }
    }
    return out;
  }
  if (v instanceof ArrayBuffer) return new BrowserBuffer(v.slice(0));
  const a = v as ArrayLike<number>;
  const out = new BrowserBuffer(a.length);
  out.set(a);
  return out;
}

export const Buffer = {
  alloc: (n: number): BrowserBuffer => new BrowserBuffer(n),
  concat(list: readonly Uint8Array[]): BrowserBuffer {
    const out = new BrowserBuffer(list.reduce((s, a) => s + a.length, 0));
    let o = 0;
    for (const a of list) {
      out.set(a, o);
      o += a.length;
    }
    return out;
  },
  from: bufferFrom,
  isBuffer: (v: unknown): boolean => v instanceof BrowserBuffer,
};
