import { describe, it } from 'node:test';
import { vpcFlowLogs } from '../../../lib/policy/rules/vpc-flow-logs';
import { assertFails, assertPasses } from '../../support/policy-fixtures';

describe('rule vpc-flow-logs', () => {
  it('passes a VPC with a flow log of all traffic', () => {
    assertPasses(vpcFlowLogs, { resource: { aws_vpc: { v: {} }, aws_flow_log: { f: { vpc_id: '${aws_vpc.v.id}', traffic_type: 'ALL' } } } });
  });

  it('fails a VPC without one and a VPC that logs only accepted traffic', () => {
    assertFails(
      vpcFlowLogs,
      { resource: { aws_vpc: { bare: {}, accepted: {} }, aws_flow_log: { f: { vpc_id: '${aws_vpc.accepted.id}', traffic_type: 'ACCEPT' } } } },
      { 'aws_vpc.bare': /no flow log/, 'aws_vpc.accepted': /no flow log/ },
    );
  });
});
