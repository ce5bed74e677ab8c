import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Construct } from 'constructs';
import { ClusterTopology } from '../model';
import { resourceTags, subnetTags } from './tags';

export interface AwsNetworkProps {
  readonly topology: ClusterTopology;
}

/**
 * VPC with three subnets per zone (public, control, agents) as carved by the model.
 * Only the public subnets route to the internet gateway; the others leave through one NAT gateway.
 */
export class AwsNetwork extends Construct {
  readonly vpc: Vpc;
  /** Subnets by zone name. */
  readonly publicSubnets = new Map<string, Subnet>();
  readonly controlSubnets = new Map<string, Subnet>();
  readonly agentSubnets = new Map<string, Subnet>();

  constructor(scope: Construct, id: string, props: AwsNetworkProps) {
    super(scope, id);
    const { cluster, zones } = props.topology;
    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: cluster.network.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: resourceTags(cluster, 'vpc'),
    });
    const internetGateway = new InternetGateway(this, 'internet-gateway', {
      vpcId: this.vpc.id,
      tags: resourceTags(cluster, 'igw'),
    });
    const publicRoutes = new RouteTable(this, 'public-routes', {
      vpcId: this.vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', gatewayId: internetGateway.id }],
      tags: resourceTags(cluster, 'public'),
    });

    for (const zone of zones) {
      const subnet = (tier: string, cidr: string, isPublic: boolean) =>
        new Subnet(this, `${tier}-${zone.zone}`, {
          vpcId: this.vpc.id,
          availabilityZone: zone.zone,
          cidrBlock: cidr,
          mapPublicIpOnLaunch: false,
          tags: subnetTags(cluster, `${tier}-${zone.zone}`, tier, isPublic),
        });
      this.publicSubnets.set(zone.zone, subnet('public', zone.publicCidr, true));
      this.controlSubnets.set(zone.zone, subnet('control', zone.controlCidr, false));
      this.agentSubnets.set(zone.zone, subnet('agents', zone.agentCidr, false));
    }

    // One NAT gateway in the first zone: private nodes only need it for outbound packages and images.
    const firstZone = zones[0].zone;
    const natAddress = new Eip(this, 'nat-address', { domain: 'vpc', tags: resourceTags(cluster, 'nat') });
    const nat = new NatGateway(this, 'nat-gateway', {
      allocationId: natAddress.allocationId,
      subnetId: this.publicSubnets.get(firstZone)!.id,
      tags: resourceTags(cluster, 'nat'),
      dependsOn: [internetGateway],
    });
    const privateRoutes = new RouteTable(this, 'private-routes', {
      vpcId: this.vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],
      tags: resourceTags(cluster, 'private'),
    });

    for (const zone of zones) {
      const associate = (tier: string, subnet: Subnet, table: RouteTable) =>
        new RouteTableAssociation(this, `${tier}-${zone.zone}-routes`, { subnetId: subnet.id, routeTableId: table.id });
      associate('public', this.publicSubnets.get(zone.zone)!, publicRoutes);
      associate('control', this.controlSubnets.get(zone.zone)!, privateRoutes);
      associate('agents', this.agentSubnets.get(zone.zone)!, privateRoutes);
    }
  }
}
