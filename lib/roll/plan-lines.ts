import { RollPlan, RollStep } from './roll-types';
import { MIN_HEALTHY_PERCENTAGE } from './instance-refresh';

function stepLine(step: RollStep, index: number): string {
  if (step.kind === 'instance-refresh') {
    return `${index}. ${step.group.role}: instance refresh of Auto Scaling group ${step.group.groupName} (min healthy ${MIN_HEALTHY_PERCENTAGE}%, instances already on the launch template are skipped${step.group.role === 'edge' ? '' : '; agents drain through the termination hook'})`;
  }
  const { server } = step;
  const what = `${server.agent ? 'drain, then replace' : 'replace'} ${server.address}`;
  const extra = server.targets.length > 1 ? ` with ${server.targets.slice(1).join(', ')}` : '';
  return `${index}. ${server.name}: ${what}${extra}${step.leader ? ' (leader: last of its role)' : ''} - ${step.reasons.join(', ')}`;
}

/** `--plan`: the notes, then one line per step, in order. */
export function planLines(plan: RollPlan): string[] {
  const lines = [...plan.notes];
  if (plan.steps.length === 0) lines.push(`nothing to roll: ${plan.current.length} server(s) already match the stack`);
  plan.steps.forEach((step, i) => lines.push(stepLine(step, i + 1)));
  return lines;
}
