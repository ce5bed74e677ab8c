import { PORTS } from '../../model';
import { compliant, judge, NO_SCANNER, notApplicable, PolicyRule } from '../rule';

/** ZooKeeper, Mesos and Marathon speak unauthenticated or weakly authenticated protocols on these. */
export const CLUSTER_PORTS: readonly number[] = [
  PORTS.zookeeperClient,
  PORTS.zookeeperPeer,
  PORTS.zookeeperElection,
  PORTS.mesosMaster,
  PORTS.mesosAgent,
  PORTS.marathonHttp,
  PORTS.marathonHttps,
  PORTS.marathonLibprocess,
  PORTS.drainGate,
];

/** Cluster ports on nodes admit only the cluster's own groups (the load balancer's included). */
export const clusterPortsInternal: PolicyRule = {
  id: 'cluster-ports-internal',
  level: 'error',
  clouds: ['aws', 'openstack'],
  summary: '2181, 2888, 3888, 5050, 5051, 8080, 8443, 9090, 5053 on cluster nodes admit only the cluster\'s own groups (the load balancer\'s counts as inside)',
  mirrors: NO_SCANNER,
  explanation: `Ports ${CLUSTER_PORTS.join(', ')} on cluster nodes are reachable only from the cluster's own security groups; people reach the UIs through the load balancer`,
  fix: 'admit the port from a cluster group (lib/model/firewall.ts), never from a CIDR, a prefix list or a foreign group',
  evaluate: ({ view }) => {
    const nodeGroups = new Set(view.nodes.flatMap((n) => n.groups));
    const inside = new Set([...view.groups, ...view.frontGroups]);
    return view.ingress.map((permission) => {
      const ports = CLUSTER_PORTS.filter((p) => permission.fromPort <= p && p <= permission.toPort);
      if (ports.length === 0) return notApplicable(permission.address, 'opens no cluster port');
      // The load balancer's own listeners share port numbers with the UIs; its group fronts, it runs nothing.
      if (!nodeGroups.has(permission.group)) return compliant(permission.address, 'not a group of a cluster node');
      const source = permission.source;
      const outside = 'group' in source ? (inside.has(source.group) ? undefined : `group ${source.group}`) : 'cidr' in source ? source.cidr : source.other;
      return judge(permission.address, outside && `opens port(s) ${ports.join(', ')} of ${permission.group} to ${outside}, outside the cluster`, 'from a cluster group');
    });
  },
};
