export { fill, zeros, ones } from './fill';
export { shape, size, rank } from './shape';
export type { ShapeLike } from './shape_arg';
