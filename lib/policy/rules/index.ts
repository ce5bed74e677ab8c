import { PolicyRule } from '../rule';
import { agentPoolsTaskPortsSeparate } from './agent-pools-task-ports-separate';
import { autoscalingOwnGroup } from './autoscaling-own-group';
import { agentMetadataGuard } from './agent-metadata-guard';
import { buildDockerAuthz } from './build-docker-authz';
import { clusterPortsInternal } from './cluster-ports-internal';
import { defaultSecurityGroupClosed } from './default-security-group-closed';
import { edgeAdminOnlyRoutes } from './edge-admin-only-routes';
import { autoscalingSizeOneOwner } from './autoscaling-size-one-owner';
import { edgeHoldsNoSecret } from './edge-holds-no-secret';
import { encryptedVolumes } from './encrypted-volumes';
import { iamArnsNameAccount } from './iam-arns-name-account';
import { iamNoWildcardActions } from './iam-no-wildcard-actions';
import { imdsV2HopLimit } from './imds-v2-hop-limit';
import { loadBalancerAccessLogs } from './load-balancer-access-logs';
import { loadBalancerDeletionProtection } from './load-balancer-deletion-protection';
import { loadBalancerHttps } from './load-balancer-https';
import { loadBalancerRestrictedTls } from './load-balancer-restricted-tls';
import { mesosQuorumMajority } from './mesos-quorum-majority';
import { noPublicIp } from './no-public-ip';
import { noSecretsInUserData } from './no-secrets-in-user-data';
import { noWorldIngress } from './no-world-ingress';
import { oneZookeeperConnectString } from './one-zookeeper-connect-string';
import { openstackListenersTls } from './openstack-listeners-tls';
import { quorumOddAndSpread } from './quorum-odd-and-spread';
import { s3BucketTlsVersionedExpiring } from './s3-bucket-tls-versioned-expiring';
import { securityGroupDescriptions } from './security-group-descriptions';
import { serviceTrustSourceConditions } from './service-trust-source-conditions';
import { vpcFlowLogs } from './vpc-flow-logs';
import { mesosAgentAclsScoped } from './mesos-agent-acls-scoped';
import { zookeeperFourLetterWords } from './zookeeper-four-letter-words';
import { zookeeperRootAclHosts } from './zookeeper-root-acl-hosts';

/** Every rule, in the order of the generated table in docs/policy-rules.md. */
export const ALL_RULES: readonly PolicyRule[] = [
  imdsV2HopLimit,
  encryptedVolumes,
  noPublicIp,
  securityGroupDescriptions,
  noWorldIngress,
  defaultSecurityGroupClosed,
  vpcFlowLogs,
  loadBalancerHttps,
  loadBalancerRestrictedTls,
  loadBalancerDeletionProtection,
  loadBalancerAccessLogs,
  s3BucketTlsVersionedExpiring,
  openstackListenersTls,
  iamNoWildcardActions,
  iamArnsNameAccount,
  autoscalingOwnGroup,
  autoscalingSizeOneOwner,
  serviceTrustSourceConditions,
  noSecretsInUserData,
  clusterPortsInternal,
  agentPoolsTaskPortsSeparate,
  quorumOddAndSpread,
  mesosQuorumMajority,
  oneZookeeperConnectString,
  edgeHoldsNoSecret,
  edgeAdminOnlyRoutes,
  agentMetadataGuard,
  buildDockerAuthz,
  mesosAgentAclsScoped,
  zookeeperFourLetterWords,
  zookeeperRootAclHosts,
];
