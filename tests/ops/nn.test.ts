import { describeCases } from '../helpers/cases';
import { nnCases } from './cases/nn';

describeCases('tf.nn ops', nnCases);
