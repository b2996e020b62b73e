// Importing this module registers every CPU kernel (one module per op family).
import './state';
import './broadcast';
import './matmul';
import './reduce';
import './array';
import './random';
import './fill';
import './nn';
import './summary';
import './control';
import './where';
import './reverse';
import './tensor_array';
import './nn_extra';
import './data';
import './logging';
