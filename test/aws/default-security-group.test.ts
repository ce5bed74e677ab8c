import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleCluster, synthAws } from '../support/aws-synth';

describe('AWS stack: default security group', () => {
  it('manages the VPC\'s default group with no ingress or egress, which removes every rule', () => {
    const group = synthAws(exampleCluster()).json.resource.aws_default_security_group['default-security-group'];
    assert.equal(group.vpc_id, '${aws_vpc.network_vpc.id}');
    assert.equal(group.ingress, undefined);
    assert.equal(group.egress, undefined);
  });
});
