import { describeCases } from '../helpers/cases';
import { tensorArrayCases } from './cases/tensor_array';

describeCases('TensorArray and functional ops (case table)', tensorArrayCases);
