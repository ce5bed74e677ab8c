import { Cloud } from '../../model';
import { ClusterView } from '../policy-stack';
import { TerraformJson } from '../terraform-json';
import { readAwsStack } from './aws-reader';
import { readOpenStackStack } from './openstack-reader';

/**
 * One reader per cloud turns its synthesized JSON into the neutral {@link ClusterView}; every
 * rule whose `clouds` include the stack's cloud runs on it.
 */
export const STACK_READERS: Partial<Record<Cloud, (json: TerraformJson) => ClusterView>> = {
  aws: readAwsStack,
  openstack: readOpenStackStack,
};
