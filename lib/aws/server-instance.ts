import { Instance } from '@cdktf/provider-aws/lib/instance';
import { ITerraformIterator } from 'cdktf';
import { Construct } from 'constructs';
import { IGNORE_AFTER_CREATION, IMDS_V2_ONLY, ROOT_VOLUME_TYPE } from './instance-defaults';
import { encodeUserData } from './user-data';

export interface ServerInstanceProps {
  readonly image: string;
  readonly instanceType: string;
  readonly subnetId: string;
  readonly securityGroupIds: string[];
  readonly keyName: string;
  /** The cloud-config document, plain text. */
  readonly userData: string;
  readonly rootVolumeGiB: number;
  readonly tags: Record<string, string>;
  /** A fixed private address. @default - assigned by the subnet */
  readonly privateIp?: string;
  /** @default false */
  readonly publicIp?: boolean;
  /** Instance tags readable through the metadata service. @default false */
  readonly metadataTags?: boolean;
  /** One instance per key, the other props read from the iterator. @default - a single instance */
  readonly forEach?: ITerraformIterator;
  /** The node identity's instance profile. @default - none */
  readonly instanceProfileName?: string;
}

/**
 * Every individually managed instance the same way: IMDSv2 only, an encrypted root volume
 * tagged like the instance, and no stop or replacement when the image, user-data or size changes.
 */
export function serverInstance(scope: Construct, id: string, props: ServerInstanceProps): Instance {
  return new Instance(scope, id, {
    forEach: props.forEach,
    ami: props.image,
    instanceType: props.instanceType,
    subnetId: props.subnetId,
    privateIp: props.privateIp,
    associatePublicIpAddress: props.publicIp,
    vpcSecurityGroupIds: props.securityGroupIds,
    keyName: props.keyName,
    iamInstanceProfile: props.instanceProfileName,
    // Compressed: EC2's 16 KiB limit counts the raw bytes (user-data.ts).
    userDataBase64: encodeUserData(props.userData),
    metadataOptions: props.metadataTags ? { ...IMDS_V2_ONLY, instanceMetadataTags: 'enabled' } : IMDS_V2_ONLY,
    // Root volume tags only: volume_tags would also claim attached data volumes and never settle.
    rootBlockDevice: { encrypted: true, volumeType: ROOT_VOLUME_TYPE, volumeSize: props.rootVolumeGiB, tags: props.tags },
    tags: props.tags,
    lifecycle: { ignoreChanges: IGNORE_AFTER_CREATION },
  });
}
