import { InstanceMetadataOptions } from '@cdktf/provider-aws/lib/instance';
import { LaunchTemplateBlockDeviceMappings, LaunchTemplateTagSpecifications } from '@cdktf/provider-aws/lib/launch-template';

/** IMDSv2 only, one hop: containers on the host cannot reach the metadata service. */
export const IMDS_V2_ONLY: InstanceMetadataOptions = {
  httpEndpoint: 'enabled',
  httpTokens: 'required',
  httpPutResponseHopLimit: 1,
};

/**
 * Fields Terraform must not act on after creation: a new image or user-data would replace, and
 * a new size stop, every member of a quorum at once (a lesson from production). Roll them one
 * server at a time with `terraform apply -replace=<address>` instead
 * (docs/operations.md#rolling-a-change-to-servers).
 */
// user_data too: servers created before user-data was compressed (user-data.ts) keep theirs.
export const IGNORE_AFTER_CREATION = ['ami', 'user_data', 'user_data_base64', 'instance_type'];

export const ROOT_VOLUME_TYPE = 'gp3';
export const DATA_VOLUME_TYPE = 'gp3';
/** Where the data volume is attached; Nitro instances rename it to an NVMe device, so the agent finds it by size (mount-volume). */
export const DATA_VOLUME_DEVICE = '/dev/sdf';

/** A launch template's encrypted root disk, and the tags its instances and their volumes get. */
export function launchTemplateRootAndTags(
  rootDeviceName: string,
  rootVolumeGiB: number,
  tags: Record<string, string>,
): { blockDeviceMappings: LaunchTemplateBlockDeviceMappings[]; tagSpecifications: LaunchTemplateTagSpecifications[] } {
  return {
    blockDeviceMappings: [
      { deviceName: rootDeviceName, ebs: { encrypted: 'true', volumeType: ROOT_VOLUME_TYPE, volumeSize: rootVolumeGiB, deleteOnTermination: 'true' } },
    ],
    tagSpecifications: [
      { resourceType: 'instance', tags },
      { resourceType: 'volume', tags },
    ],
  };
}
