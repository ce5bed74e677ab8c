import { AgentPoolTopology } from '../model';
import { MESOS, UnitGroup } from './layout';
import { DOCKER_SOCKET } from './mesos-agent-files';
import { renderTemplate } from './templates';
import { configFile, WriteFile } from './write-file';

/**
 * The Docker daemon's authorization plugin on build agents: Open Policy Agent's opa-docker-authz
 * (v0.9), baked into the image (image/provision.sh) and run as a legacy plugin, whose socket the
 * daemon finds under /run/docker/plugins by this name.
 */
export const DOCKER_AUTHZ = {
  plugin: 'opa-docker-authz',
  binary: '/usr/local/bin/opa-docker-authz',
  policy: '/etc/docker/authz.rego',
  daemonConfig: '/etc/docker/daemon.json',
  /** The decision the plugin asks the policy for (its default --allowPath). */
  decision: 'data.docker.authz.allow',
} as const;

/** Where Mesos keeps task sandboxes, the only host paths a container may bind (besides the socket for Mesos' own tasks). */
export const SANDBOX_ROOT = `${MESOS.agentWorkDir}/slaves`;

/**
 * Pools whose agents run builds: Docker, on the unreserved role the Jenkins masters' builds use.
 * Pools reserved for a role (the Jenkins masters') run trusted apps that need the host network.
 */
export function runsBuilds(pool: AgentPoolTopology): boolean {
  return pool.docker && pool.mesosRole === '*';
}

export interface DockerAuthzPaths {
  /** @default SANDBOX_ROOT */
  readonly sandboxRoot?: string;
  /** @default DOCKER_SOCKET */
  readonly dockerSocket?: string;
}

/**
 * The Rego policy. The socket is listed with /var/run resolved too, as the plugin resolves bind
 * sources; tests give a daemon's own paths.
 */
export function dockerAuthzPolicy(paths: DockerAuthzPaths = {}): string {
  const dockerSocket = paths.dockerSocket ?? DOCKER_SOCKET;
  return renderTemplate('docker/authz.rego.ejs', {
    sandboxRoot: paths.sandboxRoot ?? SANDBOX_ROOT,
    dockerSocket,
    dockerSocketResolved: dockerSocket.replace(/^\/var\/run\//, '/run/'),
  });
}

/**
 * daemon.json of a build agent. BuildKit's own escapes are entitlements the daemon grants: both
 * off, so `RUN --network=host` and `--security=insecure` are refused by the daemon itself.
 */
export function dockerDaemonConfig(): Record<string, unknown> {
  return {
    'authorization-plugins': [DOCKER_AUTHZ.plugin],
    builder: { entitlements: { 'network-host': false, 'security-insecure': false } },
  };
}

export function dockerAuthzUnits(pool: AgentPoolTopology): UnitGroup[] {
  return runsBuilds(pool) ? ['docker-authz'] : [];
}

export function dockerAuthzFiles(pool: AgentPoolTopology): WriteFile[] {
  if (!runsBuilds(pool)) return [];
  return [
    configFile(DOCKER_AUTHZ.policy, dockerAuthzPolicy()),
    configFile(DOCKER_AUTHZ.daemonConfig, `${JSON.stringify(dockerDaemonConfig(), null, 1)}\n`),
    // The daemon starts only with its plugin: without it every request would fail anyway, and
    // the plugin's own start checks the policy (an absent policy file makes it allow everything).
    configFile(
      '/etc/systemd/system/docker.service.d/mesos-cluster-authz.conf',
      `# Written by cloud-init (mesos-cluster): build agents' Docker asks ${DOCKER_AUTHZ.plugin} about every request.\n[Unit]\nRequires=${DOCKER_AUTHZ.plugin}.service\nAfter=${DOCKER_AUTHZ.plugin}.service\n`,
    ),
  ];
}
