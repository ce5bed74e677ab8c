import { Instance } from '@cdktf/provider-aws/lib/instance';
import { Construct } from 'constructs';
import { ResolvedCluster } from '../model';
import { IGNORE_IMAGE_AND_USER_DATA, IMDS_V2_ONLY, ROOT_VOLUME_TYPE } from './instance-defaults';
import { nodeTags } from './tags';

export interface BastionProps {
  readonly cluster: ResolvedCluster;
  readonly subnetId: string;
  readonly securityGroupId: string;
  readonly keyName: string;
  /** Already escaped for Terraform. */
  readonly userData: string;
}

/** The only SSH entry: a small host in a public subnet, reachable from the admin CIDRs only. */
export class Bastion extends Construct {
  readonly instance: Instance;

  constructor(scope: Construct, id: string, props: BastionProps) {
    super(scope, id);
    const { cluster } = props;
    this.instance = new Instance(this, 'instance', {
      ami: cluster.image,
      instanceType: cluster.bastion.size,
      subnetId: props.subnetId,
      associatePublicIpAddress: true,
      vpcSecurityGroupIds: [props.securityGroupId],
      keyName: props.keyName,
      userData: props.userData,
      metadataOptions: IMDS_V2_ONLY,
      rootBlockDevice: { encrypted: true, volumeType: ROOT_VOLUME_TYPE, volumeSize: 10, tags: nodeTags(cluster, 'bastion', 'bastion') },
      tags: nodeTags(cluster, 'bastion', 'bastion'),
      lifecycle: { ignoreChanges: IGNORE_IMAGE_AND_USER_DATA },
    });
  }
}
