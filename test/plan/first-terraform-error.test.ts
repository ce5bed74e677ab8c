import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstTerraformError } from '../../lib/plan/terraform-run';

describe("Terraform's first error as one line", () => {
  it('joins the summary with the first paragraph of the detail, not the with/on lines nor the quoted source', () => {
    const output = [
      '╷',
      '│ Error: creating VPC Security Group Rule',
      '│ ',
      '│   with aws_vpc_security_group_ingress_rule.peer,',
      '│   on cdk.tf.json line 86, in resource.aws_vpc_security_group_ingress_rule.peer:',
      '│   86:       }',
      '│ ',
      '│ operation error EC2: AuthorizeSecurityGroupIngress, https response error',
      '│ StatusCode: 400, RequestID: 1, api error InvalidPermission.Duplicate: exists',
      '╵',
      '╷',
      '│ Error: a second error',
      '╵',
    ].join('\n');
    assert.equal(
      firstTerraformError(output),
      'Error: creating VPC Security Group Rule: operation error EC2: AuthorizeSecurityGroupIngress, https response error StatusCode: 400, RequestID: 1, api error InvalidPermission.Duplicate: exists',
    );
  });

  it('a summary without detail stands alone; output without an error gives its first line', () => {
    assert.equal(firstTerraformError('Error: Backend initialization required\n'), 'Error: Backend initialization required');
    assert.equal(firstTerraformError('\nsomething else went wrong\nmore\n'), 'something else went wrong');
  });
});
