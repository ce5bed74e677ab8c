import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { Construct } from 'constructs';
import { ClusterLabels, NatGatewayMode, ZoneSubnets } from '../model';
import { resourceTags, subnetTags } from './tags';

export interface AwsNetworkProps {
  /** The cluster's name and tags, for the names and tags of its resources. */
  readonly cluster: ClusterLabels;
  /** The VPC's CIDR (`network.cidr`). */
  readonly cidr: string;
  /** Each zone's subnets, as the model carves them. */
  readonly zones: readonly ZoneSubnets[];
  /** One NAT gateway or one per zone (`aws.natGateways`). */
  readonly natGateways: NatGatewayMode;
  /** The region, for the S3 endpoint's service name. */
  readonly region: string;
}

/**
 * VPC with three subnets per zone (public, control, agents) as carved by the model.
 * Only the public subnets route to the internet gateway; the others leave through their zone's
 * route table to a NAT gateway (one, or one per zone), and reach S3 through a gateway endpoint.
 */
export class AwsNetwork extends Construct {
  readonly vpc: Vpc;
  /** Subnets by zone name. */
  readonly publicSubnets = new Map<string, Subnet>();
  readonly controlSubnets = new Map<string, Subnet>();
  readonly agentSubnets = new Map<string, Subnet>();

  constructor(scope: Construct, id: string, props: AwsNetworkProps) {
    super(scope, id);
    const { cluster, zones } = props;
    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.cidr,
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

    // Outbound traffic of the private subnets: a NAT gateway in every zone, or only in the first
    // (aws.natGateways). Each zone has its own route table either way, so switching to per-zone
    // adds gateways and changes routes without moving any subnet.
    const natZones = props.natGateways === 'per-zone' ? zones : zones.slice(0, 1);
    const natGateways = new Map(
      natZones.map((zone) => {
        const address = new Eip(this, `nat-address-${zone.zone}`, { domain: 'vpc', tags: resourceTags(cluster, `nat-${zone.zone}`) });
        const gateway = new NatGateway(this, `nat-gateway-${zone.zone}`, {
          allocationId: address.allocationId,
          subnetId: this.publicSubnets.get(zone.zone)!.id,
          tags: resourceTags(cluster, `nat-${zone.zone}`),
          dependsOn: [internetGateway],
        });
        return [zone.zone, gateway] as const;
      }),
    );
    const privateRoutes = new Map(
      zones.map((zone) => {
        const nat = natGateways.get(zone.zone) ?? natGateways.get(zones[0].zone)!;
        const table = new RouteTable(this, `private-routes-${zone.zone}`, {
          vpcId: this.vpc.id,
          route: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],
          tags: resourceTags(cluster, `private-${zone.zone}`),
        });
        return [zone.zone, table] as const;
      }),
    );
    // Image layers, packages and backups from S3 travel inside the VPC, not through a NAT gateway.
    new VpcEndpoint(this, 's3-endpoint', {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: [...privateRoutes.values()].map((table) => table.id),
      tags: resourceTags(cluster, 's3'),
    });

    for (const zone of zones) {
      const associate = (tier: string, subnet: Subnet, table: RouteTable) =>
        new RouteTableAssociation(this, `${tier}-${zone.zone}-routes`, { subnetId: subnet.id, routeTableId: table.id });
      associate('public', this.publicSubnets.get(zone.zone)!, publicRoutes);
      associate('control', this.controlSubnets.get(zone.zone)!, privateRoutes.get(zone.zone)!);
      associate('agents', this.agentSubnets.get(zone.zone)!, privateRoutes.get(zone.zone)!);
    }
  }
}
