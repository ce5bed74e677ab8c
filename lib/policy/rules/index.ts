import { PolicyRule } from '../rule';
import { clusterPortsInternal } from './cluster-ports-internal';
import { defaultSecurityGroupClosed } from './default-security-group-closed';
import { encryptedVolumes } from './encrypted-volumes';
import { iamNoWildcardActions } from './iam-no-wildcard-actions';
import { imdsV2HopLimit } from './imds-v2-hop-limit';
import { loadBalancerAccessLogs } from './load-balancer-access-logs';
import { loadBalancerHttps } from './load-balancer-https';
import { mesosQuorumMajority } from './mesos-quorum-majority';
import { noPublicIp } from './no-public-ip';
import { noSecretsInUserData } from './no-secrets-in-user-data';
import { noWorldIngress } from './no-world-ingress';
import { oneZookeeperConnectString } from './one-zookeeper-connect-string';
import { quorumOddAndSpread } from './quorum-odd-and-spread';
import { securityGroupDescriptions } from './security-group-descriptions';
import { vpcFlowLogs } from './vpc-flow-logs';
import { mesosAgentAclsScoped } from './mesos-agent-acls-scoped';
import { zookeeperFourLetterWords } from './zookeeper-four-letter-words';
import { zookeeperRootAclHosts } from './zookeeper-root-acl-hosts';

/** Every rule, in the order the README's table lists them. */
export const ALL_RULES: readonly PolicyRule[] = [
  imdsV2HopLimit,
  encryptedVolumes,
  noPublicIp,
  securityGroupDescriptions,
  noWorldIngress,
  defaultSecurityGroupClosed,
  vpcFlowLogs,
  loadBalancerHttps,
  loadBalancerAccessLogs,
  iamNoWildcardActions,
  noSecretsInUserData,
  clusterPortsInternal,
  quorumOddAndSpread,
  mesosQuorumMajority,
  oneZookeeperConnectString,
  mesosAgentAclsScoped,
  zookeeperFourLetterWords,
  zookeeperRootAclHosts,
];
