import { describe, it } from 'node:test';
import { quorumOddAndSpread } from '../../../lib/policy/rules/quorum-odd-and-spread';
import { assertFails, assertPasses, cloudConfig } from '../../support/policy-fixtures';

const subnets = { a: { availability_zone: 'z-a' }, b: { availability_zone: 'z-b' }, c: { availability_zone: 'z-c' } };
const server = (services: string, subnet: string) => ({ subnet_id: `\${aws_subnet.${subnet}.id}`, user_data: cloudConfig({ CLUSTER_SERVICES: services }) });

describe('rule quorum-odd-and-spread', () => {
  it('passes three ZooKeepers and five masters spread round-robin over three zones', () => {
    assertPasses(quorumOddAndSpread, {
      resource: {
        aws_subnet: subnets,
        aws_instance: {
          zk1: server('zookeeper', 'a'), zk2: server('zookeeper', 'b'), zk3: server('zookeeper', 'c'),
          m1: server('mesos-master', 'a'), m2: server('mesos-master', 'b'), m3: server('mesos-master', 'c'), m4: server('mesos-master', 'a'), m5: server('mesos-master', 'b'),
        },
      },
    });
  });

  it('fails four ZooKeepers and three masters crowded into two of three zones', () => {
    assertFails(
      quorumOddAndSpread,
      {
        resource: {
          aws_subnet: subnets,
          aws_instance: {
            zk1: server('zookeeper', 'a'), zk2: server('zookeeper', 'b'), zk3: server('zookeeper', 'c'), zk4: server('zookeeper', 'a'),
            m1: server('mesos-master', 'a'), m2: server('mesos-master', 'a'), m3: server('mesos-master', 'b'),
          },
        },
      },
      { 'quorum:zookeeper': /4 members .* an even count/, 'quorum:mesos-master': /2 in z-a, 1 in z-b; 3 zones allow at most 1 per zone/ },
    );
  });

  it('fails a quorum whose members come from one for_each resource: neither count nor zones can be read', () => {
    assertFails(
      quorumOddAndSpread,
      { resource: { aws_subnet: subnets, aws_instance: { zk: { ...server('zookeeper', 'a'), for_each: '${local.zk}' } } }, locals: { zk: { a: {}, b: {}, c: {} } } },
      { 'quorum:zookeeper': /aws_instance\.zk makes 3 members with count or for_each/ },
    );
  });
});
