/** The services a quorum server runs. */
export type ServiceRole = 'zookeeper' | 'mesos-master' | 'marathon';

/** What a quorum server is: one service, or all three when colocated (`control`). */
export type ServerRole = ServiceRole | 'control';

export type AgentRole = 'mesos-agent';

/** The `role` tag values: a colocated server is `control`, with its services in a `services` tag. */
export type NodeRoleTag = ServerRole | AgentRole | 'bastion' | 'edge';

/** Node name prefixes: `zookeeper-1`, `master-1`, `marathon-1`, `control-1`. */
export const SERVER_NAME_PREFIX: Record<ServerRole, string> = {
  zookeeper: 'zookeeper',
  'mesos-master': 'master',
  marathon: 'marathon',
  control: 'control',
};

/** The services each kind of server runs. */
export const SERVICES_OF: Record<ServerRole, readonly ServiceRole[]> = {
  zookeeper: ['zookeeper'],
  'mesos-master': ['mesos-master'],
  marathon: ['marathon'],
  control: ['zookeeper', 'mesos-master', 'marathon'],
};

/** Where each kind of server is described in the cluster file, for problem paths. */
export const SPEC_PATH_OF: Record<ServerRole, string> = {
  zookeeper: 'zookeeper',
  'mesos-master': 'masters',
  marathon: 'marathon',
  control: 'colocate',
};

/** The Mesos role Marathon registers with; agents of pools reserved for it offer to it. */
export const MARATHON_MESOS_ROLE = 'marathon';
