/**
 * `tf.data.Iterator` (TF1 r1.15): `getNext()` tensors take the iterator's next element each time the
 * graph runs; one-shot iterators start on their first run, initializable ones when `initializer` (or a
 * `makeInitializer(dataset)` op) runs. The state lives in the session (two sessions are independent);
 * past the end, running `getNext()` raises `tf.errors.OutOfRangeError` ('End of sequence').
 */
import { InvalidArgumentError } from '../errors';
import type { DType } from '../graph/dtype';
import { getDefaultGraph, Graph } from '../graph/graph';
import { mergeShapes, Shape, shapeToString } from '../graph/shape';
import {
  bindCall,
  CallForms,
  declare,
  isOptionsObject,
  kinds,
  param,
  parseDType,
  Signature,
} from '../graph/signature';
import { AttrValue, Operation, Tensor } from '../graph/tensor';
import { makeOp } from '../ops/op_def';
import type { Dataset } from './dataset';
import { ancestorOfType } from './lower';
import {
  flattenNested,
  leafCount,
  Nested,
  rebuild,
  sameStructure,
  Structure,
  structureToString,
} from './structure';

const GET_NEXT = {
  fn: 'Iterator.getNext',
  params: [param('name', kinds.nullable(kinds.name), { default: null })],
} as const satisfies Signature;
const MAKE_INITIALIZER = {
  fn: 'Iterator.makeInitializer',
  params: [
    param(
      'dataset',
      kinds.custom<Dataset>('a tf.data.Dataset', (v) => isDataset(v)),
    ),
    param('name', kinds.nullable(kinds.name), { default: null }),
  ],
} as const satisfies Signature;

function isDataset(v: unknown): v is Dataset {
  return typeof v === 'object' && v !== null && typeof (v as Dataset).lower === 'function';
}

/**
 * An iterator over a dataset's elements. Made by `dataset.makeOneShotIterator()`,
 * `dataset.makeInitializableIterator()` or `tf.data.Iterator.fromStructure(types, shapes)`.
 *
 * @example
 * const it = tf.data.Dataset.range(3).makeInitializableIterator();
 * const next = it.getNext() as tf.Tensor;
 * sess.run(it.initializer);
 * sess.run(next).item(); // 0
 */
export class Iterator {
  private constructor(
    /** The iterator resource op (`Iterator` or `OneShotIterator`). */
    readonly op: Operation,
    private readonly structure: Structure,
    private readonly types: readonly DType[],
    private readonly shapes: readonly Shape[],
    private init: Operation | null,
  ) {}

  /** @internal */
  static oneShot(ds: Dataset): Iterator {
    const { def, inputs } = ds.lower();
    for (const t of inputs) {
      const ph = ancestorOfType(t.op, 'Placeholder');
      if (ph) {
        throw new InvalidArgumentError(
          `makeOneShotIterator: cannot capture a placeholder (name:${ph.name}, type:Placeholder) by value; use makeInitializableIterator and feed it when running the initializer`,
        );
      }
      const v = ancestorOfType(t.op, 'VariableV2');
      if (v) {
        throw new InvalidArgumentError(
          `makeOneShotIterator: the dataset reads variable '${v.name}' (a stateful node); use makeInitializableIterator`,
        );
      }
    }
    const op = makeOp(
      'OneShotIterator',
      inputs,
      { dataset: def as unknown as AttrValue, ...typeAttrs(ds.types, ds.shapes) },
      undefined,
      ds.graph,
    );
    return new Iterator(op, ds.structure, ds.types, ds.shapes, null);
  }

  /** @internal */
  static initializable(ds: Dataset): Iterator {
    const op = resourceOp(ds.graph, ds.types, ds.shapes);
    const it = new Iterator(op, ds.structure, ds.types, ds.shapes, null);
    it.init = it.initializerFor(ds, null);
    return it;
  }

  /**
   * An iterator of the given element structure, not bound to a dataset: `makeInitializer(dataset)`
   * makes an op that (re)starts it on any dataset of that structure (TF1's reinitializable iterator).
   *
   * @example
   * const it = tf.data.Iterator.fromStructure(train.outputTypes, train.outputShapes);
   * const trainInit = it.makeInitializer(train);
   */
  static fromStructure(...args: Parameters<typeof fromStructureDeclared>): Iterator {
    // A dict of shapes for a dict of types is the positional outputShapes, not an options object.
    const [types, shapes] = args as unknown[];
    if (args.length === 2 && isOptionsObject(types) && isOptionsObject(shapes)) {
      const keys = (o: object): string => Object.keys(o).sort().join('\0');
      if (keys(types) === keys(shapes)) return fromStructureDeclared(types, { outputShapes: shapes });
    }
    return fromStructureDeclared(...args);
  }

  /** @internal */
  static fromParts(op: Operation, structure: Structure, types: DType[], shapes: Shape[]): Iterator {
    return new Iterator(op, structure, types, shapes, null);
  }

  /** The element dtypes, in the element's structure. @example it.outputTypes */
  get outputTypes(): Nested<DType> {
    return rebuild(this.structure, this.types);
  }

  /** The element static shapes, in the element's structure. @example it.outputShapes */
  get outputShapes(): Nested<Shape> {
    return rebuild(
      this.structure,
      this.shapes.map((s) => (s === null ? null : s.slice())),
    );
  }

  /**
   * The op that (re)initializes this iterator from its dataset (initializable iterators only).
   *
   * @example
   * sess.run(it.initializer, { x: data });
   */
  get initializer(): Operation {
    if (!this.init) {
      throw new InvalidArgumentError(
        this.op.type === 'OneShotIterator'
          ? 'A one-shot iterator has no initializer: it initializes itself on its first run'
          : 'Iterator does not have an initializer (it was made by Iterator.fromStructure: use makeInitializer(dataset))',
      );
    }
    return this.init;
  }

  /**
   * Tensors holding the next element, in its structure. Each run that computes them advances the
   * iterator once (all of them come from the same element).
   *
   * @example
   * const [x, y] = it.getNext() as tf.Tensor[];
   */
  getNext(...args: CallForms<typeof GET_NEXT.params>): Nested<Tensor> {
    const a = bindCall(GET_NEXT, args);
    const op = makeOp(
      'IteratorGetNext',
      [this.op.outputs[0] as Tensor],
      typeAttrs(this.types, this.shapes),
      a.name ?? 'IteratorGetNext',
      this.op.graph,
    );
    return rebuild(this.structure, op.outputs);
  }

  /**
   * An op that (re)starts this iterator on `dataset`, which must have the iterator's structure and
   * dtypes and compatible shapes.
   *
   * @example
   * sess.run(it.makeInitializer(validation));
   */
  makeInitializer(...args: CallForms<typeof MAKE_INITIALIZER.params>): Operation {
    const a = bindCall(MAKE_INITIALIZER, args);
    return this.initializerFor(a.dataset, a.name);
  }

  private initializerFor(ds: Dataset, name: string | null): Operation {
    if (!sameStructure(this.structure, ds.structure) || ds.types.some((t, i) => t !== this.types[i])) {
      throw new TypeError(
        `Expected output types ${JSON.stringify(this.outputTypes)} (structure ${structureToString(this.structure)}) but got dataset with output types ${JSON.stringify(ds.outputTypes)} (structure ${structureToString(ds.structure)}).`,
      );
    }
    ds.shapes.forEach((s, i) => {
      if (mergeShapes(this.shapes[i] ?? null, s) === undefined) {
        throw new TypeError(
          `Expected output shapes compatible with ${shapeToString(this.shapes[i] ?? null)} but got dataset with output shape ${shapeToString(s)} (component ${i}).`,
        );
      }
    });
    const { def, inputs } = ds.lower();
    return makeOp(
      'MakeIterator',
      [this.op.outputs[0] as Tensor, ...inputs],
      { dataset: def as unknown as AttrValue },
      name ?? 'MakeIterator',
      this.op.graph,
    );
  }
}

function resourceOp(g: Graph, types: readonly DType[], shapes: readonly Shape[]): Operation {
  return makeOp('IteratorV2', [], typeAttrs(types, shapes), undefined, g);
}

function typeAttrs(
  types: readonly DType[],
  shapes: readonly Shape[],
): { output_types: AttrValue; output_shapes: AttrValue } {
  return {
    output_types: types.slice(),
    output_shapes: shapes.map((s) => (s === null ? null : s.slice())),
  };
}

function parseTypes(v: unknown): { structure: Structure; leaves: DType[] } | undefined {
  try {
    const { structure, leaves } = flattenNested<unknown>(v, (x) => typeof x === 'string', 'outputTypes');
    const types = leaves.map(parseDType);
    if (types.some((t) => t === undefined)) return undefined;
    return { structure, leaves: types as DType[] };
  } catch {
    return undefined;
  }
}

/** Shapes given in the structure of the types (a shape leaf is an array of integers and nulls). */
function parseShapes(structure: Structure, v: unknown): Shape[] {
  const out: Shape[] = [];
  const isShape = (x: unknown): boolean =>
    x === null ||
    (Array.isArray(x) && x.every((d) => d === null || (Number.isInteger(d) && (d as number) >= 0)));
  const walk = (s: Structure, x: unknown): void => {
    if (v === null) {
      for (let i = 0; i < leafCount(s); i++) out.push(null);
      return;
    }
    if (s.kind === 'leaf') {
      if (!isShape(x)) throw new TypeError(`Iterator.fromStructure: ${JSON.stringify(x)} is not a shape`);
      out.push(x === null ? null : (x as (number | null)[]).slice());
      return;
    }
    if (s.kind === 'tuple') {
      if (!Array.isArray(x) || x.length !== s.items.length) {
        throw new TypeError(
          `Iterator.fromStructure: outputShapes must have the structure ${structureToString(structure)}`,
        );
      }
      s.items.forEach((it, i) => walk(it, x[i]));
      return;
    }
    const obj = x as Record<string, unknown>;
    if (typeof x !== 'object' || x === null || Object.keys(obj).sort().join('\0') !== s.keys.join('\0')) {
      throw new TypeError(
        `Iterator.fromStructure: outputShapes must have the structure ${structureToString(structure)}`,
      );
    }
    s.keys.forEach((k, i) => walk(s.items[i] as Structure, obj[k]));
  };
  walk(structure, v);
  return out;
}

const fromStructureDeclared = declare(
  'data.Iterator.fromStructure',
  [
    param(
      'outputTypes',
      kinds.custom<unknown>(
        'a dtype, or a tuple (array) / dict (object) of dtypes',
        (v) => parseTypes(v) !== undefined,
        () => 'float32',
        true,
      ),
    ),
    param(
      'outputShapes',
      kinds.custom<unknown>(
        'shapes (arrays of integers and nulls) in the structure of outputTypes, or null',
        isShapeNest,
        () => null,
      ),
      {
        default: null,
      },
    ),
    param('sharedName', kinds.nullable(kinds.string), { default: null }),
    param(
      'outputClasses',
      kinds.custom<unknown>('null (output classes are always Tensors)', (v) => v === null),
      {
        default: null,
      },
    ),
  ] as const,
  (a) => {
    const parsed = parseTypes(a.outputTypes) as { structure: Structure; leaves: DType[] };
    const shapes = parseShapes(parsed.structure, a.outputShapes);
    if (a.sharedName !== null && a.sharedName !== '') {
      throw new InvalidArgumentError('Iterator.fromStructure: sharedName is not supported');
    }
    const op = resourceOp(getDefaultGraph(), parsed.leaves, shapes);
    return Iterator.fromParts(op, parsed.structure, parsed.leaves, shapes);
  },
);

function isShapeLeaf(x: unknown): boolean {
  return (
    x === null ||
    (Array.isArray(x) && x.every((d) => d === null || (Number.isInteger(d) && (d as number) >= 0)))
  );
}

function isShapeNest(v: unknown): boolean {
  if (isShapeLeaf(v)) return true;
  if (Array.isArray(v)) return v.length > 0 && v.every(isShapeNest);
  return isOptionsObject(v) && Object.keys(v).length > 0 && Object.values(v).every(isShapeNest);
}
