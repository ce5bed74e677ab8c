import { ClusterTopology, PORTS, QuorumServer } from '../model';
import { MARATHON_DEFAULTS, MARATHON_MESOS_ROLE } from './layout';
import { renderTemplate } from './templates';
import { configFile, WriteFile } from './write-file';

/** [name, value, why]; an empty value is a bare switch. */
export type MarathonSetting = readonly [string, string, string?];

export function marathonSettings(topology: ClusterTopology, server: QuorumServer): MarathonSetting[] {
  return [
    ['MARATHON_MASTER', topology.mesos.zkUrl],
    // Without it Marathon 1.5+ assumes ZooKeeper on localhost.
    ['MARATHON_ZK', topology.marathon.zkUrl],
    ['MARATHON_MESOS_ROLE', MARATHON_MESOS_ROLE, 'Offers of the agents reserved for Marathon, so Jenkins frameworks cannot starve it.'],
    ['MARATHON_HA', '', 'A toggle: the bare switch turns HA on (MARATHON_HA=true would be a stray argument).'],
    ['MARATHON_HOSTNAME', server.privateIp, 'Advertised to Mesos and to the other Marathons: names are not in DNS.'],
    ['MARATHON_HTTP_PORT', String(PORTS.marathonHttp)],
    ['MARATHON_MESOS_USER', 'root', 'As the package ships it: tasks run as root unless the app says otherwise.'],
    ['LIBPROCESS_IP', server.privateIp, 'The scheduler driver binds here and the masters call back to it.'],
    ['LIBPROCESS_PORT', String(PORTS.marathonLibprocess), 'Pinned so the security groups can open exactly this port from the masters.'],
    ['MESOS_NATIVE_JAVA_LIBRARY', '/usr/lib/libmesos.so'],
    ['JAVA_HOME', '/usr/lib/jvm/java-8', 'Marathon 1.10 needs Java 8; ZooKeeper uses the default Java 17 (docs/base-image.md).'],
  ];
}

export function marathonFiles(topology: ClusterTopology, server: QuorumServer): WriteFile[] {
  const settings = marathonSettings(topology, server);
  return [configFile(MARATHON_DEFAULTS, renderTemplate('marathon/marathon.env.ejs', { node: server.name, settings }))];
}
