import { ChangeAction, ResourceChange, TerraformPlan } from '../../lib/plan/plan-json';

/**
 * Small hand-made resource changes in the shape of `terraform show -json`, for testing each check's
 * logic in isolation. What Terraform decides is proven against real plans in test/emulator.
 */
export function change(
  address: string,
  type: string,
  actions: ChangeAction[],
  before: Record<string, any> | null,
  after: Record<string, any> | null,
  extra: Partial<Pick<ResourceChange, 'action_reason'>> & { replace_paths?: string[][] } = {},
): ResourceChange {
  const { replace_paths, ...rest } = extra;
  return { address, mode: 'managed', type, name: address.split('.')[1], change: { actions, before, after, replace_paths }, ...rest };
}

export function plan(...changes: ResourceChange[]): TerraformPlan {
  return { format_version: '1.2', planned_values: {}, resource_changes: changes } as TerraformPlan;
}

const tags = (name: string, role: string, pool?: string) => ({ Name: `ci-aws-${name}`, cluster: 'ci-aws', role, ...(pool ? { pool } : {}) });

/** A quorum server as Terraform reads it back. */
export function server(name: string, role: string, ip: string, zone = 'us-east-1a'): Record<string, any> {
  return { id: `i-${name}`, private_ip: ip, availability_zone: zone, tags: tags(name, role) };
}

export function agent(name: string, pool: string): Record<string, any> {
  return { id: `i-${name}`, private_ip: '10.20.32.9', tags: tags(name, 'mesos-agent', pool) };
}

export function volume(name: string, pool: string): Record<string, any> {
  return { id: `vol-${name}`, availability_zone: 'us-east-1a', tags: { Name: `ci-aws-${name}-data`, cluster: 'ci-aws', pool } };
}

export function attachment(agentName: string): Record<string, any> {
  return { instance_id: `i-${agentName}`, volume_id: `vol-${agentName}` };
}

export function group(pool: string, capacity: number): Record<string, any> {
  return { name: `ci-aws-${pool}`, desired_capacity: capacity, tag: Object.entries(tags(pool, 'mesos-agent', pool)).map(([key, value]) => ({ key, value })) };
}
