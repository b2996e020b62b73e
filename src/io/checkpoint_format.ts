import { DataLossError } from '../errors';
import { DType, isDType } from '../graph/dtype';
import { shapeToString, sizeOf } from '../graph/shape';
import { NDArray } from '../ndarray';
import {
  bytesPerElement,
  checkConcreteShape,
  encodingFits,
  encodingOf,
  Encoding,
  fromBytes,
  isEncoding,
  toBytes,
} from './bytes';
import { crc32c, crc32cUpdate } from './crc32c';

/**
 * The checkpoint file (docs/checkpoint-format.md): one self-checking binary file per checkpoint.
 *
 *   magic "TGCKPT\r\n" (8 bytes) | u32 format version | u32 header length H | header (H bytes of UTF-8 JSON)
 *   | u32 crc32c(header) | tensor data (each tensor's raw little-endian bytes, in header order)
 *   | u32 crc32c(every preceding byte of the file)
 *
 * Every tensor also carries its own crc32c in the header, so a damaged file names the damaged variable.
 */

export { DataLossError } from '../errors';

export const CHECKPOINT_MAGIC = 'TGCKPT\r\n';
export const CHECKPOINT_VERSION = 1;
/** Refuse tensors (and headers) larger than this: a hostile header cannot make us allocate more. */
const MAX_ELEMENTS = 2 ** 31 - 1;

export interface CheckpointTensorEntry {
  name: string;
  dtype: DType;
  encoding: Encoding;
  shape: number[];
  /** Byte offset within the data section. */
  offset: number;
  length: number;
  /** crc32c of the tensor's bytes (unsigned). */
  crc32c: number;
}

export interface CheckpointHeader {
  format: 'tensorgraph-checkpoint';
  version: number;
  globalStep: number | null;
  tensors: CheckpointTensorEntry[];
}

/** Serializes named tensors (sorted by name) into the chunks of one checkpoint file. */
export function encodeCheckpoint(
  tensors: ReadonlyMap<string, NDArray>,
  globalStep: number | null,
): Uint8Array[] {
  const names = [...tensors.keys()].sort();
  const datas: Uint8Array[] = [];
  const entries: CheckpointTensorEntry[] = [];
  let offset = 0;
  for (const name of names) {
    const a = tensors.get(name) as NDArray;
    const encoding = encodingOf(a);
    const bytes = toBytes(a, encoding);
    entries.push({
      name,
      dtype: a.dtype,
      encoding,
      shape: a.shape.slice(),
      offset,
      length: bytes.length,
      crc32c: crc32c(bytes),
    });
    datas.push(bytes);
    offset += bytes.length;
  }
  const header: CheckpointHeader = {
    format: 'tensorgraph-checkpoint',
    version: CHECKPOINT_VERSION,
    globalStep,
    tensors: entries,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const prefix = new Uint8Array(16);
  prefix.set(new TextEncoder().encode(CHECKPOINT_MAGIC), 0);
  const dv = new DataView(prefix.buffer);
  dv.setUint32(8, CHECKPOINT_VERSION, true);
  dv.setUint32(12, headerBytes.length, true);
  const chunks = [prefix, headerBytes, u32(crc32c(headerBytes)), ...datas];
  let fileCrc = 0;
  for (const c of chunks) fileCrc = crc32cUpdate(fileCrc, c);
  chunks.push(u32(fileCrc));
  return chunks;
}

function u32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
}

export interface DecodedCheckpoint {
  header: CheckpointHeader;
  /** Tensor bytes are verified lazily by `readTensor` (so a subset restore checks what it reads). */
  readTensor(entry: CheckpointTensorEntry): NDArray;
}

/**
 * Parses and verifies a checkpoint file: magic, version, header checksum and structure, exact file
 * length, and the whole-file checksum. Throws `DataLossError` naming `path` on any damage.
 */
export function decodeCheckpoint(file: Uint8Array, path: string): DecodedCheckpoint {
  const lose = (why: string): never => {
    throw new DataLossError(`Checkpoint ${path} is corrupt or truncated: ${why}`);
  };
  if (file.length < 24) lose(`the file has only ${file.length} bytes`);
  const magic = new TextDecoder().decode(file.subarray(0, 8));
  if (magic !== CHECKPOINT_MAGIC) lose('bad magic number (not a tensorgraph checkpoint)');
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const version = dv.getUint32(8, true);
  if (version !== CHECKPOINT_VERSION) {
    throw new DataLossError(
      `Checkpoint ${path} has format version ${version}; this build reads version ${CHECKPOINT_VERSION}`,
    );
  }
  const headerLength = dv.getUint32(12, true);
  const dataStart = 16 + headerLength + 4;
  if (dataStart + 4 > file.length)
    lose(`the header claims ${headerLength} bytes but the file has ${file.length}`);
  const headerBytes = file.subarray(16, 16 + headerLength);
  if (crc32c(headerBytes) !== dv.getUint32(16 + headerLength, true)) lose('header checksum mismatch');
  let header: CheckpointHeader;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes)) as CheckpointHeader;
  } catch (e) {
    return lose(`unreadable header (${(e as Error).message})`);
  }
  const dataLength = checkHeader(header, lose);
  if (dataStart + dataLength + 4 !== file.length) {
    lose(`expected ${dataStart + dataLength + 4} bytes, found ${file.length}`);
  }
  const body = file.subarray(0, file.length - 4);
  if (crc32c(body) !== dv.getUint32(file.length - 4, true)) lose('file checksum mismatch');
  return {
    header,
    readTensor(entry) {
      const bytes = file.subarray(dataStart + entry.offset, dataStart + entry.offset + entry.length);
      if (crc32c(bytes) !== entry.crc32c) {
        throw new DataLossError(
          `Checkpoint ${path} is corrupt: checksum mismatch for tensor '${entry.name}'`,
        );
      }
      return fromBytes(bytes, entry.encoding, entry.dtype, entry.shape.slice());
    },
  };
}

/** Validates the header's structure; returns the data section's length. */
function checkHeader(h: CheckpointHeader, lose: (why: string) => never): number {
  if (typeof h !== 'object' || h === null || h.format !== 'tensorgraph-checkpoint')
    lose('header is not a checkpoint header');
  if (h.globalStep !== null && !Number.isSafeInteger(h.globalStep)) lose('bad globalStep in header');
  if (!Array.isArray(h.tensors)) lose('header has no tensor list');
  const seen = new Set<string>();
  let offset = 0;
  for (const t of h.tensors) {
    const bad = (why: string): never => lose(`tensor entry ${JSON.stringify(t?.name)}: ${why}`);
    if (typeof t !== 'object' || t === null || typeof t.name !== 'string' || t.name === '') bad('no name');
    if (seen.has(t.name)) bad('duplicate name');
    seen.add(t.name);
    if (!isDType(t.dtype) || !isEncoding(t.encoding) || !encodingFits(t.dtype, t.encoding))
      bad('bad dtype or encoding');
    const shapeError = checkConcreteShape(t.shape, MAX_ELEMENTS);
    if (shapeError) bad(shapeError);
    if (t.offset !== offset) bad(`offset ${t.offset} where ${offset} was expected`);
    if (t.length !== sizeOf(t.shape) * bytesPerElement(t.encoding)) {
      bad(`length ${t.length} does not match shape ${shapeToString(t.shape)} of ${t.encoding}`);
    }
    if (!Number.isInteger(t.crc32c) || t.crc32c < 0 || t.crc32c > 0xffffffff) bad('bad checksum field');
    offset += t.length;
  }
  return offset;
}
