import { ClusterTopology, PORTS } from '../model';
import { NODE } from './layout';
import { readStatic, renderTemplate } from './templates';
import { configFile, scriptFile, WriteFile } from './write-file';

/** Where the edge listens for the load balancer. */
export const EDGE_HTTP_PORT = PORTS.edgeHttp;
/**
 * Marathon's HTTP credentials (`user:password`), when Marathon requires HTTP basic auth: the
 * secrets step writes this file at boot; without it the generator asks Marathon anonymously.
 */
export const EDGE_MARATHON_CREDENTIALS = '/etc/mesos-cluster/secrets/marathon-http-credentials';
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
        credentials: EDGE_MARATHON_CREDENTIALS,
      }),
    ),
  ];
}
