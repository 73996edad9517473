import { missingExclusionRule } from './missingExclusion';
import { Rule } from './types';

/** Every rule the engine runs on an analysed block, in the order their findings are listed. */
export const RULES: readonly Rule[] = [missingExclusionRule];
