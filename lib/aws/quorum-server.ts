import { Instance } from '@cdktf/provider-aws/lib/instance';
import { Construct } from 'constructs';
import { ClusterLabels, QuorumServer } from '../model';
import { serverInstance } from './server-instance';
import { serverTags } from './tags';

export interface QuorumServerInstanceProps {
  /** The cluster's name and tags, for the names and tags of its resources. */
  readonly cluster: ClusterLabels;
  /** The base image (AMI id). */
  readonly image: string;
  readonly server: QuorumServer;
  readonly subnetId: string;
  readonly securityGroupIds: string[];
  readonly keyName: string;
  /** The cloud-config document, plain text. */
  readonly userData: string;
  /** The instance profile of the server's role (NodeIdentityRole). */
  readonly instanceProfileName: string;
}

/**
 * One ZooKeeper, Mesos master, Marathon or control server at its fixed address. A replaced
 * server comes back at the same address, so connect strings never change.
 */
export class QuorumServerInstance extends Construct {
  readonly instance: Instance;

  constructor(scope: Construct, id: string, props: QuorumServerInstanceProps) {
    super(scope, id);
    const { cluster, server } = props;
    this.instance = serverInstance(this, 'instance', {
      image: props.image,
      instanceType: server.size,
      subnetId: props.subnetId,
      privateIp: server.privateIp,
      securityGroupIds: props.securityGroupIds,
      keyName: props.keyName,
      userData: props.userData,
      instanceProfileName: props.instanceProfileName,
      rootVolumeGiB: server.rootVolumeGiB,
      tags: serverTags(cluster, server.role, server.name, server.services),
    });
  }
}
