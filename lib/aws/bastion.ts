import { Instance } from '@cdktf/provider-aws/lib/instance';
import { Construct } from 'constructs';
import { ResolvedCluster } from '../model';
import { serverInstance } from './server-instance';
import { nodeTags } from './tags';

export interface BastionProps {
  readonly cluster: ResolvedCluster;
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
      image: props.cluster.image,
      instanceType: props.cluster.bastion.size,
      subnetId: props.subnetId,
      publicIp: true,
      securityGroupIds: [props.securityGroupId],
      keyName: props.keyName,
      userData: props.userData,
      rootVolumeGiB: props.cluster.bastion.rootVolumeGiB,
      instanceProfileName: props.instanceProfileName,
      tags: nodeTags(props.cluster, 'bastion', 'bastion'),
    });
  }
}
