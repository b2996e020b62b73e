// Functional control flow (tf.cond, tf.whileLoop) and variable scopes (tf.variableScope, tf.getVariable).
export { cond } from './cond';
export type { CondResult } from './cond';
export { whileLoop } from './while_loop';
export type { WhileLoopOptions } from './while_loop';
export { TensorArray } from './tensor_array';
export { mapFn, scan, foldl, foldr } from './functional';
export {
  variableScope,
  getVariable,
  getVariableScope,
  VariableScope,
  AUTO_REUSE,
} from '../../graph/variable_scope';
export type { VariableScopeOptions, GetVariableOptions, ReuseMode } from '../../graph/variable_scope';
