import { defangedIndicatorRule } from './defangedIndicator';
import { incompleteIndicatorListRule } from './incompleteList';
import { ipPortInAddressColumnRule } from './ipPortInAddressColumn';
import { missingExclusionRule } from './missingExclusion';
import { portUncheckedRule } from './portUnchecked';
import { staleIndicatorRule } from './staleIndicator';
import { timeColumnMismatchRule } from './timeColumnMismatch';
import { Rule } from './types';
import { unknownCustomTableRule } from './unknownCustomTable';

/** Every rule the engine runs on an analysed block, in the order their findings are listed. */
export const RULES: readonly Rule[] = [
  unknownCustomTableRule,
  timeColumnMismatchRule,
  defangedIndicatorRule,
  ipPortInAddressColumnRule,
  incompleteIndicatorListRule,
  missingExclusionRule,
  portUncheckedRule,
  staleIndicatorRule,
];
