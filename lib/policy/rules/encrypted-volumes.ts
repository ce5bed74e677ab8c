import { judge, PolicyRule } from '../rule';
import { blocks, isTrue, resourcesOf } from '../terraform-json';

/** Every root and data volume encrypted: instances, launch templates and configurations, EBS volumes. */
export const encryptedVolumes: PolicyRule = {
  id: 'encrypted-volumes',
  level: 'error',
  clouds: ['aws'],
  summary: 'root, attached and EBS volumes encrypted; templates map the root volume',
  mirrors: {
    checkov: ['CKV_AWS_3', 'CKV_AWS_8'],
    trivy: ['AVD-AWS-0026', 'AVD-AWS-0131', 'AVD-AWS-0008'],
    kics: ['cc997676-481b-4e93-aa81-d19f8c5e9b12', '4de9de27-254e-424f-bd70-4c1e95790838'],
  },
  explanation: 'Volumes hold ZooKeeper snapshots, the Mesos replicated log and Jenkins homes; each must be encrypted at rest',
  fix: 'set encrypted = true on the volume (root_block_device, ebs_block_device, block_device_mappings.ebs or aws_ebs_volume)',
  evaluate: (stack) => [
    ...resourcesOf(stack.json, 'aws_instance', 'aws_launch_configuration').map(({ address, body }) => {
      const unencrypted = [...blocks(body.root_block_device).map((d): Record<string, any> => ({ ...d, device_name: 'root' })), ...blocks(body.ebs_block_device)]
        .filter((d) => !isTrue(d.encrypted))
        .map((d) => d.device_name);
      const root = blocks(body.root_block_device).length === 0 ? ['root (no root_block_device: the image decides)'] : [];
      return judge(address, listProblem([...root, ...unencrypted]), 'root and attached volumes encrypted');
    }),
    ...resourcesOf(stack.json, 'aws_launch_template').map(({ address, body }) => {
      const mappings = blocks(body.block_device_mappings).filter((m) => m.ebs !== undefined);
      const unencrypted = mappings.filter((m) => !isTrue(blocks(m.ebs)[0]?.encrypted)).map((m) => m.device_name);
      const none = mappings.length === 0 ? ['root (no block_device_mappings: the image decides)'] : [];
      return judge(address, listProblem([...none, ...unencrypted]), 'every mapped volume encrypted');
    }),
    ...resourcesOf(stack.json, 'aws_ebs_volume').map(({ address, body }) =>
      judge(address, isTrue(body.encrypted) ? undefined : 'the volume is not encrypted', 'encrypted'),
    ),
  ],
};

function listProblem(devices: string[]): string | undefined {
  return devices.length === 0 ? undefined : `unencrypted: ${devices.join(', ')}`;
}
