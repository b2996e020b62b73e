import { InvalidArgumentError } from '../errors';
import { getDefaultGraph, Graph, GraphKeys } from '../graph/graph';
import { Tensor } from '../graph/tensor';
import { Variable } from '../graph/variable';
import { getVariable } from '../graph/variable_scope';
import { zeros } from '../ops/initializers';

/**
 * The graph's global step variable (collection `'global_step'`, else a variable named `global_step`), or
 * `null` when there is none.
 *
 * @example
 * tf.train.getGlobalStep(); // null until one is created
 */
export function getGlobalStep(graph: Graph = getDefaultGraph()): Variable | null {
  const steps = graph.getCollection<Variable>(GraphKeys.GLOBAL_STEP);
  if (steps.length > 1) throw new InvalidArgumentError('Multiple tensors in global_step collection.');
  if (steps.length === 1) return steps[0] as Variable;
  for (const v of graph.getCollection<Variable>(GraphKeys.GLOBAL_VARIABLES)) {
    if (v.opName === 'global_step') return v;
  }
  return null;
}

/**
 * Creates the global step: an int32 scalar variable `global_step`, starting at 0, non-trainable, in the
 * `'global_step'` collection. As TF1's `create_global_step`, it is made with `tf.getVariable` outside
 * any name scope but in the current variable scope: inside `tf.variableScope('Model')` (ptb_word_lm.py's
 * `PTBModel`) it is `Model/global_step`. Throws if the graph already has one.
 *
 * @example
 * const step = tf.train.createGlobalStep();
 */
export function createGlobalStep(graph: Graph = getDefaultGraph()): Variable {
  if (getGlobalStep(graph)) throw new InvalidArgumentError('"global_step" already exists.');
  return graph.asDefault(() =>
    graph.nameScope('', () =>
      graph.controlDependencies(null, () =>
        getVariable(GraphKeys.GLOBAL_STEP, {
          shape: [],
          dtype: 'int32',
          initializer: zeros(),
          trainable: false,
          collections: [GraphKeys.GLOBAL_STEP],
        }),
      ),
    ),
  );
}

/**
 * The graph's global step, created (int32, 0, named `global_step`) if it does not exist yet. Pass it to
 * `minimize`/`applyGradients` to count training steps, or to `exponentialDecay`.
 *
 * @example
 * const globalStep = tf.train.getOrCreateGlobalStep();
 * const train = opt.minimize(loss, { globalStep });
 * sess.run(globalStep).item(); // number of steps run
 */
export function getOrCreateGlobalStep(graph: Graph = getDefaultGraph()): Variable {
  return getGlobalStep(graph) ?? createGlobalStep(graph);
}

/** Checks that `t` can serve as a step counter (an integer or float scalar). */
export function assertScalar(t: Tensor, what: string): void {
  if (t.shape !== null && t.shape.length !== 0) {
    throw new InvalidArgumentError(
      `${what} must be a scalar, got ${t.name} with shape [${t.shape.join(',')}]`,
    );
  }
}
