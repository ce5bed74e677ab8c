import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emulatorAnswered } from '../../lib/sandbox/recovering-apply';

/** Terraform's -no-color error block around one diagnostic. */
const failed = (summary: string, detail: string) => `\nError: ${summary}\n\n  with aws_vpc_security_group_ingress_rule.x,\n  on cdk.tf.json line 12, in resource "aws_vpc_security_group_ingress_rule" "x":\n  12:   "x": {\n\n${detail}\n`;

describe('which failed applies the sandbox recovers from (the emulator answered) and which it reports at once', () => {
  const recovered: [string, string][] = [
    ['a garbled answer, retried by the SDK into a duplicate', failed('creating VPC Security Group Rule', 'operation error EC2: AuthorizeSecurityGroupIngress, https response error StatusCode: 400, RequestID: 1, api error InvalidPermission.Duplicate: the specified rule already exists')],
    ['a garbled answer the SDK gave up on', failed('creating VPC Security Group Rule', 'operation error EC2: AuthorizeSecurityGroupIngress, exceeded maximum number of attempts, 3, https response error StatusCode: 500, RequestID: , api error UnknownError: UnknownError')],
    ['an answer that could not be read', failed('creating EC2 Instance', 'operation error EC2: RunInstances, deserialization failed, failed to decode response body, unexpected EOF')],
    ['an SDK v1 error with its status line', failed('creating Security Group', 'InternalError: internal error\n\tstatus code: 500, request id: 2')],
  ];
  for (const [what, output] of recovered) it(`recovers from ${what}`, () => assert.equal(emulatorAnswered(output), true));

  const reported: [string, string][] = [
    ['an unsupported argument', failed('Extraneous JSON object property', 'No argument or block type is named "no_such_argument".')],
    ['an undeclared reference', failed('Reference to undeclared resource', 'A managed resource "aws_subnet" "a" has not been declared in the root module.')],
    ['a request the API refuses as invalid (SDK v2)', failed('creating EC2 Subnet', 'operation error EC2: CreateSubnet, https response error StatusCode: 400, RequestID: 3, api error InvalidParameterValue: invalid CIDR')],
    ['a request the API refuses as invalid (SDK v1)', failed('creating Security Group', 'InvalidParameterValue: bad description\n\tstatus code: 400, request id: 4')],
  ];
  for (const [what, output] of reported) it(`reports ${what} at once`, () => assert.equal(emulatorAnswered(output), false));
});
