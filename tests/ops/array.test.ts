import { describeCases } from '../helpers/cases';
import { arrayCases } from './cases/array';

describeCases('array (shape) ops', arrayCases);
