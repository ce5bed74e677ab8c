import { ClusterTopology, MARATHON_HTTP_SECRET, MARATHON_HTTP_USER, PORTS } from '../model';
import { NODE } from './layout';
import { placeholder, SecretFile, secretPath } from './secret-files';
import { readStatic, renderTemplate } from './templates';
import { configFile, scriptFile, WriteFile } from './write-file';

/** Where the edge listens for the load balancer. */
export const EDGE_HTTP_PORT = PORTS.edgeHttp;
/**
 * Marathon's HTTP credentials (`user:password`): fetch-secrets writes the file at boot from the
 * secret store; without it the generator would ask Marathon anonymously.
 */
export const EDGE_MARATHON_CREDENTIALS: SecretFile = {
  path: secretPath('edge-marathon-credentials'),
  template: `${MARATHON_HTTP_USER}:${placeholder(MARATHON_HTTP_SECRET)}`,
  mode: '0400',
  owner: 'root:root',
};
const SCRIPT = `${NODE.scriptDir}/edge-routes`;

/** The route generator and its unit; nginx itself comes with the base image. */
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
        credentials: EDGE_MARATHON_CREDENTIALS.path,
      }),
    ),
  ];
}
