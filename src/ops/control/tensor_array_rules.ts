import { InvalidArgumentError } from '../../errors';
import type { TypedArray } from '../../graph/dtype';
import { Shape, shapeToString } from '../../graph/shape';

/*
 * The run-time rules of the TensorArray ops (tensor_array.ts), the same on every backend: they decide on
 * small host values — the int32 written-element mask, the indices, the buffer's shape — which writes and
 * reads are allowed (with TF1's messages), the element shape a write settles, the rows a dynamic array
 * grows to and the shape a read, gather, stack or concat returns. The backends' kernels call them and only
 * move the element data (src/backends/cpu/kernels/tensor_array.ts, src/backends/gpujs/kernels/
 * tensor_array.ts).
 */

/** What the rules read of a kernel's context: the op (its name) and its attributes. */
export interface TensorArrayOpInfo {
  readonly op: { readonly name: string };
  readonly attrs: Readonly<Record<string, unknown>>;
}

/** Host integers with their shape (a TensorArray op's indices). */
export interface HostInts {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
}

/**
 * True when two concrete shapes are equal.
 *
 * @example
 * sameShape([2, 3], [2, 3]); // true
 */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** True when the mask marks any element written. */
function anyWritten(mask: ArrayLike<number>): boolean {
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) return true;
  return false;
}

/**
 * How TF1 names the array in its messages: the op that created it (or, without it, this op).
 *
 * @example
 * tensorArrayName({ op: { name: 'TensorArrayV3' }, attrs: {} }); // 'TensorArray TensorArrayV3'
 */
export function tensorArrayName(info: TensorArrayOpInfo): string {
  const n = info.attrs.tensor_array_name;
  return `TensorArray ${typeof n === 'string' ? n : info.op.name}`;
}

/**
 * The shape of a new TensorArray's buffer (TensorArrayNew): `size` rows of the element shape, where the
 * element shape's unknown dims (and an unknown rank) are 0 — a placeholder until the first write.
 * Throws for a negative size.
 *
 * @example
 * newTensorArrayShape(3, [null, 2]); // [3, 0, 2]
 */
export function newTensorArrayShape(size: number, elementShape: Shape): number[] {
  if (size < 0) throw new InvalidArgumentError(`TensorArray size must be non-negative, got ${size}`);
  const elem = elementShape === null ? [0] : elementShape.map((d) => d ?? 0);
  return [size, ...elem];
}

/** A TensorArray write, checked (`planTensorArrayWrite`). */
export interface TensorArrayWrite {
  /** The element shape of the written value(s): the new buffer's rows. */
  readonly elem: number[];
  /** Rows of the old buffer. */
  readonly rows: number;
  /** Rows of the new buffer (more than `rows` when a dynamic array grows). */
  readonly newRows: number;
  /** Whether the old buffer holds written elements (else its element shape may be a placeholder). */
  readonly written: boolean;
  /** The rows written, in the order of the indices (value row j goes to row targets[j]). */
  readonly targets: number[];
  /** The new written-element mask (`newRows` long): the old one with the targets marked. */
  readonly mask: TypedArray;
}

/**
 * Checks a TensorArrayScatter (a write of a scalar index, or a scatter of an index vector) against TF1's
 * rules and plans it: one value row per index, the value's element shape compatible with the
 * TensorArray's inferred element shape and equal to that of the elements already written, every index in
 * range (or growing a dynamic array) and not written yet. `allocMask` gives the new mask's storage
 * (zero-filled).
 *
 * @example
 * const w = planTensorArrayWrite(info, [3, 2], new Int32Array(3), { data: [1], shape: [] }, [2]);
 * // w.targets = [1], w.mask = [0, 1, 0]
 */
export function planTensorArrayWrite(
  info: TensorArrayOpInfo,
  bufShape: readonly number[],
  mask: ArrayLike<number>,
  indices: HostInts,
  valueShape: readonly number[],
  allocMask: (n: number) => TypedArray = (n) => new Int32Array(n),
): TensorArrayWrite {
  const single = indices.shape.length === 0;
  const elem = single ? valueShape.slice() : valueShape.slice(1);
  const k = indices.data.length;
  if (!single && valueShape[0] !== k)
    throw new InvalidArgumentError(
      `Expected len(indices) == values.shape[0], but saw: ${k} vs. ${valueShape[0]}`,
    );
  const name = tensorArrayName(info);
  const at = single ? (indices.data[0] as number) : 0;
  const known = info.attrs.element_shape as Shape;
  if (known !== null && (known.length !== elem.length || known.some((d, i) => d !== null && d !== elem[i]))) {
    throw new InvalidArgumentError(
      `${name}: Could not write to TensorArray index ${at} because the value shape is ${shapeToString(elem)} which is incompatible with the TensorArray's inferred element shape: ${shapeToString(known)} (consider setting infer_shape=False).`,
    );
  }
  const written = anyWritten(mask);
  const rows = bufShape[0] as number;
  if (written && !sameShape(bufShape.slice(1), elem)) {
    throw new InvalidArgumentError(
      `${name}: Could not write to TensorArray index ${at} because the value shape is ${shapeToString(elem)} which is incompatible with the shape ${shapeToString(bufShape.slice(1))} of the elements already written (a TensorArray holds elements of one shape)`,
    );
  }
  let newRows = rows;
  const seen = new Set<number>();
  for (let j = 0; j < k; j++) {
    const i = indices.data[j] as number;
    if (i < 0 || (i >= rows && !info.attrs.dynamic_size))
      throw new InvalidArgumentError(`${name}: Tried to write to index ${i} but array size is: ${rows}`);
    if ((i < rows && mask[i] !== 0) || seen.has(i)) {
      throw new InvalidArgumentError(
        `${name}: Could not write to TensorArray index ${i} because it has already been written to.`,
      );
    }
    seen.add(i);
    newRows = Math.max(newRows, i + 1);
  }
  const targets = [...seen];
  const out = allocMask(newRows);
  out.set(mask);
  for (const i of targets) out[i] = 1;
  return { elem, rows, newRows, written, targets, mask: out };
}

/** A TensorArray read, gather, stack or concat, checked (`planTensorArrayRead`). */
export interface TensorArrayRead {
  /** The buffer rows read, in order. */
  readonly idx: number[];
  /** The element shape (rows of the buffer read). */
  readonly elem: number[];
  /** The result's shape. */
  readonly shape: number[];
}

/**
 * Checks a TensorArrayGather against TF1's rules and plans it. Attr `mode`: 'read' (a scalar index: one
 * element), 'gather' (an index vector), 'stack' (all rows, stacked) or 'concat' (all rows, joined along
 * their first axis); `indices` is called for 'read' and 'gather' only. Every row read must be in range
 * and written; an empty stack or gather of an array with nothing written needs a fully defined element
 * shape.
 *
 * @example
 * const r = planTensorArrayRead(info, [3, 2], Int32Array.from([1, 1, 0]), () => [1, 0]);
 * // mode 'gather': r.idx = [1, 0], r.shape = [2, 2]
 */
export function planTensorArrayRead(
  info: TensorArrayOpInfo,
  bufShape: readonly number[],
  mask: ArrayLike<number>,
  indices: () => ArrayLike<number>,
): TensorArrayRead {
  const mode = info.attrs.mode as string;
  const name = tensorArrayName(info);
  const rows = bufShape[0] as number;
  let idx: number[];
  if (mode === 'read' || mode === 'gather') idx = Array.from(indices(), Number);
  else idx = Array.from({ length: rows }, (_v, i) => i);
  const known = info.attrs.element_shape as Shape;
  let elem = bufShape.slice(1);
  if (!anyWritten(mask)) {
    // Nothing written: the buffer's element shape is a placeholder unless the TensorArray's is known.
    if (idx.length === 0 && mode !== 'read') {
      if (known === null || known.some((d) => d === null)) {
        throw new InvalidArgumentError(
          `${name}: TensorArray has size zero, but element shape ${shapeToString(known)} is not fully defined. Currently only static shapes are supported when packing zero-size TensorArrays.`,
        );
      }
      elem = known as number[];
    }
  }
  for (const i of idx) {
    if (i < 0 || i >= rows)
      throw new InvalidArgumentError(`${name}: Tried to read from index ${i} but array size is: ${rows}`);
    if (mask[i] === 0) {
      throw new InvalidArgumentError(
        `${name}: Could not read from TensorArray index ${i} because it has not yet been written to.`,
      );
    }
  }
  let shape: number[];
  if (mode === 'read') shape = elem;
  else if (mode === 'concat') {
    if (elem.length === 0)
      throw new InvalidArgumentError(
        `${name}: Concat saw a scalar shape at index 0 but requires at least vectors.`,
      );
    shape = [idx.length * (elem[0] as number), ...elem.slice(1)];
  } else shape = [idx.length, ...elem];
  return { idx, elem, shape };
}

/** The rows TensorArrayClearRows keeps of `x` (`clearedRows`). */
export interface ClearedRows {
  /** The element shape (of `x` and `like`). */
  readonly elem: number[];
  /** Rows taken from `x`: the first `rows` (those both `x` and `like` have). */
  readonly rows: number;
  /** Rows zeroed among those (the indices). */
  readonly cleared: ReadonlySet<number>;
}

/**
 * TensorArrayClearRows(x, like, indices): the result is shaped like `like`, with the rows of `x` that both
 * have except the `indices` ones, zeros elsewhere. Undefined when `x` and `like` hold elements of
 * different shapes (the result is then all zeros).
 *
 * @example
 * clearedRows([3, 2], [4, 2], () => [1]); // { elem: [2], rows: 3, cleared: Set {1} }
 */
export function clearedRows(
  xShape: readonly number[],
  likeShape: readonly number[],
  indices: () => ArrayLike<number>,
): ClearedRows | undefined {
  const elem = likeShape.slice(1);
  if (xShape.length < 1 || likeShape.length < 1 || !sameShape(xShape.slice(1), elem)) return undefined;
  const rows = Math.min(xShape[0] as number, likeShape[0] as number);
  return { elem, rows, cleared: new Set(Array.from(indices(), Number)) };
}
