export { randomNormal } from './random_normal';
export { truncatedNormal } from './truncated_normal';
export { randomUniform } from './random_uniform';
export type { RandomOptions, NormalOptions } from './common';
export type { UniformOptions } from './random_uniform';
