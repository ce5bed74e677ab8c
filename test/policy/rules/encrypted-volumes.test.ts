import { describe, it } from 'node:test';
import { encryptedVolumes } from '../../../lib/policy/rules/encrypted-volumes';
import { assertFails, assertPasses } from '../../support/policy-fixtures';

describe('rule encrypted-volumes', () => {
  it('passes encrypted roots, launch-template mappings and EBS volumes', () => {
    assertPasses(encryptedVolumes, {
      resource: {
        aws_instance: { a: { root_block_device: { encrypted: true } } },
        aws_launch_template: { t: { block_device_mappings: [{ device_name: '/dev/xvda', ebs: { encrypted: 'true' } }] } },
        aws_ebs_volume: { v: { encrypted: true } },
      },
    });
  });

  it('fails an unencrypted root, a template that leaves the root to the image and an unencrypted volume', () => {
    assertFails(
      encryptedVolumes,
      {
        resource: {
          aws_instance: { a: { root_block_device: { encrypted: false } } },
          aws_launch_template: { t: {} },
          aws_ebs_volume: { v: {} },
        },
      },
      { 'aws_instance.a': /unencrypted: root/, 'aws_launch_template.t': /the image decides/, 'aws_ebs_volume.v': /not encrypted/ },
    );
  });
});
