import { Construct } from 'constructs';
import { AgentPoolTopology, ClusterLabels, firewallOn, FirewallGroup, FirewallRule, PLAIN_UIS, PORTS, poolTaskGroup, poolTaskPortRules, uiEndpoints, UiTls } from '../model';
import { NetworkingSecgroupRuleV2 } from './generated/providers/openstack/networking-secgroup-rule-v2';
import { NetworkingSecgroupV2 } from './generated/providers/openstack/networking-secgroup-v2';

/** The load balancer's groups: they get only the egress their listeners' members need (the redirect's: none). */
const LOAD_BALANCER_GROUPS: readonly FirewallGroup[] = ['load-balancer', 'edge-listener', 'edge-redirect'];

export interface OpenstackSecurityGroupsProps {
  /** The cluster's name and tags, for the names and metadata of its resources. */
  readonly cluster: ClusterLabels;
  /** Admitted to the admin ports (`network.adminCidrs`). */
  readonly adminCidrs: readonly string[];
  /** Admitted to the edge's HTTPS listener (`edge.cidrs`). @default [] */
  readonly edgeCidrs?: readonly string[];
  /** The agent pools: each gets a group of its own for the task-port rules between pools. */
  readonly pools: readonly AgentPoolTopology[];
  /** The cluster's `tls`: with `marathon`, Marathon's API port is its HTTPS one; with `mesos`, the load balancer gets no rule to the masters. @default none */
  readonly tls?: UiTls;
}

/**
 * One security group per firewall group the model builds on OpenStack and one rule resource
 * per model rule (and per CIDR of a rule from CIDRs), as on AWS. Neutron's default rules are deleted so that every rule is one of ours, described.
 */
export class OpenstackSecurityGroups extends Construct {
  private readonly groups = new Map<FirewallGroup, NetworkingSecgroupV2>();
  private readonly poolGroups = new Map<string, NetworkingSecgroupV2>();

  constructor(scope: Construct, id: string, props: OpenstackSecurityGroupsProps) {
    super(scope, id);
    const { cluster } = props;
    const { groups: GROUPS, rules: RULES } = firewallOn('openstack', props.tls ?? PLAIN_UIS);
    for (const group of GROUPS) {
      this.groups.set(
        group,
        new NetworkingSecgroupV2(this, group, {
          name: `${cluster.name}-${group}`,
          description: `${cluster.name} ${group}`,
          deleteDefaultRules: true,
        }),
      );
    }
    for (const rule of RULES) {
      for (const [suffix, source] of sources(rule, props.adminCidrs, props.edgeCidrs ?? [])) {
        new NetworkingSecgroupRuleV2(this, `${rule.to}-${rule.name}${suffix}`, {
          ...tcp(this.group(rule.to).id, 'ingress', rule.fromPort, rule.toPort, rule.description),
          ...(source === undefined ? { remoteGroupId: this.group(rule.from as FirewallGroup).id } : { remoteIpPrefix: source }),
        });
      }
    }
    // Each pool's own group, and the task ports pools may reach of each other (pool-task-ports.ts).
    // No egress of its own: the agents' shared mesos-agent group already allows theirs.
    for (const pool of props.pools) {
      const name = poolTaskGroup(pool.name);
      this.poolGroups.set(
        pool.name,
        new NetworkingSecgroupV2(this, name, {
          name: `${cluster.name}-${name}`,
          description: `${cluster.name} ${pool.name} agents: task ports between pools`,
          deleteDefaultRules: true,
        }),
      );
    }
    for (const rule of poolTaskPortRules(props.pools)) {
      new NetworkingSecgroupRuleV2(this, `${poolTaskGroup(rule.toPool)}-${rule.name}`, {
        ...tcp(this.poolGroup(rule.toPool).id, 'ingress', rule.port, rule.port, rule.description),
        remoteGroupId: this.poolGroup(rule.fromPool).id,
      });
    }
    for (const group of GROUPS.filter((g) => !LOAD_BALANCER_GROUPS.includes(g))) {
      new NetworkingSecgroupRuleV2(this, `${group}-egress`, {
        securityGroupId: this.group(group).id,
        direction: 'egress',
        ethertype: 'IPv4',
        remoteIpPrefix: '0.0.0.0/0',
        description: 'Outbound: packages, container images and cloud APIs (through the router)',
      });
    }
    // The load balancer's VIP port may only reach the UIs it fronts.
    for (const ui of uiEndpoints(props.tls ?? PLAIN_UIS)) {
      new NetworkingSecgroupRuleV2(this, `load-balancer-to-${ui.service}`, {
        ...tcp(this.group('load-balancer').id, 'egress', ui.targetPort, ui.targetPort, `Load balancer to the ${ui.description}`),
        remoteGroupId: this.group(ui.service).id,
      });
    }
    new NetworkingSecgroupRuleV2(this, 'edge-listener-to-edge', {
      ...tcp(this.group('edge-listener').id, 'egress', PORTS.edgeHttp, PORTS.edgeHttp, 'Load balancer to the edge nginx'),
      remoteGroupId: this.group('edge').id,
    });
  }

  group(name: FirewallGroup): NetworkingSecgroupV2 {
    const group = this.groups.get(name);
    if (!group) throw new Error(`no security group ${name}`);
    return group;
  }

  /** A pool's own group (its task-port rules). */
  poolGroup(pool: string): NetworkingSecgroupV2 {
    const group = this.poolGroups.get(pool);
    if (!group) throw new Error(`no security group for pool ${pool}`);
    return group;
  }

  /** The groups of a pool's agents: every agent's, and the pool's own. */
  idsForPool(pool: string): string[] {
    return [this.group('mesos-agent').id, this.poolGroup(pool).id];
  }

  /** The groups of a server running these services. */
  idsFor(...names: FirewallGroup[]): string[] {
    return names.map((n) => this.group(n).id);
  }
}

function tcp(securityGroupId: string, direction: 'ingress' | 'egress', from: number, to: number, description: string) {
  return { securityGroupId, direction, ethertype: 'IPv4', protocol: 'tcp', portRangeMin: from, portRangeMax: to, description };
}

/** [id suffix, CIDR] per source of a rule; CIDR undefined means the rule's source group. */
function sources(rule: FirewallRule, adminCidrs: readonly string[], edgeCidrs: readonly string[]): [string, string | undefined][] {
  if (rule.from === 'admin' || rule.from === 'edge-clients') {
    return (rule.from === 'admin' ? adminCidrs : edgeCidrs).map((cidr) => [`-${cidrId(cidr)}`, cidr]);
  }
  return [['', undefined]];
}

/** `198.51.100.0/24` -> `198-51-100-0-24`, a stable id part. */
function cidrId(cidr: string): string {
  return cidr.replace(/[./]/g, '-');
}
