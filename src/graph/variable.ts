import { DType } from './dtype';
import { getDefaultGraph, Graph, GraphKeys } from './graph';
import { Operation, Tensor, TensorLike } from './tensor';
import { makeOp, makeTensor } from '../ops/op_def';
import { castNDArray, NDArray, toNDArray } from '../ndarray';
import '../ops/state/variable_ops';

export interface VariableOptions {
  name?: string;
  /** Added to the trainable collection (what optimizers update by default). Default true. */
  trainable?: boolean;
  dtype?: DType;
  /** Extra collections to add the variable to. */
  collections?: string[];
}

/**
 * A tensor whose value persists across `Session.run` calls. Its value belongs to the session: run its
 * `initializer` (or `tf.globalVariablesInitializer()`) first. Usable wherever a Tensor is expected.
 *
 * @example
 * const W = new tf.Variable(tf.zeros([784, 10]), { name: 'W' });
 * const y = tf.matmul(x, W);
 * sess.run(tf.globalVariablesInitializer());
 * sess.run(W.assignAdd(tf.onesLike(W)));
 */
export class Variable extends Tensor {
  /** The op that sets the variable to its initial value. */
  readonly initializer: Operation;
  /** The tensor that computes the initial value. */
  readonly initialValue: Tensor;
  readonly trainable: boolean;
  private readonly snapshot: Tensor;

  constructor(initialValue: TensorLike | (() => TensorLike), options: VariableOptions = {}) {
    const graph = initialValue instanceof Tensor ? initialValue.graph : getDefaultGraph();
    const built = graph.nameScope(options.name ?? 'Variable', () => {
      const scope = graph.currentScope;
      const raw = typeof initialValue === 'function' ? initialValue() : initialValue;
      const source = raw instanceof NDArray && options.dtype ? castNDArray(raw, options.dtype) : raw;
      let init =
        raw instanceof Tensor
          ? raw
          : initialValueConst(source as Exclude<TensorLike, Tensor>, options.dtype, graph);
      if (options.dtype && init.dtype !== options.dtype)
        init = makeTensor('Cast', [init], { DstT: options.dtype }, 'Cast');
      const varOp = makeOp('VariableV2', [], { shape: init.shape, dtype: init.dtype }, undefined, graph, {
        exactName: scope,
      });
      return { varOp, init };
    });
    super(built.varOp, 0, built.init.shape, built.init.dtype);
    built.varOp.outputs[0] = this;
    this.initialValue = built.init;
    this.trainable = options.trainable ?? true;
    const scoped = <T>(fn: () => T): T => graph.nameScope(`${built.varOp.name}/`, fn);
    this.initializer = scoped(() => makeOp('Assign', [this, built.init], {}, 'Assign', graph));
    this.snapshot = scoped(() => makeTensor('Identity', [this], {}, 'read'));
    graph.addToCollection(GraphKeys.GLOBAL_VARIABLES, this);
    if (this.trainable) graph.addToCollection(GraphKeys.TRAINABLE_VARIABLES, this);
    for (const c of options.collections ?? []) graph.addToCollection(c, this);
  }

  /** The variable's op name (`'W'`); `name` is the tensor name `'W:0'`. */
  get opName(): string {
    return this.op.name;
  }

  /** A tensor that reads the variable (`W/read:0`). */
  value(): Tensor {
    return this.snapshot;
  }

  /** An op-output that sets the variable to `value` and yields the new value. */
  assign(value: TensorLike, name?: string): Tensor {
    return makeTensor('Assign', [this, value], {}, name ?? 'Assign', this.dtype);
  }

  assignAdd(delta: TensorLike, name?: string): Tensor {
    return makeTensor('AssignAdd', [this, delta], {}, name ?? 'AssignAdd', this.dtype);
  }

  assignSub(delta: TensorLike, name?: string): Tensor {
    return makeTensor('AssignSub', [this, delta], {}, name ?? 'AssignSub', this.dtype);
  }

  override toString(): string {
    return `<tf.Variable '${this.name}' shape=${JSON.stringify(this.shape)} dtype=${this.dtype}>`;
  }
}

/** Plain initial values become a Const with TF1's name `<var>/initial_value`. */
function initialValueConst(
  value: Exclude<TensorLike, Tensor>,
  dtype: DType | undefined,
  graph: Graph,
): Tensor {
  const arr = toNDArray(value, dtype);
  return makeOp('Const', [], { value: arr, dtype: arr.dtype }, 'initial_value', graph).outputs[0] as Tensor;
}

/** Every variable created in the default graph (TF1's `global_variables()`). */
export function globalVariables(graph: Graph = getDefaultGraph()): Variable[] {
  return graph.getCollection<Variable>(GraphKeys.GLOBAL_VARIABLES);
}

/** Variables created with `trainable: true` (the default). */
export function trainableVariables(graph: Graph = getDefaultGraph()): Variable[] {
  return graph.getCollection<Variable>(GraphKeys.TRAINABLE_VARIABLES);
}

/** An op that runs the initializers of `vars`. */
export function variablesInitializer(vars: Variable[], name = 'init'): Operation {
  const graph = vars[0]?.graph ?? getDefaultGraph();
  return makeOp('NoOp', [], {}, name, graph, { controlInputs: vars.map((v) => v.initializer) });
}

/**
 * An op that initializes every global variable that exists when it is created (op name `init`).
 *
 * @example
 * sess.run(tf.globalVariablesInitializer());
 */
export function globalVariablesInitializer(): Operation {
  return variablesInitializer(globalVariables(), 'init');
}
