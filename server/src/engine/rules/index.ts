import { defangedIndicatorRule } from './defangedIndicator';
import { incompleteIndicatorListRule } from './incompleteList';
import { missingExclusionRule } from './missingExclusion';
import { portUncheckedRule } from './portUnchecked';
import { staleIndicatorRule } from './staleIndicator';
import { Rule } from './types';

/** Every rule the engine runs on an analysed block, in the order their findings are listed. */
export const RULES: readonly Rule[] = [defangedIndicatorRule, incompleteIndicatorListRule, missingExclusionRule, portUncheckedRule, staleIndicatorRule];
