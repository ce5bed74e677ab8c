import { Construct } from 'constructs';
import { ZoneSubnets } from '../model';
import { controlDynamicRange } from '../model/network-layout';
import { DataOpenstackNetworkingNetworkV2 } from './generated/providers/openstack/data-openstack-networking-network-v2';
import { NetworkingNetworkV2 } from './generated/providers/openstack/networking-network-v2';
import { NetworkingRouterInterfaceV2 } from './generated/providers/openstack/networking-router-interface-v2';
import { NetworkingRouterV2 } from './generated/providers/openstack/networking-router-v2';
import { NetworkingSubnetV2 } from './generated/providers/openstack/networking-subnet-v2';
import { OPENSTACK_ID } from './openstack-id';

export interface OpenstackNetworkProps {
  /** Names the network, router and subnets. */
  readonly clusterName: string;
  /** Each zone's subnets, as the model carves them. */
  readonly zones: readonly ZoneSubnets[];
  /** The external network, by name or id (UUID). */
  readonly externalNetwork: string;
  readonly dnsNameservers: readonly string[];
}

export type SubnetTier = 'public' | 'control' | 'agents';

/**
 * One cluster network with three subnets per zone (public, control, agents) carved as on AWS,
 * and a router to the external network with an interface on each. Neutron subnets are not tied
 * to a zone; the zone only names them and places the servers on them.
 */
export class OpenstackNetwork extends Construct {
  readonly network: NetworkingNetworkV2;
  readonly external: DataOpenstackNetworkingNetworkV2;
  private readonly subnets = new Map<string, NetworkingSubnetV2>();

  constructor(scope: Construct, id: string, props: OpenstackNetworkProps) {
    super(scope, id);
    const { clusterName, zones } = props;
    this.external = new DataOpenstackNetworkingNetworkV2(this, 'external', {
      ...(OPENSTACK_ID.test(props.externalNetwork) ? { networkId: props.externalNetwork } : { name: props.externalNetwork }),
      external: true,
    });
    this.network = new NetworkingNetworkV2(this, 'network', {
      name: clusterName,
      adminStateUp: true,
      description: `mesos-cluster ${clusterName}`,
    });
    const router = new NetworkingRouterV2(this, 'router', {
      name: clusterName,
      externalNetworkId: this.external.id,
      description: `mesos-cluster ${clusterName}: outbound and floating IPs`,
    });
    for (const zone of zones) {
      for (const tier of ['public', 'control', 'agents'] as const) {
        const subnet = new NetworkingSubnetV2(this, `${tier}-${zone.zone}`, {
          name: `${clusterName}-${tier}-${zone.zone}`,
          networkId: this.network.id,
          cidr: cidrOf(zone, tier),
          ipVersion: 4,
          dnsNameservers: props.dnsNameservers.length > 0 ? [...props.dnsNameservers] : undefined,
          // Control subnets hold the quorum servers' fixed addresses: DHCP and the router take
          // theirs from above them, so nothing can claim a quorum server's address first.
          allocationPool: tier === 'control' ? [controlDynamicRange(zone.controlCidr)] : undefined,
          description: `${clusterName} ${tier} subnet of zone ${zone.zone}`,
        });
        this.subnets.set(`${tier}/${zone.zone}`, subnet);
        new NetworkingRouterInterfaceV2(this, `${tier}-${zone.zone}-router`, { routerId: router.id, subnetId: subnet.id });
      }
    }
  }

  subnet(tier: SubnetTier, zone: string): NetworkingSubnetV2 {
    const subnet = this.subnets.get(`${tier}/${zone}`);
    if (subnet === undefined) throw new Error(`no ${tier} subnet in zone ${zone}`);
    return subnet;
  }
}

function cidrOf(zone: ZoneSubnets, tier: SubnetTier): string {
  return tier === 'public' ? zone.publicCidr : tier === 'control' ? zone.controlCidr : zone.agentCidr;
}
