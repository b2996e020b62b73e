import { describeCases } from '../helpers/cases';
import { controlCases } from './cases/control';

describeCases('control flow: If, While', controlCases);
