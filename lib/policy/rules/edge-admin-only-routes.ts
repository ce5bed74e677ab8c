import { contains, Ipv4Network, parseIpv4Cidr } from '../../model/cidr';
import { judge, NO_SCANNER, PolicyRule } from '../rule';
import { cloudConfigFiles } from '../user-data-contents';

const EDGE_UNIT = '/etc/systemd/system/mesos-cluster-edge.service';
/** The private ranges (RFC 1918) a load balancer's subnets sit in. */
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseIpv4Cidr(c) as Ipv4Network);

/** `--flag a,b` of the edge's unit, or undefined. */
const listOf = (unit: string, flag: string) => unit.match(new RegExp(`${flag} (\\S+)`))?.[1].split(',');

const isPrivate = (cidr: string) => {
  const net = parseIpv4Cidr(cidr);
  return typeof net !== 'string' && PRIVATE.some((range) => contains(range, net));
};
/** Everyone: no limit at all. How wide an admin network may be is no-world-ingress's to judge (and suppress). */
const isEveryone = (cidr: string) => {
  const net = parseIpv4Cidr(cidr);
  return typeof net === 'string' || net.prefix === 0;
};

/**
 * The edge answers /mesos/ and /marathon/ to the admin networks only, and believes a client's
 * X-Forwarded-For only from the load balancer's private subnets (cloud-init/scripts/edge-routes.py).
 */
export const edgeAdminOnlyRoutes: PolicyRule = {
  id: 'edge-admin-only-routes',
  level: 'error',
  clouds: ['aws', 'openstack'],
  summary: 'the edge\'s unit limits `/mesos` and `/marathon` to `--admin-cidrs` (never everyone; their width is `no-world-ingress`\'s) and believes `X-Forwarded-For` only from private `--load-balancer-cidrs`',
  mirrors: NO_SCANNER,
  explanation: "The masters answer reads (tasks, their environment) without credentials; through the edge only admins may reach them, by an address a client cannot forge",
  fix: "render the edge unit's --admin-cidrs from network.adminCidrs and --load-balancer-cidrs from the public subnets (lib/cloud-init/edge-files.ts)",
  evaluate: ({ view }) =>
    view.nodes
      .filter((node) => node.role === 'edge')
      .map((node) => {
        const unit = cloudConfigFiles(node.userData ?? '').get(EDGE_UNIT) ?? '';
        const admins = listOf(unit, '--admin-cidrs');
        const balancers = listOf(unit, '--load-balancer-cidrs');
        const everyone = (admins ?? []).filter(isEveryone);
        const outside = (balancers ?? []).filter((c) => !isPrivate(c));
        const problem =
          admins === undefined
            ? `its edge unit (${EDGE_UNIT}) names no --admin-cidrs: /mesos and /marathon would not be limited`
            : balancers === undefined
              ? `its edge unit names no --load-balancer-cidrs: whose X-Forwarded-For to believe is unknown`
              : everyone.length > 0
                ? `--admin-cidrs ${everyone.join(', ')} is not a limit: every address is in it`
                : outside.length > 0
                  ? `--load-balancer-cidrs ${outside.join(', ')} is not private: anyone there could forge X-Forwarded-For`
                  : undefined;
        return judge(node.address, problem, `/mesos and /marathon for ${(admins ?? []).join(', ')}`);
      }),
};
