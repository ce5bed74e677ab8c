import { AgentPoolTopology, ClusterTopology, PORTS } from '../model';
import { MESOS } from './layout';
import { agentAuthFlags } from './mesos-auth';
import { mesosDefaultsFiles } from './mesos-defaults-files';
import { agentTlsSettings, executorTlsEnvironment } from './libprocess-tls-files';
import { mesosAttributeFiles, MesosFlags, mesosFlagFiles } from './mesos-flag-files';
import { renderTemplate } from './templates';
import { configFile, WriteFile } from './write-file';

/** Where the Docker daemon listens; builds mount the same socket (docs/cloud-init.md). */
export const DOCKER_SOCKET = '/var/run/docker.sock';

/** How long an executor has to register, its image pull included (see mesosAgentFlags). */
export const EXECUTOR_REGISTRATION_TIMEOUT = '5mins';

/** Per task and stream: at most this file plus SANDBOX_LOG_ROTATIONS rotated ones. */
export const SANDBOX_LOG_MAX_SIZE = '20MB';
export const SANDBOX_LOG_ROTATIONS = 5;

/**
 * `--modules` for the logrotate container logger, so task stdout/stderr in the sandbox are
 * rotated instead of growing until the disk is full. Module parameters: apache/mesos@1.11.0
 * src/slave/container_loggers/lib_logrotate.hpp.
 */
export function containerLoggerModules(): string {
  const options = `rotate ${SANDBOX_LOG_ROTATIONS}`;
  const parameters = {
    launcher_dir: MESOS.launcherDir,
    max_stdout_size: SANDBOX_LOG_MAX_SIZE,
    logrotate_stdout_options: options,
    max_stderr_size: SANDBOX_LOG_MAX_SIZE,
    logrotate_stderr_options: options,
  };
  // Indented: one line of it would exceed the line length the cloud-config documents keep.
  const modules = {
    libraries: [
      {
        file: MESOS.containerLoggerLibrary,
        modules: [{ name: MESOS.containerLoggerModule, parameters: Object.entries(parameters).map(([key, value]) => ({ key, value })) }],
      },
    ],
  };
  return JSON.stringify(modules, null, 1);
}

/**
 * The agent's flags, each a file in /etc/mesos-agent. `ip` and `hostname` are written at boot
 * by agent-identity, since agents of a pool share one document.
 */
export function mesosAgentFlags(topology: ClusterTopology, pool: AgentPoolTopology): MesosFlags {
  return {
    master: topology.mesos.zkUrl,
    work_dir: MESOS.agentWorkDir,
    port: String(PORTS.mesosAgent),
    log_dir: MESOS.logDir,
    // Agent recovery: reconnect to executors that outlived an agent restart, and treat any
    // recovery error as fatal. Checkpointing itself is the framework's choice (Marathon's
    // --checkpoint is on); the agent's own --checkpoint flag was removed in Mesos 0.22.
    recover: 'reconnect',
    strict: true,
    recovery_timeout: '15mins',
    ...agentAuthFlags(),
    // Memory limits and CPU shares per container (cgroups v1: Mesos 1.11 has no v2 support);
    // filesystem/linux + docker/runtime let the Mesos containerizer run Docker images too.
    isolation: `cgroups/cpu,cgroups/mem,filesystem/linux,docker/runtime${pool.volume ? ',volume/host_path' : ''}`,
    image_providers: 'DOCKER',
    // Every pool runs container images (Jenkins masters too, through the Mesos containerizer),
    // and Mesos starts this timer when it asks the containerizer to launch, before the image
    // is pulled (apache/mesos@1.11.0 src/slave/slave.cpp Slave::launchExecutor, lines
    // 3884-3899; default 1min, src/slave/constants.hpp:35). Mesos' Docker docs advise 5mins.
    executor_registration_timeout: EXECUTOR_REGISTRATION_TIMEOUT,
    // The default is under /tmp, which is cleaned at boot.
    docker_store_dir: `${MESOS.agentWorkDir}/store/docker`,
    // Sandbox logs rotated by size (the default logger lets them grow without bound).
    modules: containerLoggerModules(),
    container_logger: MESOS.containerLoggerModule,
    ...(pool.mesosRole !== '*' && {
      // Static reservation of the whole agent: every auto-detected resource goes to the pool's
      // role. Per-resource files (cpus(role):N) would need each instance size's numbers at
      // render time; default_role follows whatever size the pool is given.
      default_role: pool.mesosRole,
    }),
    ...(pool.volume && {
      // Apps keep their data in folders of the data volume (apps/: <mountPath>/<app>); the
      // host_path isolator creates a missing folder there, and nowhere else.
      host_path_volume_force_creation: pool.volume.mountPath,
    }),
    ...(pool.docker && {
      containerizers: 'docker,mesos',
      docker_socket: DOCKER_SOCKET,
    }),
    ...(executorTlsEnvironment(topology) && {
      // Executors speak TLS to this agent with its certificate (libprocess-tls-files.ts).
      executor_environment_variables: JSON.stringify(executorTlsEnvironment(topology)),
    }),
  };
}

export function mesosAgentFiles(topology: ClusterTopology, pool: AgentPoolTopology): WriteFile[] {
  return [
    configFile(MESOS.zkFile, `${topology.mesos.zkUrl}\n`),
    ...mesosDefaultsFiles('agent', agentTlsSettings(topology)),
    ...mesosFlagFiles(MESOS.agentFlagDir, mesosAgentFlags(topology, pool)),
    ...mesosAttributeFiles(MESOS.agentFlagDir, pool.attributes),
    configFile(
      '/etc/systemd/system/mesos-slave.service.d/mesos-cluster.conf',
      renderTemplate('mesos/agent-unit.conf.ejs', { pool: pool.name, mountPath: pool.volume?.mountPath, docker: pool.docker }),
    ),
  ];
}
