import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { AgentPoolTopology, ClusterLabels, firewallOn, FirewallGroup, PLAIN_UIS, PORTS, poolTaskGroup, poolTaskPortRules, uiEndpoints, UiTls } from '../model';
import { resourceTags } from './tags';

export interface ClusterSecurityGroupsProps {
  /** The cluster's name and tags, for the names and tags of its resources. */
  readonly cluster: ClusterLabels;
  /** Admitted to the admin ports (`network.adminCidrs`). */
  readonly adminCidrs: readonly string[];
  /** Admitted to the edge's HTTPS listener (`edge.cidrs`). @default [] */
  readonly edgeCidrs?: readonly string[];
  readonly vpcId: string;
  /** The agent pools: each gets a group of its own for the task-port rules between pools. */
  readonly pools: readonly AgentPoolTopology[];
  /** The cluster's `tls`: with `marathon`, Marathon's API port is its HTTPS one; with `mesos`, the load balancer gets no rule to the masters. @default none */
  readonly tls?: UiTls;
}

/**
 * One security group per firewall group of the model, with one rule resource per model rule:
 * rules have their own addresses, so adding one never rewrites another.
 */
export class ClusterSecurityGroups extends Construct {
  private readonly groups = new Map<FirewallGroup, SecurityGroup>();
  private readonly poolGroups = new Map<string, SecurityGroup>();

  constructor(scope: Construct, id: string, props: ClusterSecurityGroupsProps) {
    super(scope, id);
    const { cluster, vpcId } = props;
    const { groups: FIREWALL_GROUPS, rules: FIREWALL_RULES } = firewallOn('aws', props.tls ?? PLAIN_UIS);
    for (const group of FIREWALL_GROUPS) {
      this.groups.set(
        group,
        new SecurityGroup(this, group, {
          name: `${cluster.name}-${group}`,
          description: `${cluster.name} ${group}`,
          vpcId,
          tags: resourceTags(cluster, group),
        }),
      );
    }

    for (const rule of FIREWALL_RULES) {
      const common = {
        securityGroupId: this.group(rule.to).id,
        ipProtocol: 'tcp',
        fromPort: rule.fromPort,
        toPort: rule.toPort,
        description: rule.description,
      };
      if (rule.from === 'admin' || rule.from === 'edge-clients') {
        for (const cidr of rule.from === 'admin' ? props.adminCidrs : (props.edgeCidrs ?? [])) {
          new VpcSecurityGroupIngressRule(this, `${rule.to}-${rule.name}-${cidrId(cidr)}`, { ...common, cidrIpv4: cidr });
        }
      } else {
        new VpcSecurityGroupIngressRule(this, `${rule.to}-${rule.name}`, {
          ...common,
          referencedSecurityGroupId: this.group(rule.from).id,
        });
      }
    }

    // Each pool's own group, and the task ports pools may reach of each other (pool-task-ports.ts).
    for (const pool of props.pools) {
      const name = poolTaskGroup(pool.name);
      this.poolGroups.set(
        pool.name,
        new SecurityGroup(this, name, {
          name: `${cluster.name}-${name}`,
          description: `${cluster.name} ${pool.name} agents: task ports between pools`,
          vpcId,
          tags: resourceTags(cluster, name),
        }),
      );
    }
    for (const rule of poolTaskPortRules(props.pools)) {
      new VpcSecurityGroupIngressRule(this, `${poolTaskGroup(rule.toPool)}-${rule.name}`, {
        securityGroupId: this.poolGroup(rule.toPool).id,
        ipProtocol: 'tcp',
        fromPort: rule.port,
        toPort: rule.port,
        referencedSecurityGroupId: this.poolGroup(rule.fromPool).id,
        description: rule.description,
      });
    }

    // The load balancer's groups get only the egress their targets need; the redirect listener has none.
    for (const group of FIREWALL_GROUPS.filter((g) => g !== 'load-balancer' && g !== 'edge-listener' && g !== 'ui-redirect')) {
      new VpcSecurityGroupEgressRule(this, `${group}-egress`, {
        securityGroupId: this.group(group).id,
        ipProtocol: '-1',
        cidrIpv4: '0.0.0.0/0',
        description: 'Outbound: packages, container images and cloud APIs (private nodes through NAT)',
      });
    }
    // The load balancer may only reach the UIs it fronts.
    for (const ui of uiEndpoints(props.tls ?? PLAIN_UIS)) {
      new VpcSecurityGroupEgressRule(this, `load-balancer-to-${ui.service}`, {
        securityGroupId: this.group('load-balancer').id,
        ipProtocol: 'tcp',
        fromPort: ui.targetPort,
        toPort: ui.targetPort,
        referencedSecurityGroupId: this.group(ui.service).id,
        description: `Load balancer to the ${ui.description}`,
      });
    }
    new VpcSecurityGroupEgressRule(this, 'edge-listener-to-edge', {
      securityGroupId: this.group('edge-listener').id,
      ipProtocol: 'tcp',
      fromPort: PORTS.edgeHttp,
      toPort: PORTS.edgeHttp,
      referencedSecurityGroupId: this.group('edge').id,
      description: 'Load balancer to the edge nginx',
    });
  }

  group(name: FirewallGroup): SecurityGroup {
    const group = this.groups.get(name);
    if (!group) throw new Error(`no security group ${name}`);
    return group;
  }

  /** A pool's own group (its task-port rules). */
  poolGroup(pool: string): SecurityGroup {
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

/** `198.51.100.0/24` -> `198-51-100-0-24`, a stable id part. */
function cidrId(cidr: string): string {
  return cidr.replace(/[./]/g, '-');
}
