import { Effect, effectOf, ResourceChange, TerraformPlan } from './plan-json';

/**
 * What each planned resource is in the cluster, read from the resource itself (type, tags
 * `role`/`pool`/`cluster`/`Name`/`services`, attachments), never from its address: addresses
 * change when per-agent resources move to `for_each` or servers get new names.
 */
export type QuorumService = 'zookeeper' | 'mesos-master' | 'marathon';
export const QUORUM_SERVICES: readonly QuorumService[] = ['zookeeper', 'mesos-master', 'marathon'];

export type ResourceKind =
  | { readonly kind: 'quorum-server'; readonly name: string; readonly role: string; readonly services: readonly QuorumService[] }
  /** An individually managed agent instance; `hasData` when a data volume is (or will be) attached to it. */
  | { readonly kind: 'agent'; readonly name: string; readonly pool: string; readonly hasData: boolean }
  | { readonly kind: 'agent-group'; readonly pool: string }
  | { readonly kind: 'launch-template'; readonly pool?: string }
  | { readonly kind: 'data-volume'; readonly name: string; readonly pool?: string }
  | { readonly kind: 'volume-attachment' }
  | { readonly kind: 'bastion'; readonly name: string }
  | { readonly kind: 'other' };

export interface ClusterResource {
  readonly change: ResourceChange;
  readonly effect: Effect;
  readonly what: ResourceKind;
  /** Found deleted or changed outside Terraform when the plan refreshed (the plan's `resource_drift`). */
  readonly drift?: 'deleted' | 'changed';
}

const INSTANCE_TYPES = new Set(['aws_instance', 'openstack_compute_instance_v2']);
const VOLUME_TYPES = new Set(['aws_ebs_volume', 'openstack_blockstorage_volume_v3']);
const ATTACHMENT_TYPES = new Set(['aws_volume_attachment', 'openstack_compute_volume_attach_v2']);
const GROUP_TYPES = new Set(['aws_autoscaling_group']);
const TEMPLATE_TYPES = new Set(['aws_launch_template']);

const SERVICES_OF_ROLE: Record<string, readonly QuorumService[]> = {
  zookeeper: ['zookeeper'],
  'mesos-master': ['mesos-master'],
  marathon: ['marathon'],
  control: QUORUM_SERVICES,
};

/** Every managed resource of the plan with what it is. */
export function classifyPlan(plan: TerraformPlan): ClusterResource[] {
  const changes = (plan.resource_changes ?? []).filter((c) => c.mode === 'managed');
  const withData = instancesWithData(changes);
  const drifted = new Map((plan.resource_drift ?? []).map((d) => [d.address, d.change.actions.includes('delete') ? ('deleted' as const) : ('changed' as const)]));
  return changes.map((change) => {
    const drift = drifted.get(change.address);
    return { change, effect: effectOf(change), what: classify(change, withData), ...(drift === undefined ? {} : { drift }) };
  });
}

/** Whether the resource carries the `cluster` tag (or OpenStack metadata) every stack of this project sets. */
export function carriesClusterTag(change: ResourceChange): boolean {
  return [change.change.before, change.change.after].some((values) => values !== null && typeof tagsOf(values).cluster === 'string');
}

/** The values Terraform knows for the resource: before for what exists, else after. */
export function knownValues(change: ResourceChange): Record<string, any> {
  return change.change.before ?? change.change.after ?? {};
}

/** Tags as a map: AWS `tags`/`tags_all`, an Auto Scaling group's `tag` list, OpenStack `metadata`. */
export function tagsOf(values: Record<string, any>): Record<string, string> {
  const tags: Record<string, string> = { ...(values.metadata ?? {}), ...(values.tags_all ?? {}), ...(values.tags ?? {}) };
  if (Array.isArray(values.tag)) for (const t of values.tag) if (t && typeof t.key === 'string') tags[t.key] = String(t.value);
  return tags;
}

function classify(change: ResourceChange, withData: InstancesWithData): ResourceKind {
  const values = knownValues(change);
  const tags = { ...tagsOf(change.change.after ?? {}), ...tagsOf(values) };
  const name = nodeName(tags, change.address);
  if (INSTANCE_TYPES.has(change.type)) {
    const services = SERVICES_OF_ROLE[tags.role];
    if (services !== undefined) {
      const listed = (tags.services ?? '').split(',').filter((s): s is QuorumService => (QUORUM_SERVICES as string[]).includes(s));
      return { kind: 'quorum-server', name, role: tags.role, services: listed.length > 0 ? listed : services };
    }
    if (tags.role === 'bastion') return { kind: 'bastion', name };
    if (tags.pool !== undefined) {
      const hasData = withData.ids.has(values.id) || withData.pools.has(tags.pool);
      return { kind: 'agent', name, pool: tags.pool, hasData };
    }
  }
  if (VOLUME_TYPES.has(change.type)) return { kind: 'data-volume', name, pool: tags.pool };
  if (ATTACHMENT_TYPES.has(change.type)) return { kind: 'volume-attachment' };
  if (GROUP_TYPES.has(change.type) && tags.pool !== undefined) return { kind: 'agent-group', pool: tags.pool };
  if (TEMPLATE_TYPES.has(change.type)) return { kind: 'launch-template', pool: tags.pool };
  return { kind: 'other' };
}

/** `zookeeper-2` from the `Name` tag `ci-aws-zookeeper-2`; the address when there is no tag. */
function nodeName(tags: Record<string, string>, address: string): string {
  const full = tags.Name;
  if (full === undefined) return address;
  const prefix = tags.cluster === undefined ? '' : `${tags.cluster}-`;
  return full.startsWith(prefix) ? full.slice(prefix.length) : full;
}

interface InstancesWithData {
  /** Ids of instances an attachment names, before or after the change. */
  readonly ids: ReadonlySet<string>;
  /** Pools that own data volumes: their agents hold data even before an attachment exists. */
  readonly pools: ReadonlySet<string>;
}

function instancesWithData(changes: readonly ResourceChange[]): InstancesWithData {
  const ids = new Set<string>();
  const pools = new Set<string>();
  for (const change of changes) {
    if (ATTACHMENT_TYPES.has(change.type)) {
      for (const values of [change.change.before, change.change.after]) {
        if (typeof values?.instance_id === 'string') ids.add(values.instance_id);
      }
    }
    if (VOLUME_TYPES.has(change.type)) {
      const pool = tagsOf(knownValues(change)).pool ?? tagsOf(change.change.after ?? {}).pool;
      if (pool !== undefined) pools.add(pool);
    }
  }
  return { ids, pools };
}
