import { describe, it } from 'node:test';
import { noPublicIp } from '../../../lib/policy/rules/no-public-ip';
import { assertFails, assertPasses } from '../../support/policy-fixtures';

describe('rule no-public-ip', () => {
  it('passes a public bastion and private servers', () => {
    assertPasses(noPublicIp, {
      resource: {
        aws_instance: { bastion: { associate_public_ip_address: true, tags: { role: 'bastion' } }, zk: { tags: { role: 'zookeeper' } } },
        aws_subnet: { private: { map_public_ip_on_launch: false } },
      },
    });
  });

  it('fails a server with an elastic IP, a public launch template and an auto-public subnet', () => {
    assertFails(
      noPublicIp,
      {
        resource: {
          aws_instance: { zk: { tags: { role: 'zookeeper' } } },
          aws_eip: { zk: { instance: '${aws_instance.zk.id}' } },
          aws_launch_template: { pool: { user_data: Buffer.from('CLUSTER_NODE_ROLE=mesos-agent\n').toString('base64'), network_interfaces: [{ associate_public_ip_address: 'true' }] } },
          aws_subnet: { open: { map_public_ip_on_launch: true } },
        },
      },
      { 'aws_instance.zk': /a zookeeper with a public address/, 'aws_launch_template.pool': /a mesos-agent with a public/, 'aws_subnet.open': /public address/ },
    );
  });
});
