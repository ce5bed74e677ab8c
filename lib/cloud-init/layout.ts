/**
 * Where the base image's packages read their configuration, in one place for the renderer,
 * the tests and docs/cloud-init.md. Sources: reference/mesos/LAYOUT.md.
 *
 * Mesos layout: the "agent" spelling of mesos-init-wrapper, as shipped by mesos/mesos-packaging
 * (the community fork that builds Mesos 1.11 for Debian 11+) and by Apache's own RPM spec
 * (LAYOUT.md 1.3): flags in /etc/mesos-agent, unit still named mesos-slave.service.
 */
export const MESOS = {
  /** Read by the wrapper for both roles before the role's own defaults file. */
  defaultsCommon: '/etc/default/mesos',
  masterDefaults: '/etc/default/mesos-master',
  agentDefaults: '/etc/default/mesos-agent',
  masterFlagDir: '/etc/mesos-master',
  agentFlagDir: '/etc/mesos-agent',
  /** Not read by the wrapper; kept current for operators and tools that look for it. */
  zkFile: '/etc/mesos/zk',
  wrapper: '/usr/bin/mesos-init-wrapper',
  masterWorkDir: '/var/lib/mesos/master',
  agentWorkDir: '/var/lib/mesos/agent',
  logDir: '/var/log/mesos',
  /** Compile-time --launcher_dir of a --prefix=/usr build; holds mesos-logrotate-logger. */
  launcherDir: '/usr/libexec/mesos',
  /** The sandbox log rotator module (apache/mesos@1.11.0 docs/logging.md "LogrotateContainerLogger"). */
  containerLoggerLibrary: '/usr/lib/liblogrotate_container_logger.so',
  containerLoggerModule: 'org_apache_mesos_LogrotateContainerLogger',
} as const;

export const ZOOKEEPER = {
  /** Debian: /etc/zookeeper/conf -> alternatives -> conf_example. */
  config: '/etc/zookeeper/conf/zoo.cfg',
  dataDir: '/var/lib/zookeeper',
} as const;

/** Marathon 1.5+ reads only this file (systemd EnvironmentFile syntax). */
export const MARATHON_DEFAULTS = '/etc/default/marathon';

/** The framework name Marathon registers with: its default, which marathonSettings leaves alone (reference/mesos/marathon-flags.json `framework_name`). */
export const MARATHON_FRAMEWORK_NAME = 'marathon';

/** The Mesos role Marathon registers with (a model fact: the Mesos ACLs name it too). */
export { MARATHON_MESOS_ROLE } from '../model';

/** Files of this project on every node. */
export const NODE = {
  facts: '/etc/mesos-cluster/facts.env',
  /** Written at boot by agent-identity: the agent's own name and address. */
  runtimeFacts: '/etc/mesos-cluster/node.env',
  hosts: '/etc/hosts',
  scriptDir: '/usr/local/lib/mesos-cluster',
  readyMarker: '/var/lib/mesos-cluster/ready',
} as const;

/**
 * Secrets fetched at boot (cloud-init/scripts/fetch-secrets.sh): user-data carries only the
 * templates, with `{{name}}` where a secret's value goes, and the manifest of what to write.
 */
export const SECRETS = {
  dir: '/etc/mesos-cluster/secrets',
  templateDir: '/etc/mesos-cluster/secret-templates',
  manifest: '/etc/mesos-cluster/secrets.manifest',
} as const;

/**
 * Helper scripts that come with the image (image/provision.sh installs them into
 * NODE.scriptDir) instead of with every node's user data, which AWS caps at 16 KiB.
 */
export const IMAGE_HELPERS: readonly string[] = ['check-image'];

/**
 * systemd units per service. image/provision.sh installs the services' own units (image/units)
 * and leaves them all disabled; the agent-drain units come with an agent's user data. cloud-init
 * enables the node's groups and masks the rest.
 */
export const UNITS = {
  zookeeper: ['zookeeper'],
  'mesos-master': ['mesos-master'],
  'mesos-agent': ['mesos-slave'],
  marathon: ['marathon'],
  /**
   * docker.socket too, or socket activation would start a masked daemon's socket. The image's
   * docker-prune.timer is wanted by docker.service: it runs wherever Docker does.
   */
  docker: ['docker', 'docker.socket'],
  /** Build agents: the Docker daemon's authorization plugin (docker-authz-files.ts), from the image. */
  'docker-authz': ['opa-docker-authz'],
  /** Every agent: the metadata service for root on the host only (metadata-guard-files.ts). */
  'metadata-guard': ['mesos-cluster-metadata-guard'],
  /** The Jenkins masters' HAProxy to the leading Mesos master (framework-proxy-files.ts). */
  'framework-proxy': ['mesos-framework-proxy'],
  /** The edge's nginx and its route generator. */
  edge: ['nginx', 'mesos-cluster-edge'],
  /** Masters: drains an agent for that agent alone, with the operator's credential (drain-gate-files.ts). */
  'drain-gate': ['mesos-drain-gate'],
  /** Drains the agent on shutdown, reactivates it at boot (agent-drain-files.ts). */
  'agent-drain': ['mesos-agent-drain'],
  /** Auto Scaling agents: termination hook and health (agent-drain-files.ts). */
  'agent-lifecycle': ['mesos-agent-lifecycle.timer'],
  /** AWS volume-backed agents: the agent's health as a CloudWatch metric (agent-health-files.ts). */
  'agent-health': ['mesos-agent-health.timer'],
  /**
   * AWS's SSM agent, baked into the image (image/provision.sh) and run only on clusters with
   * aws.sessionManager; masked everywhere else like any other role's unit.
   */
  'session-manager': ['amazon-ssm-agent'],
} as const;

/**
 * Units that come only with the user data of the nodes that run them, never with the image:
 * absent on every other node, so there is nothing to mask there.
 */
export const USER_DATA_UNITS = {
  /** AWS masters of clusters with elastic pools: each pool's CPU share to CloudWatch (pool-usage-files.ts). */
  'pool-usage': ['mesos-pool-usage.timer'],
} as const;

export type UnitGroup = keyof typeof UNITS | keyof typeof USER_DATA_UNITS;
