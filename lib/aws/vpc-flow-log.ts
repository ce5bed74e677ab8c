import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { AwsAccount } from './aws-account';
import { serviceTrustPolicy } from './service-trust';

export interface VpcFlowLogProps {
  /** Prefix of the role's name and the log group's path: the cluster's name. */
  readonly clusterName: string;
  readonly region: string;
  /** The account whose flow logs alone may assume the role. */
  readonly account: AwsAccount;
  readonly vpcId: string;
  /** @default 365 (a year, what CIS and checkov CKV_AWS_338 ask for) */
  readonly retentionDays?: number;
  readonly tags: Record<string, string>;
}

/** The actions the flow-logs service needs on its log group, and no others. */
export const FLOW_LOG_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams'];

/**
 * All of the VPC's traffic, accepted and rejected, to a CloudWatch Logs group through a role
 * that may only write to that group.
 */
export class VpcFlowLog extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: VpcFlowLogProps) {
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/mesos-cluster/${props.clusterName}/vpc-flow-logs`,
      retentionInDays: props.retentionDays ?? 365,
      tags: props.tags,
    });
    const role = new IamRole(this, 'role', {
      name: `${props.clusterName}-vpc-flow-logs`,
      assumeRolePolicy: serviceTrustPolicy(
        'vpc-flow-logs.amazonaws.com',
        props.account,
        `arn:${props.account.partition}:ec2:${props.region}:${props.account.accountId}:vpc-flow-log/*`,
      ),
      tags: props.tags,
    });
    new IamRolePolicy(this, 'role-policy', {
      name: 'write-flow-logs',
      role: role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: FLOW_LOG_ACTIONS, Resource: [this.logGroup.arn, `${this.logGroup.arn}:*`] }],
      }),
    });
    this.flowLog = new FlowLog(this, 'flow-log', {
      vpcId: props.vpcId,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: this.logGroup.arn,
      iamRoleArn: role.arn,
      tags: props.tags,
    });
  }
}
