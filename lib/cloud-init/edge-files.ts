import { CLUSTER_CA_CERT_SECRET, ClusterTopology, MARATHON_PRINCIPAL, marathonTlsName, PORTS } from '../model';
import { MARATHON_FRAMEWORK_NAME, NODE } from './layout';
import { TLS_FILES } from './libprocess-tls-files';
import { placeholder, SecretFile } from './secret-files';
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
 * balancer sits (the AWS ALB's nodes, Octavia's VIP subnet). With tls.marathon, /marathon/ speaks
 * HTTPS to Marathon's 8443 and checks its certificate against the cluster CA for Marathon's DNS
 * name (docs/security.md, "Credentials on the wire").
 */
export function edgeFiles(topology: ClusterTopology): WriteFile[] {
  const https = topology.cluster.tls.marathon;
  const endpoints = (servers: readonly { privateIp: string }[], port: number) => servers.map((s) => `${s.privateIp}:${port}`).join(',');
  return [
    scriptFile(SCRIPT, readStatic('scripts/edge-routes.py')),
    configFile(
      '/etc/systemd/system/mesos-cluster-edge.service',
      renderTemplate('edge/mesos-cluster-edge.service.ejs', {
        script: SCRIPT,
        masters: endpoints(topology.mesos.masters, PORTS.mesosMaster),
        marathons: endpoints(topology.marathon.servers, https ? PORTS.marathonHttps : PORTS.marathonHttp),
        marathonTls: https ? { ca: TLS_FILES.ca, name: marathonTlsName(topology.cluster.name) } : undefined,
        port: EDGE_HTTP_PORT,
        marathonFramework: MARATHON_FRAMEWORK_NAME,
        marathonPrincipal: MARATHON_PRINCIPAL,
        adminCidrs: topology.cluster.network.adminCidrs.join(','),
        loadBalancerCidrs: topology.zones.map((z) => z.publicCidr).join(','),
      }),
    ),
  ];
}

/** With tls.marathon, the CA's certificate (public), for nginx's check of Marathon's; read by nginx's master (root). */
export function edgeSecretFiles(topology: ClusterTopology): SecretFile[] {
  if (!topology.cluster.tls.marathon) return [];
  return [{ path: TLS_FILES.ca, template: placeholder(CLUSTER_CA_CERT_SECRET), mode: '0400', owner: 'root:root' }];
}
