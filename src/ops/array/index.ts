export { zerosLike, onesLike, addN } from './broadcast';
