import { Instance } from '@cdktf/provider-aws/lib/instance';
import { Construct } from 'constructs';
import { ClusterLabels } from '../model';
import { serverInstance } from './server-instance';
import { nodeTags } from './tags';

export interface BastionProps {
  /** The cluster's name and tags, for the names and tags of its resources. */
  readonly cluster: ClusterLabels;
  /** The base image (AMI id). */
  readonly image: string;
  /** The instance type. */
  readonly size: string;
  readonly rootVolumeGiB: number;
  readonly subnetId: string;
  readonly securityGroupId: string;
  readonly keyName: string;
  /** The cloud-config document, plain text. */
  readonly userData: string;
  /** Its instance profile, given with aws.sessionManager. @default - none */
  readonly instanceProfileName?: string;
}

/** The only SSH entry: a small host in a public subnet, reachable from the admin CIDRs only. */
export class Bastion extends Construct {
  readonly instance: Instance;

  constructor(scope: Construct, id: string, props: BastionProps) {
    super(scope, id);
    this.instance = serverInstance(this, 'instance', {
      image: props.image,
      instanceType: props.size,
      subnetId: props.subnetId,
      publicIp: true,
      securityGroupIds: [props.securityGroupId],
      keyName: props.keyName,
      userData: props.userData,
      rootVolumeGiB: props.rootVolumeGiB,
      instanceProfileName: props.instanceProfileName,
      tags: nodeTags(props.cluster, 'bastion', 'bastion'),
    });
  }
}
