export { blocksSynth, checkStack, Finding, formatFinding, PolicyReport, StackToCheck } from './check';
export { ALL_RULES } from './rules';
export { PolicyRule, RuleResult, Outcome, Level } from './rule';
export { Suppression, MIN_REASON_LENGTH } from './suppressions';
