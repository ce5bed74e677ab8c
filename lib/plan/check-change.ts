import { CheckOptions, Finding, runChecks } from './checks';
import { classifyPlan } from './cluster-resources';
import { TerraformPlan } from './plan-json';

/** Findings of every check over one plan; an empty list passes. */
export function checkChange(plan: TerraformPlan, options: CheckOptions): Finding[] {
  return runChecks(classifyPlan(plan), options);
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
    'See README "Pull request checks" for the safe procedure.',
    '',
  ].join('\n');
}
