/**
 * The emulator's inventory (lib/emulator/moto-inventory.ts) and what only tests do with it:
 * change the cloud behind Terraform's back (drift), and find what exists twice.
 */
import { type CloudThing, ec2Action } from '../../lib/emulator/moto-inventory';

export type { CloudRule, CloudThing } from '../../lib/emulator/moto-inventory';
export { liveInstances, securityGroupRules, securityGroups } from '../../lib/emulator/moto-inventory';

/** Terminates an instance behind Terraform's back (drift). */
export async function terminateInstance(endpoint: string, id: string): Promise<void> {
  await ec2Action(endpoint, 'TerminateInstances', { 'InstanceId.1': id });
}

/** Removes one ingress rule by its id behind Terraform's back (drift). */
export async function revokeIngressRule(endpoint: string, groupId: string, ruleId: string): Promise<void> {
  await ec2Action(endpoint, 'RevokeSecurityGroupIngress', { GroupId: groupId, 'SecurityGroupRuleId.1': ruleId });
}

/** Names that occur more than once: what an interrupted apply would have created twice. */
export function duplicated(things: readonly CloudThing[]): string[] {
  const counts = new Map<string, number>();
  for (const { name } of things) if (name !== undefined) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([name]) => name);
}
