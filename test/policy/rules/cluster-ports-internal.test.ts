import { describe, it } from 'node:test';
import { clusterPortsInternal } from '../../../lib/policy/rules/cluster-ports-internal';
import { assertFails, assertPasses, ref } from '../../support/policy-fixtures';

const groups = { zk: { description: 'ZooKeeper' }, agents: { description: 'agents' }, lb: { description: 'load balancer' } };
const nodes = {
  zk: { vpc_security_group_ids: [ref('aws_security_group.zk')] },
  agent: { vpc_security_group_ids: [ref('aws_security_group.agents')] },
};
const rule = (group: string, port: number, source: object) => ({ security_group_id: ref(`aws_security_group.${group}`), from_port: port, to_port: port, ip_protocol: 'tcp', ...source });

describe('rule cluster-ports-internal', () => {
  it('passes cluster ports opened to cluster groups, and the load balancer\'s own listener port to admins', () => {
    assertPasses(clusterPortsInternal, {
      resource: {
        aws_security_group: groups,
        aws_instance: nodes,
        aws_lb: { ui: { security_groups: [ref('aws_security_group.lb')] } },
        aws_vpc_security_group_ingress_rule: {
          client: rule('zk', 2181, { referenced_security_group_id: ref('aws_security_group.agents') }),
          lb: rule('agents', 5051, { referenced_security_group_id: ref('aws_security_group.lb') }),
          ui: rule('lb', 5050, { cidr_ipv4: '198.51.100.0/24' }),
        },
      },
    });
  });

  it('fails a cluster port open to a CIDR, to a foreign group, and all ports open to the VPC', () => {
    assertFails(
      clusterPortsInternal,
      {
        resource: {
          aws_security_group: groups,
          aws_instance: nodes,
          aws_vpc_security_group_ingress_rule: {
            admin: rule('zk', 2181, { cidr_ipv4: '198.51.100.0/24' }),
            foreign: rule('agents', 5051, { referenced_security_group_id: 'sg-0123456789abcdef0' }),
          },
          aws_security_group_rule: { all: { type: 'ingress', security_group_id: ref('aws_security_group.agents'), protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['10.0.0.0/16'] } },
        },
      },
      {
        'aws_vpc_security_group_ingress_rule.admin': /port\(s\) 2181 of aws_security_group\.zk to 198\.51\.100\.0\/24/,
        'aws_vpc_security_group_ingress_rule.foreign': /5051 .* to group sg-0123456789abcdef0/,
        'aws_security_group_rule.all': /2181, 2888, 3888, 5050, 5051, 8080, 8443, 9090, 5053 .* 10\.0\.0\.0\/16/,
      },
    );
  });
});
