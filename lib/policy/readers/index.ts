import { Cloud } from '../../model';
import { ClusterView } from '../policy-stack';
import { TerraformJson } from '../terraform-json';
import { readAwsStack } from './aws-reader';

/**
 * One reader per cloud turns its synthesized JSON into the neutral {@link ClusterView}. The
 * OpenStack stack adds `openstack: readOpenStackStack` here; every rule whose `clouds` include
 * `openstack` then runs on it.
 */
export const STACK_READERS: Partial<Record<Cloud, (json: TerraformJson) => ClusterView>> = {
  aws: readAwsStack,
};
