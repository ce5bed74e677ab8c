import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FLOW_LOG_ACTIONS } from '../../lib/aws/vpc-flow-log';
import { exampleCluster, synthAws } from '../support/aws-synth';

const resources = synthAws(exampleCluster()).json.resource;
const PARTITION = '${data.aws_partition.account-partition.partition}';
const ACCOUNT = '${data.aws_caller_identity.account-caller.account_id}';

describe('AWS stack: VPC flow log', () => {
  it('logs all of the VPC\'s traffic to a CloudWatch Logs group kept a year', () => {
    const [log] = Object.values(resources.aws_flow_log);
    assert.deepEqual([log.vpc_id, log.traffic_type, log.log_destination_type], ['${aws_vpc.network_vpc.id}', 'ALL', 'cloud-watch-logs']);
    assert.equal(log.log_destination, '${aws_cloudwatch_log_group.flow-log_log-group.arn}');
    const group = resources.aws_cloudwatch_log_group['flow-log_log-group'];
    assert.deepEqual([group.name, group.retention_in_days], ['/mesos-cluster/ci-aws/vpc-flow-logs', 365]);
  });

  it("writes through a role only the flow-logs service assumes, for this account's flow logs only, allowed four named actions on that group", () => {
    const role = resources.aws_iam_role['flow-log_role'];
    const [trust] = JSON.parse(role.assume_role_policy).Statement;
    assert.deepEqual(trust.Principal, { Service: 'vpc-flow-logs.amazonaws.com' });
    assert.deepEqual(trust.Condition, {
      StringEquals: { 'aws:SourceAccount': ACCOUNT },
      ArnLike: { 'aws:SourceArn': `arn:${PARTITION}:ec2:us-east-1:${ACCOUNT}:vpc-flow-log/*` },
    });
    const [statement] = JSON.parse(resources.aws_iam_role_policy['flow-log_role-policy'].policy).Statement;
    assert.deepEqual(statement.Action, FLOW_LOG_ACTIONS);
    assert.ok(FLOW_LOG_ACTIONS.every((a) => !a.includes('*')));
    assert.deepEqual(statement.Resource, ['${aws_cloudwatch_log_group.flow-log_log-group.arn}', '${aws_cloudwatch_log_group.flow-log_log-group.arn}:*']);
  });
});
