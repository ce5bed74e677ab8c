import { clusterSecretsPath, NodeIdentity, ResolvedPool, ServerRole, SERVICES_OF } from '../model';
import { agentHealthNamespace } from '../cloud-init/agent-health-files';
import { poolUsageNamespace } from '../cloud-init/pool-usage-files';
import { agentLifecycleStatements, IamStatement } from './agent-lifecycle-statements';
import { AwsAccount } from './aws-account';

/** One IAM policy statement, in IAM's own JSON shape: on Resource, or on all but NotResource. */
export type PolicyStatement = IamStatement | (Omit<IamStatement, 'Resource'> & { readonly NotResource: readonly string[] });

/** What a source of statements is told about the node identity it writes for. */
export interface NodePolicyContext {
  readonly clusterName: string;
  /** The cluster's pools, to find the one a pool identity belongs to. */
  readonly pools: readonly ResolvedPool[];
  /** Whether the nodes get Session Manager (`aws.sessionManager`). */
  readonly sessionManager: boolean;
  readonly region: string;
  readonly identity: NodeIdentity;
  /** The stack's partition and account (aws-account.ts): every ARN names them. */
  readonly account: AwsAccount;
}

/** The parameters' ARNs, in the stack's own partition and account. */
export function secretParameterArns({ clusterName, region, identity, account }: NodePolicyContext): string[] {
  const { partition, accountId } = account;
  return identity.secrets.map((name) => `arn:${partition}:ssm:${region}:${accountId}:parameter${clusterSecretsPath(clusterName)}/${name}`);
}

/**
 * Read exactly the node's own secrets, and decrypt them only through SSM and only for those
 * parameters (SSM names the parameter in the KMS encryption context), whichever key the
 * operator chose for them.
 */
export function readOwnSecrets(context: NodePolicyContext): PolicyStatement[] {
  const parameters = secretParameterArns(context);
  if (parameters.length === 0) return [];
  return [
    { Sid: 'ReadOwnSecrets', Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: parameters },
    {
      Sid: 'DecryptOwnSecrets',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: [`arn:${context.account.partition}:kms:${context.region}:${context.account.accountId}:key/*`],
      Condition: {
        StringEquals: { 'kms:ViaService': `ssm.${context.region}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:PARAMETER_ARN': parameters },
      },
    },
  ];
}

/** The pool whose agents hold this identity, if it is a pool's. */
function poolOf({ pools, identity }: NodePolicyContext): ResolvedPool | undefined {
  return identity.kind === 'pool' ? pools.find((p) => p.name === identity.of) : undefined;
}

/** Agents of auto-scaled pools complete their own group's termination hook. */
export function autoScaledAgentLifecycle(context: NodePolicyContext): PolicyStatement[] {
  const { clusterName, region, account } = context;
  const pool = poolOf(context);
  if (pool === undefined || pool.volume !== undefined) return [];
  return agentLifecycleStatements({ clusterName, poolName: pool.name, region, ...account });
}

/**
 * Agents of volume-backed pools publish their health (cloud-init/scripts/agent-health.sh) into
 * their cluster's CloudWatch namespace and no other. PutMetricData has no resource to scope, so
 * the namespace condition is the scope (IAM's `cloudwatch:namespace` key).
 */
export function volumeAgentPublishesHealth(context: NodePolicyContext): PolicyStatement[] {
  const pool = poolOf(context);
  if (pool?.volume === undefined) return [];
  return [
    {
      Sid: 'AgentPublishesItsHealth',
      Effect: 'Allow',
      Action: ['cloudwatch:PutMetricData'],
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': agentHealthNamespace(context.clusterName) } },
    },
  ];
}

/**
 * Masters of a cluster with elastic pools publish the pools' CPU share (cloud-init/scripts/
 * pool-usage.sh) into the cluster's namespace and no other; as for agent health, the namespace
 * condition is the only scope PutMetricData has.
 */
export function masterPublishesPoolUsage(context: NodePolicyContext): PolicyStatement[] {
  const { clusterName, pools, identity } = context;
  const runsMaster = identity.kind === 'server' && SERVICES_OF[identity.of as ServerRole]?.includes('mesos-master');
  if (!runsMaster || !pools.some((pool) => pool.autoscale !== undefined)) return [];
  return [
    {
      Sid: 'MasterPublishesPoolUsage',
      Effect: 'Allow',
      Action: ['cloudwatch:PutMetricData'],
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': poolUsageNamespace(clusterName) } },
    },
  ];
}

/**
 * With aws.sessionManager the nodes get AWS's AmazonSSMManagedInstanceCore (session-manager.ts),
 * which allows ssm:GetParameter and ssm:GetParameters on every parameter of the account: any
 * node could then read the others' secrets. An explicit deny of every parameter but the node's
 * own keeps readOwnSecrets the only way in; Session Manager itself reads no parameter.
 */
export function sessionManagerKeepsSecretsOwn(context: NodePolicyContext): PolicyStatement[] {
  if (!context.sessionManager) return [];
  const own = secretParameterArns(context);
  const scope = own.length > 0 ? { NotResource: own } : { Resource: '*' };
  return [{ Sid: 'NoOtherParameters', Effect: 'Deny', Action: ['ssm:GetParameter', 'ssm:GetParameters'], ...scope }];
}

/**
 * Every source of a node's statements, one function per concern; each returns [] for
 * identities it does not concern. Actions are always named: the policy rules refuse `*`.
 */
export const NODE_POLICY_SOURCES: readonly ((context: NodePolicyContext) => PolicyStatement[])[] = [
  readOwnSecrets,
  autoScaledAgentLifecycle,
  volumeAgentPublishesHealth,
  masterPublishesPoolUsage,
  sessionManagerKeepsSecretsOwn,
];

export function nodePolicyStatements(context: NodePolicyContext): PolicyStatement[] {
  return NODE_POLICY_SOURCES.flatMap((source) => source(context));
}
