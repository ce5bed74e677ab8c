import { ClusterTopology, MARATHON_PRINCIPAL, PORTS } from '../model';
import { MARATHON_FRAMEWORK_NAME, NODE } from './layout';
import { readStatic, renderTemplate } from './templates';
import { configFile, scriptFile, WriteFile } from './write-file';

/** Where the edge listens for the load balancer. */
export const EDGE_HTTP_PORT = PORTS.edgeHttp;
const SCRIPT = `${NODE.scriptDir}/edge-routes`;

/**
 * The route generator and its unit; nginx itself comes with the base image. It reads task
 * locations from the masters' read-only endpoints, without credentials: the edge holds none.
 * /mesos/ and /marathon/ answer the admin networks only, the client address taken from the
 * X-Forwarded-For the load balancer appends, believed only from the public subnets where the load
 * balancer sits (the AWS ALB's nodes, Octavia's VIP subnet).
 */
export function edgeFiles(topology: ClusterTopology): WriteFile[] {
  const endpoints = (servers: readonly { privateIp: string }[], port: number) => servers.map((s) => `${s.privateIp}:${port}`).join(',');
  return [
    scriptFile(SCRIPT, readStatic('scripts/edge-routes.py')),
    configFile(
      '/etc/systemd/system/mesos-cluster-edge.service',
      renderTemplate('edge/mesos-cluster-edge.service.ejs', {
        script: SCRIPT,
        masters: endpoints(topology.mesos.masters, PORTS.mesosMaster),
        marathons: endpoints(topology.marathon.servers, PORTS.marathonHttp),
        port: EDGE_HTTP_PORT,
        marathonFramework: MARATHON_FRAMEWORK_NAME,
        marathonPrincipal: MARATHON_PRINCIPAL,
        adminCidrs: topology.cluster.network.adminCidrs.join(','),
        loadBalancerCidrs: topology.zones.map((z) => z.publicCidr).join(','),
      }),
    ),
  ];
}
