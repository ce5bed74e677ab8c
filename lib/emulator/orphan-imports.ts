import { CloudRule, liveInstances, securityGroupRules, securityGroups } from './moto-inventory';

/** One Terraform import block: the address a plan would create, and the id of what already exists. */
export interface ImportBlock {
  readonly to: string;
  readonly id: string;
}

/** The parts of `terraform show -json <plan>` read here: the planned creates and the state's ids. */
export interface PlanForImports {
  readonly resource_changes?: readonly { readonly address: string; readonly mode: string; readonly type: string; readonly change: { readonly actions: readonly string[]; readonly after: Record<string, unknown> | null } }[];
  readonly prior_state?: { readonly values?: { readonly root_module?: StateModule } };
}

interface StateModule {
  readonly resources?: readonly { readonly values?: { readonly id?: unknown } }[];
  readonly child_modules?: readonly StateModule[];
}

/** Rule resources and which side of the group they open. */
const RULE_TYPES: Readonly<Record<string, boolean>> = { aws_vpc_security_group_ingress_rule: false, aws_vpc_security_group_egress_rule: true };

/**
 * What the plan would create that the emulator already holds and the state does not record (an
 * orphan: created by an apply that died or was answered with an error before it wrote the id),
 * as import blocks (docs/state-under-faults.md). Matched as a person would look: instances and
 * security groups by their Name tag, a rule by its group, protocol, ports and source. Only an
 * unambiguous match counts: one thing in the cloud, not recorded in the state.
 */
export async function orphanImports(endpoint: string, plan: PlanForImports): Promise<ImportBlock[]> {
  const creates = (plan.resource_changes ?? []).filter((c) => c.mode === 'managed' && c.change.actions.length === 1 && c.change.actions[0] === 'create' && c.change.after !== null);
  if (creates.length === 0) return [];
  const recorded = recordedIds(plan.prior_state?.values?.root_module);
  const unrecorded = <T extends { id: string }>(things: readonly T[]) => things.filter((t) => !recorded.has(t.id));
  const [instances, groups, rules] = await Promise.all([liveInstances(endpoint), securityGroups(endpoint), securityGroupRules(endpoint)]);
  const byName = { aws_instance: unrecorded(instances), aws_security_group: unrecorded(groups) } as Record<string, readonly { id: string; name: string | undefined }[]>;
  const blocks: ImportBlock[] = [];
  for (const { address, type, change } of creates) {
    const after = change.after!;
    let found: readonly { id: string }[] = [];
    if (byName[type] !== undefined) {
      const name = (after.tags as Record<string, unknown> | undefined)?.Name;
      if (typeof name === 'string') found = byName[type].filter((thing) => thing.name === name);
    } else if (RULE_TYPES[type] !== undefined) {
      found = unrecorded(rules).filter((rule) => rule.egress === RULE_TYPES[type] && sameRule(rule, after));
    }
    if (found.length === 1) blocks.push({ to: address, id: found[0].id });
  }
  return blocks;
}

/** The import blocks as the `*.tf.json` file Terraform reads beside the stack. */
export function importFile(blocks: readonly ImportBlock[]): string {
  return `${JSON.stringify({ import: blocks }, null, 2)}\n`;
}

/** A planned rule (its known values) and a rule in the cloud describe the same permission. */
function sameRule(rule: CloudRule, after: Record<string, unknown>): boolean {
  const source = after.cidr_ipv4 ?? after.referenced_security_group_id;
  if (typeof after.security_group_id !== 'string' || typeof source !== 'string') return false;
  const protocol = String(after.ip_protocol);
  // An all-protocols rule has no ports; moto reads them back as -1.
  const portsMatch = protocol === '-1' || (rule.fromPort === after.from_port && rule.toPort === after.to_port);
  return rule.groupId === after.security_group_id && rule.protocol === protocol && portsMatch && rule.source === source;
}

/** Every resource id the state records, in every module. */
function recordedIds(module: StateModule | undefined): Set<string> {
  const ids = new Set<string>();
  const walk = (m: StateModule | undefined) => {
    for (const resource of m?.resources ?? []) if (typeof resource.values?.id === 'string') ids.add(resource.values.id);
    for (const child of m?.child_modules ?? []) walk(child);
  };
  walk(module);
  return ids;
}
