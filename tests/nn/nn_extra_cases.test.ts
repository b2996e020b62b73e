import { describeCases } from '../helpers/cases';
import { nnExtraCases } from '../ops/cases/nn_extra';

describeCases('tf.nn additions (case table tests/ops/cases/nn_extra.ts)', nnExtraCases);
