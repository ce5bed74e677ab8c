import { AGENT_DRAIN, ClusterTopology, PORTS, QuorumServer } from '../model';
import { NODE, UnitGroup } from './layout';
import { TLS_FILES } from './libprocess-tls-files';
import { MASTER_SECRET_FILES } from './mesos-auth';
import { readStatic, renderTemplate } from './templates';
import { configFile, scriptFile, WriteFile } from './write-file';

/**
 * The drain gate on every master: Mesos 1.11 cannot limit DRAIN_AGENT to the caller's own agent
 * (its ACL object is ANY or NONE), so only the operator may drain, and this gate drains for an
 * agent with the operator's credential, only the agent at the caller's own address and of the
 * caller's pool (cloud-init/scripts/drain-gate.py).
 */
export const DRAIN_GATE_SCRIPT = `${NODE.scriptDir}/drain-gate`;
export const DRAIN_GATE_UNITS: UnitGroup[] = ['drain-gate'];

/** `ip:port` of every master's gate: agents ask the first that answers. */
export function drainGates(topology: ClusterTopology): string {
  return topology.mesos.masters.map((m) => `${m.privateIp}:${PORTS.drainGate}`).join(',');
}

/**
 * With tls.mesos the gate serves HTTPS with the master's certificate, requires the agents' (from
 * the cluster CA, through their pool's CA) and presents its own to its master, which requires one.
 */
export function drainGateFiles(topology: ClusterTopology, server: QuorumServer): WriteFile[] {
  const tls = topology.cluster.tls.mesos ? { ca: TLS_FILES.ca, certificate: TLS_FILES.server } : undefined;
  const unit = renderTemplate('mesos/drain-gate.service.ejs', {
    script: DRAIN_GATE_SCRIPT,
    address: server.privateIp,
    port: PORTS.drainGate,
    master: `${server.privateIp}:${PORTS.mesosMaster}`,
    credentials: MASTER_SECRET_FILES.credentials,
    graceSeconds: AGENT_DRAIN.taskGraceSeconds,
    tls,
  });
  return [scriptFile(DRAIN_GATE_SCRIPT, readStatic('scripts/drain-gate.py')), configFile('/etc/systemd/system/mesos-drain-gate.service', unit)];
}
