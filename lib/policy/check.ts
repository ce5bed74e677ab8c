import { PolicyStack } from './policy-stack';
import { STACK_READERS } from './readers';
import { Level, PolicyRule } from './rule';
import { ALL_RULES } from './rules';
import { findSuppression, MIN_REASON_LENGTH, Suppression } from './suppressions';

export interface Finding {
  readonly stack: string;
  readonly rule: PolicyRule;
  readonly resource: string;
  readonly detail: string;
  /** The accepted reason, when a suppression covers the finding. */
  readonly suppressedBecause?: string;
}

export interface PolicyReport {
  readonly findings: readonly Finding[];
  /** Problems with the suppressions themselves: unknown rules, missing reasons, nothing matched. */
  readonly suppressionProblems: readonly string[];
}

/** A synthesized stack before its cloud's reader has seen it, with the cluster file's suppressions. */
export interface StackToCheck extends Omit<PolicyStack, 'view'> {
  /** From the cluster file's `policy.suppressions`. */
  readonly suppressions?: readonly Suppression[];
}

/** Runs every rule that applies to the stack's cloud; suppressed findings are kept, marked. */
export function checkStack(input: StackToCheck, rules: readonly PolicyRule[] = ALL_RULES): PolicyReport {
  const reader = STACK_READERS[input.cloud];
  if (reader === undefined) throw new Error(`no policy reader for ${input.cloud} stacks (lib/policy/readers)`);
  const stack: PolicyStack = { name: input.name, cloud: input.cloud, json: input.json, view: reader(input.json) };
  const suppressions = input.suppressions ?? [];
  const used = new Set<Suppression>();
  const findings: Finding[] = [];
  for (const rule of rules.filter((r) => r.clouds.includes(input.cloud))) {
    for (const result of rule.evaluate(stack).filter((r) => r.outcome === 'non-compliant')) {
      const suppression = findSuppression(suppressions, rule.id, result.resource);
      if (suppression) used.add(suppression);
      findings.push({ stack: input.name, rule, resource: result.resource, detail: result.detail, suppressedBecause: suppression?.reason });
    }
  }
  const known = new Set(rules.map((r) => r.id));
  const suppressionProblems = suppressions.flatMap((s) => {
    const where = `${input.name}: policy.suppressions ${s.rule} ${s.resource}`;
    if (!known.has(s.rule)) return [`${where}: no rule "${s.rule}"; rules are ${[...known].join(', ')}`];
    if (s.reason.trim().length < MIN_REASON_LENGTH) return [`${where}: the reason must say why, in at least ${MIN_REASON_LENGTH} characters`];
    if (!used.has(s)) return [`${where}: matches no finding; remove it`];
    return [];
  });
  return { findings, suppressionProblems };
}

/** Findings that stop the synth: error level and not suppressed, or any suppression problem. */
export function blocksSynth(report: PolicyReport): boolean {
  return report.suppressionProblems.length > 0 || report.findings.some((f) => f.rule.level === 'error' && f.suppressedBecause === undefined);
}

/** One line per finding: `<stack>: <resource>: <level> <rule>: <detail>. Fix: <fix>`, suppressed ones with their reason. */
export function formatFinding(finding: Finding): string {
  const { stack, rule, resource, detail } = finding;
  if (finding.suppressedBecause !== undefined) return `${stack}: ${resource}: suppressed ${rule.id}: ${detail} (reason: ${finding.suppressedBecause})`;
  return `${stack}: ${resource}: ${levelWord(rule.level)} ${rule.id}: ${detail}. Fix: ${rule.fix}`;
}

function levelWord(level: Level): string {
  return level === 'error' ? 'error' : 'warning';
}
