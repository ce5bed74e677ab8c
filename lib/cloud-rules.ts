import { awsClusterRules } from './aws/cluster-rules';
import { CloudRulesByCloud } from './model';
import { openstackClusterRules } from './openstack/cluster-rules';

/**
 * The rules of every cloud whose stack is built, handed to loading. A cloud missing here is
 * refused as "not built yet". Imports no stack, so validating never loads cdktf.
 */
export const CLOUD_RULES: CloudRulesByCloud = {
  aws: awsClusterRules,
  openstack: openstackClusterRules,
};
