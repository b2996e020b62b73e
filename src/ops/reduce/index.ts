export { reduceSum } from './sum';
export { reduceMean } from './mean';
export { reduceMax, reduceMin } from './extremum';
export { reduceProd } from './prod';
export { argmax, argmin, argMax, argMin } from './argmax';
export type { ArgOptions } from './argmax';
export type { AxisArg, ReduceOptions } from './axes';
import './broadcast_reduced';
import './prod_except_self';
