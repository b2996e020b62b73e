// CPU kernels of the nn op family (registered on import), one module per group of ops.
import './nn_window';
import './nn_misc';
import './nn_softmax';
