import { ClusterTopology } from '../model';
import { AutoScaledGroup, QuorumService, RollServer } from './roll-types';

/** The ignored arguments of an instance's state (or configuration) values, by the resource type in its address. */
export function ignoredDrift(address: string, values: Record<string, any>): Record<string, unknown> {
  return INSTANCE_TYPES[address.split('.')[0]]?.ignoredDrift(values) ?? {};
}

/** A synthesized stack's resources: type -> name -> arguments. */
export type StackResources = Record<string, Record<string, Record<string, any>>>;

/**
 * Each cloud's individually managed instance: where its node name and role labels are, and the
 * arguments its stack tells Terraform to ignore after creation (read the same way from the
 * configuration and from the state, whose values mirror the arguments).
 */
interface InstanceType {
  readonly name: (args: Record<string, any>) => unknown;
  readonly labels: (args: Record<string, any>) => Record<string, unknown> | undefined;
  readonly ignoredDrift: (args: Record<string, any>) => Record<string, unknown>;
}

const INSTANCE_TYPES: Record<string, InstanceType> = {
  // lib/aws/instance-defaults.ts IGNORE_AFTER_CREATION; user data is set as user_data_base64.
  aws_instance: {
    name: (a) => a.tags?.Name,
    labels: (a) => a.tags,
    ignoredDrift: (a) => ({ ami: a.ami, instance_type: a.instance_type, user_data_base64: a.user_data_base64 }),
  },
  // lib/openstack/server-instance.ts: the image is the boot volume's source (block_device[0].uuid).
  openstack_compute_instance_v2: {
    name: (a) => a.name,
    labels: (a) => a.metadata,
    ignoredDrift: (a) => ({ image: a.block_device?.[0]?.uuid ?? a.image_id, flavor_name: a.flavor_name, user_data: a.user_data }),
  },
};

const QUORUMS_OF_ROLE_TAG: Record<string, readonly QuorumService[]> = {
  zookeeper: ['zookeeper'],
  'mesos-master': ['mesos-master'],
  marathon: ['marathon'],
  control: ['zookeeper', 'mesos-master', 'marathon'],
};

/** `--role` names of the quorum servers' role tags. */
const SELECTOR_OF_ROLE_TAG: Record<string, string> = { zookeeper: 'zookeeper', 'mesos-master': 'masters', marathon: 'marathon', control: 'control' };

/** `zookeeper-1` from `ci-aws-zookeeper-1`; `*` for a per-key name (`ci-aws-${each.key}`). */
function nodeName(cluster: string, name: unknown): string | undefined {
  if (typeof name !== 'string' || !name.startsWith(`${cluster}-`)) return undefined;
  const rest = name.slice(cluster.length + 1);
  return rest === '${each.key}' ? '*' : rest;
}

/** The names a per-key resource holds, from the model (the same `<name>-<n>` keys Terraform evaluates). */
function keysOf(topology: ClusterTopology, role: string): string[] {
  if (role === 'edge') return Array.from({ length: topology.cluster.edge?.count ?? 0 }, (_, i) => `edge-${i + 1}`);
  return topology.pools.find((p) => p.name === role)?.agents.map((a) => a.name) ?? [];
}

/** Resources whose arguments read `type.name` (e.g. its id), as `[type, name, args]`. */
function dependentsOf(resources: StackResources, type: string, name: string): Array<[string, string, Record<string, any>]> {
  const pattern = new RegExp(`(?<![\\w-])${type}\\.${name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}(?![\\w-])`);
  const found: Array<[string, string, Record<string, any>]> = [];
  for (const [otherType, blocks] of Object.entries(resources)) {
    for (const [otherName, args] of Object.entries(blocks)) {
      if (otherType === type && otherName === name) continue;
      if (pattern.test(JSON.stringify(args))) found.push([otherType, otherName, args]);
    }
  }
  return found;
}

const keyed = (address: string, key: string) => `${address}[${JSON.stringify(key)}]`;

/**
 * Every server of the stack that Terraform manages one by one and whose image, user data and
 * size it ignores after creation: quorum servers, volume-backed agents, plain agents and edge
 * servers outside Auto Scaling groups (OpenStack), the bastion.
 */
export function rollableServers(topology: ClusterTopology, resources: StackResources): RollServer[] {
  const cluster = topology.cluster.name;
  const servers: RollServer[] = [];
  for (const [type, kind] of Object.entries(INSTANCE_TYPES)) {
    for (const [resourceName, args] of Object.entries(resources[type] ?? {})) {
      const name = nodeName(cluster, kind.name(args));
      const labels = kind.labels(args) ?? {};
      const roleTag = String(labels.role ?? '');
      if (name === undefined) continue;
      const agent = roleTag === 'mesos-agent';
      const role = agent ? String(labels.pool ?? '') : (SELECTOR_OF_ROLE_TAG[roleTag] ?? roleTag);
      const address = `${type}.${resourceName}`;
      const desired = Object.fromEntries(Object.entries(kind.ignoredDrift(args)).filter((e): e is [string, string] => typeof e[1] === 'string'));
      const dependents = dependentsOf(resources, type, resourceName);
      const names = name === '*' ? keysOf(topology, role) : [name];
      for (const node of names) {
        const own = name === '*' ? keyed(address, node) : address;
        // A per-key dependent (the agent's attachment, its alarms) is targeted at the same key.
        const targets = [own, ...dependents.map(([t, n, a]) => (name === '*' && a.for_each !== undefined ? keyed(`${t}.${n}`, node) : `${t}.${n}`))];
        servers.push({ name: node, role, quorums: QUORUMS_OF_ROLE_TAG[roleTag] ?? [], agent, address: own, targets, desired });
      }
    }
  }
  return servers;
}

/** The stack's Auto Scaling groups (AWS pools without volumes, the edge): rolled by instance refresh. */
export function autoScaledGroups(topology: ClusterTopology, resources: StackResources): AutoScaledGroup[] {
  return Object.entries(resources.aws_autoscaling_group ?? {}).flatMap(([resourceName, args]) => {
    const tags = new Map((args.tag as Array<{ key: string; value: string }> | undefined)?.map((t) => [t.key, t.value]) ?? []);
    if (tags.get('cluster') !== topology.cluster.name || typeof args.name !== 'string') return [];
    const role = tags.get('role') === 'mesos-agent' ? (tags.get('pool') ?? '') : (tags.get('role') ?? '');
    return [{ role, address: `aws_autoscaling_group.${resourceName}`, groupName: args.name }];
  });
}
