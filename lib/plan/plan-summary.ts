import { groupCapacity } from './group-capacity';
import { ClusterResource, knownValues, tagsOf } from './cluster-resources';
import { becauseOf } from './checks/change-check';
import { Effect, existsAfter } from './plan-json';
import { TerraformRefusal } from './terraform-refusal';

export type CountedEffect = Exclude<Effect, 'none'>;
export const COUNTED_EFFECTS: readonly CountedEffect[] = ['create', 'update', 'replace', 'destroy'];

/** One quorum server or data volume the plan touches, named. */
export interface TouchedNode {
  readonly name: string;
  readonly effect: CountedEffect;
  readonly because: string;
}

export interface PoolPicture {
  readonly pool: string;
  readonly agentsBefore: number;
  readonly agentsAfter: number;
  readonly changed: boolean;
}

export interface ServerPicture {
  readonly name: string;
  /** Undefined while Terraform does not know it (a server still to be created). */
  readonly zone?: string;
  readonly effect: Effect;
}

/** What a stack's plan does, grouped the way operators think of the cluster. */
export interface StackSummary {
  readonly stack: string;
  /** Counts per group: a quorum role (`zookeeper`), `pool <name>`, `bastion`, `network`, ... */
  readonly groups: ReadonlyMap<string, Readonly<Record<CountedEffect, number>>>;
  readonly totals: Readonly<Record<CountedEffect, number>>;
  readonly quorumServers: readonly TouchedNode[];
  readonly dataVolumes: readonly TouchedNode[];
  readonly servers: readonly ServerPicture[];
  readonly pools: readonly PoolPicture[];
  /** Terraform refused to plan (a `prevent_destroy` hit); then the counts are empty. */
  readonly refusals: readonly TerraformRefusal[];
}

export function summarizePlan(stack: string, resources: readonly ClusterResource[], refusals: readonly TerraformRefusal[] = []): StackSummary {
  const groups = new Map<string, Record<CountedEffect, number>>();
  const totals = zeroCounts();
  const quorumServers: TouchedNode[] = [];
  const dataVolumes: TouchedNode[] = [];
  for (const resource of resources) {
    const { effect, what } = resource;
    if (effect === 'none') continue;
    const group = groupOf(resource);
    const counts = groups.get(group) ?? groups.set(group, zeroCounts()).get(group)!;
    counts[effect] += 1;
    totals[effect] += 1;
    if (what.kind === 'quorum-server') quorumServers.push({ name: what.name, effect, because: becauseOf(resource) });
    if (what.kind === 'data-volume') dataVolumes.push({ name: what.name, effect, because: becauseOf(resource) });
  }
  return { stack, groups, totals, quorumServers, dataVolumes, servers: serversOf(resources), pools: poolsOf(resources), refusals };
}

/** True when the plan changes nothing and Terraform did not refuse it. */
export function isNoOp(summary: StackSummary): boolean {
  return summary.refusals.length === 0 && COUNTED_EFFECTS.every((e) => summary.totals[e] === 0);
}

function zeroCounts(): Record<CountedEffect, number> {
  return { create: 0, update: 0, replace: 0, destroy: 0 };
}

const SHARED_GROUPS: readonly [RegExp, string][] = [
  [/^aws_(vpc|subnet|route|route_table|route_table_association|internet_gateway|nat_gateway|eip|flow_log|vpc_endpoint.*)$|^openstack_networking_(network|subnet|router).*/, 'network'],
  [/security_group|secgroup/, 'firewall'],
  [/^aws_lb|^aws_alb|^openstack_lb_/, 'load balancer'],
  [/^aws_iam_|^aws_kms_|^aws_ssm_|^aws_secretsmanager_|^aws_key_pair$|^openstack_compute_keypair/, 'access and secrets'],
];

function groupOf(resource: ClusterResource): string {
  const { what, change } = resource;
  switch (what.kind) {
    case 'quorum-server':
      return what.role;
    case 'bastion':
      return 'bastion';
    case 'agent':
    case 'agent-group':
      return `pool ${what.pool}`;
    case 'launch-template':
    case 'data-volume':
      if (what.pool !== undefined) return `pool ${what.pool}`;
  }
  const pool = tagsOf(knownValues(change)).pool;
  if (pool !== undefined) return `pool ${pool}`;
  // A new attachment names its instance and volume only after apply.
  if (what.kind === 'volume-attachment') return 'volume attachments';
  return SHARED_GROUPS.find(([pattern]) => pattern.test(change.type))?.[1] ?? 'other';
}

function serversOf(resources: readonly ClusterResource[]): ServerPicture[] {
  return resources.flatMap(({ what, change, effect }) => {
    if (what.kind !== 'quorum-server') return [];
    const zone = change.change.before?.availability_zone ?? change.change.after?.availability_zone;
    return [{ name: what.name, zone: typeof zone === 'string' ? zone : undefined, effect }];
  });
}

function poolsOf(resources: readonly ClusterResource[]): PoolPicture[] {
  const pools = new Map<string, { agentsBefore: number; agentsAfter: number; changed: boolean }>();
  for (const { what, change, effect } of resources) {
    if (!('pool' in what) || what.pool === undefined) continue;
    const pool = pools.get(what.pool) ?? pools.set(what.pool, { agentsBefore: 0, agentsAfter: 0, changed: false }).get(what.pool)!;
    pool.changed ||= effect !== 'none';
    if (what.kind === 'agent-group') {
      pool.agentsBefore += groupCapacity(change.change.before);
      pool.agentsAfter += existsAfter(change) ? groupCapacity(change.change.after) : 0;
    } else if (what.kind === 'agent') {
      pool.agentsBefore += change.change.before === null || effect === 'create' ? 0 : 1;
      pool.agentsAfter += existsAfter(change) ? 1 : 0;
    }
  }
  return [...pools].map(([pool, p]) => ({ pool, ...p }));
}
