import { judge, notApplicable, PolicyRule } from '../rule';
import { cloudConfigFiles } from '../user-data-contents';

/** What a secret looks like in a shell script, an env file or a JSON credentials file. */
export const SECRET_PATTERNS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'a private key', pattern: /-----BEGIN ((RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/ },
  { name: 'an AWS access key id', pattern: /\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  { name: 'an AWS secret access key', pattern: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?[A-Za-z0-9/+]{40}/i },
  // A value after password=, ZK_PASSWORD=, "secret": ... — not a $VARIABLE, a <placeholder>, a /path to a file, or
  // one holding a {{template}} that fetch-secrets fills at boot (`operator:{{marathon/http-password}}`).
  { name: 'a password or secret value', pattern: /(?<![A-Za-z])(password|passwd|secret|token|api_?key|credentials?)(?![A-Za-z])["']?\s*[:=]\s*["']?(?![$%{<\/])(?![^\s"',;]*\{\{)[^\s"',;]{8,}/i },
];

/** No secret in user-data, which every holder of ec2:DescribeInstanceAttribute can read. */
export const noSecretsInUserData: PolicyRule = {
  id: 'no-secrets-in-user-data',
  level: 'error',
  clouds: ['aws', 'openstack'],
  summary: 'no private key, AWS key or password value in user-data, after base64/gzip and `write_files` encodings are undone',
  mirrors: { checkov: ['CKV_AWS_46'], trivy: ['AVD-AWS-0029', 'AVD-AWS-0129'], kics: ['443488f5-c734-460b-a36d-5b3f330174dc', 'd7b9d850-3e06-4a75-852f-c46c2e92240b'] },
  explanation: 'User-data is readable by anyone who may describe the instance and lands in Terraform state; secrets come from the secret store at boot',
  fix: 'store the secret in the cluster\'s secret store (SSM Parameter Store on AWS) and have the node read it at boot with its instance role',
  evaluate: ({ view }) =>
    view.nodes.map((node) => {
      if (node.userData === undefined) return notApplicable(node.address, 'no user-data');
      // Scanned decoded: base64/gzip layers (done by the reader) and encoded write_files contents.
      const texts = [node.userData, ...cloudConfigFiles(node.userData).values()];
      const found = SECRET_PATTERNS.filter(({ pattern }) => texts.some((t) => pattern.test(t))).map((p) => p.name);
      return judge(node.address, found.length === 0 ? undefined : `user-data contains ${found.join(' and ')}`, 'no secret found');
    }),
};
