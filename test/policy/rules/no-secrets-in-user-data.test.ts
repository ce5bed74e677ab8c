import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { noSecretsInUserData } from '../../../lib/policy/rules/no-secrets-in-user-data';
import { assertFails, assertPasses } from '../../support/policy-fixtures';

const base64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

describe('rule no-secrets-in-user-data', () => {
  it('passes user-data that refers to secrets by variable, path, parameter name or a {{template}} filled at boot', () => {
    assertPasses(noSecretsInUserData, {
      resource: {
        aws_instance: { a: { user_data: '#!/bin/sh\nPASSWORD="$$(aws ssm get-parameter --name /ci-aws/zk)"\ncredential=/etc/mesos/credential\ntoken=${TOKEN}\nMARATHON_HTTP_CREDENTIALS=operator:{{marathon/http-password}}\n' } },
        aws_launch_template: { t: { user_data: base64('#cloud-config\nruncmd: [echo hello]\n') } },
      },
    });
  });

  it('finds a private key in gzip+base64, an access key in base64 and a password in a b64 write_files entry', () => {
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\n';
    const file = base64('zk_password=hunter2hunter2\n');
    assertFails(
      noSecretsInUserData,
      {
        resource: {
          aws_instance: {
            gz: { user_data_base64: base64(gzipSync(key)) },
            files: { user_data: `#cloud-config\nwrite_files:\n  - path: /etc/zk.env\n    encoding: b64\n    content: ${file}\n` },
          },
          aws_launch_template: { t: { user_data: base64('export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n') } },
        },
      },
      { 'aws_instance.gz': /a private key/, 'aws_instance.files': /a password or secret value/, 'aws_launch_template.t': /an AWS access key id/ },
    );
  });
});
