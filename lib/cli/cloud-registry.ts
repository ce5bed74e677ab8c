import { awsClusterRules } from '../aws/cluster-rules';
import { CloudRulesByCloud } from '../model';
import { openstackClusterRules } from '../openstack/cluster-rules';

/**
 * The registry of clouds: the rules (the contract of lib/model/cloud-rules.ts) of every cloud
 * whose stack is built, which commands hand to loading. A cloud missing here is refused as "not
 * built yet". It sits with the commands because only they choose the clouds; it imports no stack,
 * so validating never loads cdktf.
 */
export const CLOUD_RULES: CloudRulesByCloud = {
  aws: awsClusterRules,
  openstack: openstackClusterRules,
};
