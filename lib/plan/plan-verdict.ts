import { CheckOptions, Finding, runChecks } from './checks';
import { carriesClusterTag, classifyPlan } from './cluster-resources';
import { printable } from '../model';
import { planOfAnotherStack } from './messages';
import { PlanFileError, readPlanJson, TerraformPlan } from './plan-json';

/** Findings of every check over one plan; an empty list passes. */
export function checkChange(plan: TerraformPlan, options: CheckOptions): Finding[] {
  return runChecks(classifyPlan(plan), options);
}

/**
 * A plan file the checks can judge: Terraform's plan JSON (readPlanJson) of a stack of this
 * project. Checks on another stack's plan would find nothing and pass it without reading it.
 */
export function readClusterPlan(file: string): TerraformPlan {
  const plan = readPlanJson(file);
  const managed = (plan.resource_changes ?? []).filter((c) => c.mode === 'managed');
  if (managed.length > 0 && !managed.some(carriesClusterTag)) throw new PlanFileError(planOfAnotherStack(printable(file), managed.length));
  return plan;
}

/** `<plan file>: <address>: <message>`, the project's one-line problem format. */
export function formatFinding(file: string, finding: Finding): string {
  return `${file}: ${finding.address}: ${finding.message}`;
}

/** The verdict as Markdown for the PR comment. */
export function findingsMarkdown(results: readonly { file: string; findings: readonly Finding[] }[]): string {
  const all = results.flatMap((r) => r.findings.map((f) => ({ file: r.file, ...f })));
  if (all.length === 0) return '### check-change: passed\n\nNo quorum server, data volume or pool is put at risk.\n';
  return [
    `### check-change: refused (${all.length} finding${all.length === 1 ? '' : 's'})`,
    '',
    ...all.map((f) => `- **${f.check}** \`${f.address}\`: ${f.message}`),
    '',
    'See docs/pull-request-checks.md for the safe procedure.',
    '',
  ].join('\n');
}
