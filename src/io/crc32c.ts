/**
 * CRC-32C (Castagnoli), the checksum of TFRecord files and of tensorgraph checkpoints. Table-driven,
 * slicing by 4 (four 256-entry tables), so checksumming a multi-megabyte tensor stays cheap.
 * Test vector: crc32c("123456789") = 0xE3069283.
 */
const POLY = 0x82f63b78; // reflected Castagnoli polynomial 0x1EDC6F41

const TABLES: Uint32Array[] = (() => {
  const t0 = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t0[n] = c >>> 0;
  }
  const tables = [t0];
  for (let k = 1; k < 4; k++) {
    const prev = tables[k - 1] as Uint32Array;
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++)
      t[n] = ((prev[n] as number) >>> 8) ^ (t0[(prev[n] as number) & 0xff] as number);
    tables.push(t);
  }
  return tables;
})();

/** Extends a running CRC-32C (`crc` is the value returned for the previous chunk; 0 to start). */
export function crc32cUpdate(crc: number, bytes: Uint8Array): number {
  const [t0, t1, t2, t3] = TABLES as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let c = ~crc >>> 0;
  let i = 0;
  const n = bytes.length;
  const end4 = n - (n % 4);
  for (; i < end4; i += 4) {
    c ^=
      (bytes[i] as number) |
      ((bytes[i + 1] as number) << 8) |
      ((bytes[i + 2] as number) << 16) |
      ((bytes[i + 3] as number) << 24);
    c =
      (t3[c & 0xff] as number) ^
      (t2[(c >>> 8) & 0xff] as number) ^
      (t1[(c >>> 16) & 0xff] as number) ^
      (t0[c >>> 24] as number);
  }
  for (; i < n; i++) c = (t0[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32C of `bytes` (unsigned 32-bit). */
export function crc32c(bytes: Uint8Array): number {
  return crc32cUpdate(0, bytes);
}

const MASK_DELTA = 0xa282ead8;

/**
 * TensorFlow's masked CRC (tensorflow/core/lib/hash/crc32c.h): rotate right by 15 bits and add a
 * constant, so a CRC computed over data that itself contains CRCs stays well distributed.
 */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** Inverse of `maskCrc`. */
export function unmaskCrc(masked: number): number {
  const rot = (masked - MASK_DELTA) >>> 0;
  return ((rot >>> 17) | (rot << 15)) >>> 0;
}

/** `maskCrc(crc32c(bytes))`, what TFRecord framing stores. */
export function maskedCrc32c(bytes: Uint8Array): number {
  return maskCrc(crc32c(bytes));
}
