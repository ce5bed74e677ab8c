import { clusterDiagram } from './cluster-diagram';
import { CountedEffect, COUNTED_EFFECTS, isNoOp, StackSummary, TouchedNode } from './plan-summary';

const PAST: Record<CountedEffect, string> = { create: 'created', update: 'updated', replace: 'replaced', destroy: 'destroyed' };

/** The summary of one stack as Markdown fit for a PR comment. */
export function summaryMarkdown(summary: StackSummary): string {
  const out = [`### Plan for stack \`${summary.stack}\``, ''];
  if (summary.refusals.length > 0) {
    out.push('**Terraform refused to plan** because a protected resource would be destroyed:', '');
    for (const refusal of summary.refusals) out.push(`- \`${refusal.address}\`: ${refusal.explanation}`);
    return out.join('\n') + '\n';
  }
  if (isNoOp(summary)) return [...out, 'No changes: the infrastructure matches the configuration.', ''].join('\n');
  const t = summary.totals;
  out.push(`${t.create} to create, ${t.update} to update, ${t.replace} to replace, ${t.destroy} to destroy.`, '');
  out.push('| part | create | update | replace | destroy |', '| --- | ---: | ---: | ---: | ---: |');
  for (const [group, counts] of [...summary.groups].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`| ${group} | ${COUNTED_EFFECTS.map((e) => counts[e] || '').join(' | ')} |`);
  }
  out.push('', `**Quorum servers touched:** ${touched(summary.quorumServers)}`, '', `**Data volumes touched:** ${touched(summary.dataVolumes)}`, '');
  out.push('```mermaid', clusterDiagram(summary), '```', '');
  return out.join('\n');
}

/** The same summary in a few plain lines for the terminal. */
export function summaryText(summary: StackSummary): string {
  if (summary.refusals.length > 0) {
    return [`${summary.stack}: Terraform refused to plan:`, ...summary.refusals.map((r) => `  ${r.address}: ${r.explanation}`)].join('\n');
  }
  if (isNoOp(summary)) return `${summary.stack}: no changes`;
  const t = summary.totals;
  const lines = [`${summary.stack}: ${t.create} to create, ${t.update} to update, ${t.replace} to replace, ${t.destroy} to destroy`];
  for (const [group, counts] of summary.groups) {
    lines.push(`  ${group}: ${COUNTED_EFFECTS.filter((e) => counts[e] > 0).map((e) => `${counts[e]} ${e}`).join(', ')}`);
  }
  lines.push(`  quorum servers touched: ${touched(summary.quorumServers)}`, `  data volumes touched: ${touched(summary.dataVolumes)}`);
  return lines.join('\n');
}

function touched(nodes: readonly TouchedNode[]): string {
  if (nodes.length === 0) return 'none';
  return nodes.map((n) => `${n.name} ${PAST[n.effect]}${n.effect === 'replace' || n.effect === 'destroy' ? ` (${n.because})` : ''}`).join('; ');
}
