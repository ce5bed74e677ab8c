import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleCluster, Resources, synthAws } from '../support/aws-synth';

interface Statement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** The stack's own partition and account (lib/aws/aws-account.ts), never `*`. */
const PARTITION = '${data.aws_partition.account-partition.partition}';
const ACCOUNT = '${data.aws_caller_identity.account-caller.account_id}';
const PREFIX = `arn:${PARTITION}:ssm:us-east-1:${ACCOUNT}:parameter/mesos-cluster/ci-aws`;

/** Node identities only: the stack has other roles (e.g. the flow log's). */
const identityKeys = (resources: Record<string, unknown>) => Object.keys(resources).filter((k) => k.startsWith('identity-')).sort();

function policyOf(resources: Resources, identity: string): Statement[] | undefined {
  const policy = resources.aws_iam_role_policy?.[`identity-${identity}_policy`];
  return policy === undefined ? undefined : JSON.parse(policy.policy).Statement;
}

describe('AWS node identities: one IAM role and instance profile per quorum role and pool', () => {
  const { resource } = synthAws(exampleCluster()).json;

  it('creates exactly one role and profile per quorum role, pool and the edge, assumable by EC2 only', () => {
    const names = ['zookeeper', 'master', 'marathon', 'jenkins-masters', 'builds', 'edge'];
    assert.deepEqual(identityKeys(resource.aws_iam_role), names.map((n) => `identity-${n}_role`).sort());
    assert.deepEqual(identityKeys(resource.aws_iam_instance_profile), names.map((n) => `identity-${n}_profile`).sort());
    for (const name of names) {
      const role = resource.aws_iam_role[`identity-${name}_role`];
      assert.equal(role.name, `ci-aws-${name}`);
      assert.deepEqual(JSON.parse(role.assume_role_policy).Statement, [
        { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]);
    }
  });

  it("lets each identity read exactly its own secrets under the cluster's path, and decrypt them only through SSM", () => {
    const expected: Record<string, string[]> = {
      master: ['mesos-master/zk-password', 'mesos-master/credentials'],
      marathon: ['marathon/zk-password', 'marathon/mesos-secret', 'marathon/http-password'],
      // The agents that host the Jenkins masters: their own credential and the masters' framework secret.
      'jenkins-masters': ['pools/jenkins-masters/mesos-secret', 'pools/jenkins-masters/executor-jwt-key', 'frameworks/jenkins/mesos-secret'],
      builds: ['pools/builds/mesos-secret', 'pools/builds/executor-jwt-key'],
    };
    for (const [identity, secrets] of Object.entries(expected)) {
      const statements = policyOf(resource, identity)!;
      const arns = secrets.map((s) => `${PREFIX}/${s}`);
      const read = statements.find((s) => s.Sid === 'ReadOwnSecrets')!;
      assert.deepEqual(read.Action, ['ssm:GetParameter'], identity);
      assert.deepEqual(read.Resource, arns, identity);
      const decrypt = statements.find((s) => s.Sid === 'DecryptOwnSecrets')!;
      assert.deepEqual(decrypt.Action, ['kms:Decrypt'], identity);
      assert.deepEqual(decrypt.Condition, {
        StringEquals: { 'kms:ViaService': 'ssm.us-east-1.amazonaws.com' },
        StringLike: { 'kms:EncryptionContext:PARAMETER_ARN': arns },
      });
      assert.deepEqual(statements.filter((s) => s.Action.some((a) => /^(ssm|kms):/.test(a))).map((s) => s.Sid), ['ReadOwnSecrets', 'DecryptOwnSecrets'], identity);
    }
  });

  it('gives a builds agent nothing of Marathon, the masters or another pool', () => {
    const resources = policyOf(resource, 'builds')!.flatMap((s) => [s.Resource, ...Object.values(s.Condition?.StringLike ?? {})].flat());
    for (const foreign of ['marathon/', 'mesos-master/', 'operator/', 'frameworks/', 'pools/jenkins-masters/']) {
      assert.ok(!resources.some((r) => r.includes(foreign)), `builds reaches ${foreign}`);
    }
  });

  it('grants ZooKeeper servers and the edge no secret at all (no policy), and names every action', () => {
    assert.equal(policyOf(resource, 'zookeeper'), undefined);
    assert.equal(policyOf(resource, 'edge'), undefined, 'the edge reads the masters without credentials');
    for (const [name, policy] of Object.entries(resource.aws_iam_role_policy)) {
      for (const statement of JSON.parse(policy.policy).Statement as Statement[]) {
        for (const action of statement.Action) assert.match(action, /^[a-z0-9]+:[A-Za-z]+$/, `${name}: ${action}`);
      }
    }
  });

  it('puts every server and agent in its identity; the bastion in none', () => {
    for (const [name, instance] of Object.entries(resource.aws_instance)) {
      const identity = name.startsWith('bastion') ? undefined : name.startsWith('pool-') ? name.split('_')[0].slice('pool-'.length) : name.replace(/-\d+_instance$/, '');
      assert.equal(instance.iam_instance_profile, identity && `\${aws_iam_instance_profile.identity-${identity}_profile.name}`, name);
    }
    const template = resource.aws_launch_template['pool-builds_launch-template'];
    assert.deepEqual(template.iam_instance_profile, { name: '${aws_iam_instance_profile.identity-builds_profile.name}' });
  });

  it('colocated control servers read the master and Marathon secrets through one identity', () => {
    const colocated = synthAws(exampleCluster({ colocate: true, zookeeper: { size: 'm5.xlarge' }, masters: undefined, marathon: undefined })).json.resource;
    assert.deepEqual(identityKeys(colocated.aws_iam_role), ['identity-builds_role', 'identity-control_role', 'identity-edge_role', 'identity-jenkins-masters_role']);
    const read = policyOf(colocated, 'control')!.find((s) => s.Sid === 'ReadOwnSecrets')!;
    assert.equal(read.Resource.length, 5);
  });
});
