import { ClusterTopology, PORTS, QuorumServer } from '../model';
import { MESOS, NODE } from './layout';
import { mesosDefaultsFiles } from './mesos-defaults-files';
import { serverTlsSettings } from './libprocess-tls-files';
import { MesosFlags, mesosFlagFiles } from './mesos-flag-files';
import { masterAuthFlags, MASTER_ACLS_FILE } from './mesos-auth';
import { mesosAcls } from './mesos-acls';
import { configFile, WriteFile } from './write-file';

/** The master's flags, each a file in /etc/mesos-master (LAYOUT.md 1.2). */
export function mesosMasterFlags(topology: ClusterTopology, server: QuorumServer): MesosFlags {
  return {
    quorum: String(topology.mesos.quorum),
    cluster: topology.cluster.name,
    // Not the package's /var/lib/mesos (shared with an agent) and never /tmp: the replicated
    // log lives here and must survive reboots.
    work_dir: MESOS.masterWorkDir,
    // The fixed private address, to bind and to advertise: names are not in DNS.
    ip: server.privateIp,
    hostname: server.privateIp,
    port: String(PORTS.mesosMaster),
    log_dir: MESOS.logDir,
    ...masterAuthFlags(),
  };
}

/** Rewrites register_agents from the credentials before every start (cloud-init/scripts/master-acls.sh). */
export const MASTER_ACLS_HELPER = 'master-acls';

export function mesosMasterFiles(topology: ClusterTopology, server: QuorumServer): WriteFile[] {
  return [
    configFile(MESOS.zkFile, `${topology.mesos.zkUrl}\n`),
    ...mesosDefaultsFiles('master', serverTlsSettings(topology)),
    ...mesosFlagFiles(MESOS.masterFlagDir, mesosMasterFlags(topology, server)),
    configFile(MASTER_ACLS_FILE, `${JSON.stringify(mesosAcls(topology))}\n`),
    configFile(
      '/etc/systemd/system/mesos-master.service.d/mesos-cluster-acls.conf',
      `# Written by cloud-init (mesos-cluster): register_agents names the credentials' agent principals.\n[Service]\nExecStartPre=${NODE.scriptDir}/${MASTER_ACLS_HELPER}\n`,
    ),
  ];
}
