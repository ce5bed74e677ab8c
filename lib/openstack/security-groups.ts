import { Construct } from 'constructs';
import { FIREWALL_GROUPS, FIREWALL_RULES, FirewallGroup, FirewallRule, ResolvedCluster, UI_ENDPOINTS } from '../model';
import { NetworkingSecgroupRuleV2 } from './generated/providers/openstack/networking-secgroup-rule-v2';
import { NetworkingSecgroupV2 } from './generated/providers/openstack/networking-secgroup-v2';

/**
 * The edge is not built on OpenStack yet (its cluster rules refuse an `edge` section), nor the
 * AWS load balancer's HTTP redirect listener: neither their groups nor their rules.
 */
const NOT_ON_OPENSTACK: ReadonlySet<string> = new Set(['edge', 'edge-listener', 'edge-clients', 'ui-redirect']);
const GROUPS = FIREWALL_GROUPS.filter((g) => !NOT_ON_OPENSTACK.has(g));
const RULES = FIREWALL_RULES.filter((r) => !NOT_ON_OPENSTACK.has(r.to) && !NOT_ON_OPENSTACK.has(r.from));

export interface OpenstackSecurityGroupsProps {
  readonly cluster: ResolvedCluster;
}

/**
 * One security group per firewall group of the model and one rule resource per model rule, as
 * on AWS. Neutron's default rules are deleted so that every rule is one of ours, described.
 */
export class OpenstackSecurityGroups extends Construct {
  private readonly groups = new Map<FirewallGroup, NetworkingSecgroupV2>();

  constructor(scope: Construct, id: string, props: OpenstackSecurityGroupsProps) {
    super(scope, id);
    const { cluster } = props;
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
      for (const [suffix, source] of sources(rule, cluster.network.adminCidrs)) {
        new NetworkingSecgroupRuleV2(this, `${rule.to}-${rule.name}${suffix}`, {
          ...tcp(this.group(rule.to).id, 'ingress', rule.fromPort, rule.toPort, rule.description),
          ...(source === undefined ? { remoteGroupId: this.group(rule.from as FirewallGroup).id } : { remoteIpPrefix: source }),
        });
      }
    }
    for (const group of GROUPS.filter((g) => g !== 'load-balancer')) {
      new NetworkingSecgroupRuleV2(this, `${group}-egress`, {
        securityGroupId: this.group(group).id,
        direction: 'egress',
        ethertype: 'IPv4',
        remoteIpPrefix: '0.0.0.0/0',
        description: 'Outbound: packages, container images and cloud APIs (through the router)',
      });
    }
    // The load balancer's VIP port may only reach the UIs it fronts.
    for (const ui of UI_ENDPOINTS) {
      new NetworkingSecgroupRuleV2(this, `load-balancer-to-${ui.service}`, {
        ...tcp(this.group('load-balancer').id, 'egress', ui.port, ui.port, `Load balancer to the ${ui.description}`),
        remoteGroupId: this.group(ui.service).id,
      });
    }
  }

  group(name: FirewallGroup): NetworkingSecgroupV2 {
    const group = this.groups.get(name);
    if (!group) throw new Error(`no security group ${name}`);
    return group;
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
function sources(rule: FirewallRule, adminCidrs: readonly string[]): [string, string | undefined][] {
  return rule.from === 'admin' ? adminCidrs.map((cidr) => [`-${cidrId(cidr)}`, cidr]) : [['', undefined]];
}

/** `198.51.100.0/24` -> `198-51-100-0-24`, a stable id part. */
function cidrId(cidr: string): string {
  return cidr.replace(/[./]/g, '-');
}
