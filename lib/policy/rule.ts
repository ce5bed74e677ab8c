import { Cloud } from '../model';
import { PolicyStack } from './policy-stack';

/** What a rule concluded about one resource (or one group of resources, such as a quorum). */
export type Outcome = 'compliant' | 'non-compliant' | 'not-applicable';

/** `error` stops the synth; `warning` is printed and lets it continue. */
export type Level = 'error' | 'warning';

export interface RuleResult {
  /** A Terraform address (`aws_instance.zookeeper-1_instance`) or a named group (`quorum:zookeeper`). */
  readonly resource: string;
  readonly outcome: Outcome;
  /** Why, for this resource: printed with the rule's fix when it is non-compliant. */
  readonly detail: string;
}

/** The ids of the scanner checks a rule mirrors; empty when no scanner has it. */
export interface MirroredChecks {
  readonly checkov: readonly string[];
  readonly trivy: readonly string[];
  readonly kics: readonly string[];
}

/**
 * One policy rule, modelled on cdk-nag: an id, the clouds it applies to, what it guards against,
 * how to fix a finding, and an evaluation over a synthesized stack.
 */
export interface PolicyRule {
  /** Stable, kebab-case; what a suppression names. */
  readonly id: string;
  readonly level: Level;
  readonly clouds: readonly Cloud[];
  /** A short phrase for the rule table in docs/policy-rules.md (generated: `npm run docs:policy`). */
  readonly summary: string;
  readonly mirrors: MirroredChecks;
  /** One sentence: what the rule demands and why. */
  readonly explanation: string;
  /** One sentence: what to change. */
  readonly fix: string;
  evaluate(stack: PolicyStack): RuleResult[];
}

export const NO_SCANNER: MirroredChecks = { checkov: [], trivy: [], kics: [] };

export function compliant(resource: string, detail: string): RuleResult {
  return { resource, outcome: 'compliant', detail };
}

export function nonCompliant(resource: string, detail: string): RuleResult {
  return { resource, outcome: 'non-compliant', detail };
}

export function notApplicable(resource: string, detail: string): RuleResult {
  return { resource, outcome: 'not-applicable', detail };
}

/** Compliant when `problem` is undefined, else non-compliant with the problem as detail. */
export function judge(resource: string, problem: string | undefined, okDetail: string): RuleResult {
  return problem === undefined ? compliant(resource, okDetail) : nonCompliant(resource, problem);
}
