// Importing this module registers every GPU kernel (one module per op family, named as the CPU
// backend's module of the same family in src/backends/cpu/kernels; see tests/house/kernel_files).
import './state';
import './broadcast';
import './matmul';
import './reduce';
import './shape';
import './transpose';
import './join';
import './slice';
import './gather';
import './tile';
import './host';
import './fill';
import './nn';
import './window';
import './softmax';
import './depthwise';
import './control';
import './where';
import './reverse';
import './tensor_array';
import './nn_extra';
import './data';
import './logging';
import './image';
import './gather_nd';
import './nms';
