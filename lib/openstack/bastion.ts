import { Construct } from 'constructs';
import { ClusterLabels } from '../model';
import { ComputeInstanceV2 } from './generated/providers/openstack/compute-instance-v2';
import { NetworkingFloatingipAssociateV2 } from './generated/providers/openstack/networking-floatingip-associate-v2';
import { NetworkingFloatingipV2 } from './generated/providers/openstack/networking-floatingip-v2';
import { NetworkingPortV2 } from './generated/providers/openstack/networking-port-v2';
import { nodeMetadata } from './metadata';
import { serverInstance } from './server-instance';

export interface BastionProps {
  /** The cluster's name and tags, for the names and metadata of its resources. */
  readonly cluster: ClusterLabels;
  /** The flavor. */
  readonly size: string;
  readonly rootVolumeGiB: number;
  /** Cinder volume type of the root disks (`openstack.volumeType`). @default - the cloud's default type */
  readonly volumeType?: string;
  readonly networkId: string;
  readonly subnetId: string;
  readonly zone: string;
  readonly securityGroupId: string;
  /** The floating-IP pool. */
  readonly floatingIpPool: string;
  readonly imageId: string;
  readonly keyPair: string;
  /** The cloud-config document, plain text. */
  readonly userData: string;
}

/** The only SSH entry and the only server with a floating IP, reachable from the admin CIDRs only. */
export class Bastion extends Construct {
  readonly instance: ComputeInstanceV2;
  readonly address: NetworkingFloatingipV2;

  constructor(scope: Construct, id: string, props: BastionProps) {
    super(scope, id);
    const { cluster } = props;
    const port = new NetworkingPortV2(this, 'port', {
      name: `${cluster.name}-bastion`,
      networkId: props.networkId,
      fixedIp: [{ subnetId: props.subnetId }],
      securityGroupIds: [props.securityGroupId],
      adminStateUp: true,
      description: 'bastion',
    });
    this.instance = serverInstance(this, 'instance', {
      name: `${cluster.name}-bastion`,
      imageId: props.imageId,
      flavor: props.size,
      availabilityZone: props.zone,
      portId: port.id,
      keyPair: props.keyPair,
      userData: props.userData,
      rootVolumeGiB: props.rootVolumeGiB,
      volumeType: props.volumeType,
      metadata: nodeMetadata(cluster, 'bastion'),
    });
    this.address = new NetworkingFloatingipV2(this, 'floating-ip', { pool: props.floatingIpPool, description: `${cluster.name} bastion` });
    new NetworkingFloatingipAssociateV2(this, 'floating-ip-association', { floatingIp: this.address.address, portId: port.id });
  }
}
