import { Instance } from '@cdktf/provider-aws/lib/instance';
import { Construct } from 'constructs';
import { IGNORE_IMAGE_AND_USER_DATA, IMDS_V2_ONLY, ROOT_VOLUME_TYPE } from './instance-defaults';

export interface ServerInstanceProps {
  readonly image: string;
  readonly instanceType: string;
  readonly subnetId: string;
  readonly securityGroupIds: string[];
  readonly keyName: string;
  /** Already escaped for Terraform. */
  readonly userData: string;
  readonly rootVolumeGiB: number;
  readonly tags: Record<string, string>;
  /** A fixed private address. @default - assigned by the subnet */
  readonly privateIp?: string;
  /** @default false */
  readonly publicIp?: boolean;
}

/**
 * Every individually managed instance the same way: IMDSv2 only, an encrypted root volume
 * tagged like the instance, and no replacement when the image or user-data changes.
 */
export function serverInstance(scope: Construct, id: string, props: ServerInstanceProps): Instance {
  return new Instance(scope, id, {
    ami: props.image,
    instanceType: props.instanceType,
    subnetId: props.subnetId,
    privateIp: props.privateIp,
    associatePublicIpAddress: props.publicIp,
    vpcSecurityGroupIds: props.securityGroupIds,
    keyName: props.keyName,
    userData: props.userData,
    metadataOptions: IMDS_V2_ONLY,
    // Root volume tags only: volume_tags would also claim attached data volumes and never settle.
    rootBlockDevice: { encrypted: true, volumeType: ROOT_VOLUME_TYPE, volumeSize: props.rootVolumeGiB, tags: props.tags },
    tags: props.tags,
    lifecycle: { ignoreChanges: IGNORE_IMAGE_AND_USER_DATA },
  });
}
