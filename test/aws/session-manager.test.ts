import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkStack, formatFinding } from '../../lib/policy';
import { exampleCluster, synthAws } from '../support/aws-synth';

const SSM_POLICY = 'arn:${data.aws_partition.session-manager-partition.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore';
const IDENTITIES = ['zookeeper', 'master', 'marathon', 'jenkins-masters', 'builds', 'edge'];

/** The node identities' resources of one type, by identity name. */
const identityResources = (resources: Record<string, any> | undefined, suffix: string) =>
  Object.fromEntries(
    Object.entries(resources ?? {})
      .filter(([key]) => key.startsWith('identity-') && key.endsWith(`_${suffix}`))
      .map(([key, body]) => [key.slice('identity-'.length, -suffix.length - 1), body]),
  );

describe('aws.sessionManager: Session Manager instead of SSH', () => {
  it('is off by default: no managed policy attached to any identity, the bastion has no identity', () => {
    const cluster = exampleCluster();
    assert.equal(cluster.aws?.sessionManager, false);
    const { resource, data } = synthAws(cluster).json;
    assert.deepEqual(identityResources(resource.aws_iam_role_policy_attachment, 'session-manager'), {});
    assert.equal(data?.aws_partition?.['session-manager-partition'], undefined);
    assert.equal(resource.aws_iam_role['identity-bastion_role'], undefined);
    assert.equal(resource.aws_instance.bastion_instance.iam_instance_profile, undefined);
  });

  describe('on', () => {
    const cluster = exampleCluster({ aws: { sessionManager: true } });
    const { resource } = synthAws(cluster).json;

    it('attaches AmazonSSMManagedInstanceCore, by its partition-aware ARN, once to every identity and the bastion', () => {
      const attachments = identityResources(resource.aws_iam_role_policy_attachment, 'session-manager');
      assert.deepEqual(Object.keys(attachments).sort(), [...IDENTITIES, 'bastion'].sort());
      for (const [identity, attachment] of Object.entries(attachments)) {
        assert.equal(attachment.policy_arn, SSM_POLICY, identity);
        assert.equal(attachment.role, `\${aws_iam_role.identity-${identity}_role.name}`, identity);
      }
    });

    it("denies every identity every parameter but its own, since the managed policy allows ssm:GetParameter on '*'", () => {
      const policies = identityResources(resource.aws_iam_role_policy, 'policy');
      assert.deepEqual(Object.keys(policies).sort(), [...IDENTITIES, 'bastion'].sort());
      for (const [identity, policy] of Object.entries(policies)) {
        const statements = JSON.parse(policy.policy).Statement;
        const deny = statements.find((s: { Sid: string }) => s.Sid === 'NoOtherParameters');
        const own = statements.find((s: { Sid: string }) => s.Sid === 'ReadOwnSecrets')?.Resource;
        assert.deepEqual(deny.Action, ['ssm:GetParameter', 'ssm:GetParameters'], identity);
        assert.equal(deny.Effect, 'Deny', identity);
        if (own === undefined) assert.equal(deny.Resource, '*', identity);
        else assert.deepEqual(deny.NotResource, own, identity);
      }
      // The identities reading nothing deny everything.
      assert.equal(JSON.parse(policies.zookeeper.policy).Statement.length, 1);
      assert.equal(JSON.parse(policies.bastion.policy).Statement.length, 1);
    });

    it('gives the bastion its own role, assumable by EC2 only, and its instance profile', () => {
      const role = resource.aws_iam_role['identity-bastion_role'];
      assert.equal(role.name, 'ci-aws-bastion');
      assert.deepEqual(JSON.parse(role.assume_role_policy).Statement, [
        { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]);
      assert.equal(resource.aws_instance.bastion_instance.iam_instance_profile, '${aws_iam_instance_profile.identity-bastion_profile.name}');
    });

    it('leaves every policy rule passing, iam-no-wildcard-actions included', () => {
      const report = checkStack({ name: cluster.name, cloud: cluster.cloud, json: synthAws(cluster).json });
      assert.deepEqual(report.findings.map(formatFinding), []);
    });
  });
});
