import { CLUSTER_CA_CERT_SECRET, ClusterTopology, EDGE_TLS_SECRET, MARATHON_PRINCIPAL, marathonTlsName, mesosTlsName, PORTS } from '../model';
import { MARATHON_FRAMEWORK_NAME, NODE } from './layout';
import { TLS_FILES } from './libprocess-tls-files';
import { placeholder, SecretFile, secretPath } from './secret-files';
import { readStatic, renderTemplate } from './templates';
import { configFile, scriptFile, WriteFile } from './write-file';

/** Where the edge listens for the load balancer. */
export const EDGE_HTTP_PORT = PORTS.edgeHttp;
const SCRIPT = `${NODE.scriptDir}/edge-routes`;
/** With tls.mesos: the edge's certificate and key (tls/edge), one file, read by nginx's master and edge-routes (both root). */
export const EDGE_TLS_FILE = secretPath('tls-edge.pem');

/**
 * The route generator and its unit; nginx itself comes with the base image. It reads task
 * locations from the masters' read-only endpoints, without credentials: the edge holds none.
 * /mesos/ and /marathon/ answer the admin networks only, the client address taken from the
 * X-Forwarded-For the load balancer appends, believed only from the public subnets where the load
 * balancer sits (the AWS ALB's nodes, Octavia's VIP subnet). With tls.marathon, /marathon/ speaks
 * HTTPS to Marathon's 8443 and checks its certificate against the cluster CA for Marathon's DNS
 * name; with tls.mesos the route reader and /mesos/ speak HTTPS to the masters, presenting the
 * edge's certificate and checking theirs for the masters' DNS name (docs/security.md,
 * "Credentials on the wire").
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
        mesosTls: topology.cluster.tls.mesos ? { ca: TLS_FILES.ca, cert: EDGE_TLS_FILE, name: mesosTlsName(topology.cluster.name) } : undefined,
        port: EDGE_HTTP_PORT,
        marathonFramework: MARATHON_FRAMEWORK_NAME,
        marathonPrincipal: MARATHON_PRINCIPAL,
        adminCidrs: topology.cluster.network.adminCidrs.join(','),
        loadBalancerCidrs: topology.zones.map((z) => z.publicCidr).join(','),
      }),
    ),
  ];
}

/**
 * With tls.mesos, the CA's certificate (public), for the checks of the masters' and Marathon's,
 * and the edge's own certificate and key for the masters; read by nginx's master and edge-routes (root).
 */
export function edgeSecretFiles(topology: ClusterTopology): SecretFile[] {
  if (!topology.cluster.tls.mesos) return [];
  return [
    { path: TLS_FILES.ca, template: placeholder(CLUSTER_CA_CERT_SECRET), mode: '0400', owner: 'root:root' },
    { path: EDGE_TLS_FILE, template: placeholder(EDGE_TLS_SECRET), mode: '0400', owner: 'root:root' },
  ];
}
