import { InstanceMetadataOptions } from '@cdktf/provider-aws/lib/instance';

/** IMDSv2 only, one hop: containers on the host cannot reach the metadata service. */
export const IMDS_V2_ONLY: InstanceMetadataOptions = {
  httpEndpoint: 'enabled',
  httpTokens: 'required',
  httpPutResponseHopLimit: 1,
};

/**
 * Fields Terraform must not act on after creation: a new image or user-data would otherwise
 * replace every server at once (a lesson from production). Roll them deliberately instead.
 */
export const IGNORE_IMAGE_AND_USER_DATA = ['ami', 'user_data'];

export const ROOT_VOLUME_TYPE = 'gp3';
export const DATA_VOLUME_TYPE = 'gp3';
/** Where the data volume is attached; Nitro instances show it as an NVMe device the agent finds by id. */
export const DATA_VOLUME_DEVICE = '/dev/sdf';
