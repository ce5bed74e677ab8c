import { describe, it } from 'node:test';
import { edgeAdminOnlyRoutes } from '../../../lib/policy/rules/edge-admin-only-routes';
import { assertFails, assertPasses, cloudConfig } from '../../support/policy-fixtures';

const EDGE = { CLUSTER_NODE_ROLE: 'edge', CLUSTER_SERVICES: 'edge' };
const edge = (args: string) => ({ user_data: cloudConfig(EDGE, { '/etc/systemd/system/mesos-cluster-edge.service': `ExecStart=/usr/bin/python3 edge-routes --masters 10.0.0.10:5050 ${args}\n` }) });

describe('rule edge-admin-only-routes', () => {
  it('passes an edge limited to the admin networks that believes X-Forwarded-For from private load balancer subnets', () => {
    assertPasses(edgeAdminOnlyRoutes, {
      resource: { aws_launch_template: { edge: edge('--admin-cidrs 198.51.100.0/24,203.0.113.0/24 --load-balancer-cidrs 10.0.192.0/26,10.0.192.64/26 --listen 80') } },
    });
  });

  it('fails an edge without an admin list, one with a world-wide one, one without load balancer subnets, and one believing a public network', () => {
    assertFails(
      edgeAdminOnlyRoutes,
      {
        resource: {
          aws_launch_template: {
            open: edge('--load-balancer-cidrs 10.0.192.0/26'),
            world: edge('--admin-cidrs 0.0.0.0/0 --load-balancer-cidrs 10.0.192.0/26'),
            trusting: edge('--admin-cidrs 198.51.100.0/24'),
            public: edge('--admin-cidrs 198.51.100.0/24 --load-balancer-cidrs 203.0.113.0/24'),
          },
        },
      },
      {
        'aws_launch_template.open': /no --admin-cidrs/,
        'aws_launch_template.world': /0\.0\.0\.0\/0 is not a limit: every address is in it/,
        'aws_launch_template.trusting': /no --load-balancer-cidrs/,
        'aws_launch_template.public': /203\.0\.113\.0\/24 is not private/,
      },
    );
  });
});
