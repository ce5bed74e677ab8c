import { agentPrincipal, ClusterTopology, mesosPrincipals, OPERATOR_PRINCIPAL } from '../model';

/**
 * The masters' `--acls` (Mesos 1.11 local authorizer), derived from the cluster's principals.
 * Not permissive: an action no entry allows is refused. Entry names and their object fields are
 * checked against reference/mesos/mesos-acls.json.
 *
 * What Mesos 1.11 can express, and what it cannot:
 * - register_frameworks binds a principal to roles: only `marathon` registers with the `marathon`
 *   role, `jenkins` only with `*`; no other principal registers a framework at all.
 * - register_agents names the pools' agent principals; its object is implicit (ANY or NONE), so
 *   Mesos cannot tie an agent principal to its pool's reserved role or attributes
 *   (docs/security.md#what-mesos-111-cannot-enforce). A new pool's principal reaches running
 *   masters with the credentials document it is in: the master-acls step rewrites this entry
 *   from that document whenever mesos-master starts.
 * - Everything that changes the cluster from outside a framework (teardown, maintenance,
 *   deactivation, draining, quota, weights, logs, sandboxes) is the operator's only. Drain,
 *   reactivate and mark gone have an implicit object too (acls.proto DrainAgent: ANY or NONE),
 *   so no agent principal may hold them: an agent drains itself through the masters' drain
 *   gate, which holds the operator's credential and drains only the caller's own agent
 *   (drain-gate-files.ts).
 * - Read-only views stay open to anyone: the web UI and the load balancer's leader check read
 *   them without credentials (masters run without --authenticate_http_readonly).
 */
type Entity = { readonly values: readonly string[] } | { readonly type: 'ANY' | 'NONE' };
type AclEntry = Readonly<Record<string, Entity>>;

const ANY: Entity = { type: 'ANY' };
const some = (...values: string[]): Entity => ({ values });

/** Actions with their object field: the operator alone may do them, on anything. */
const OPERATOR_ONLY: readonly (readonly [string, string])[] = [
  ['teardown_frameworks', 'framework_principals'],
  ['update_weights', 'roles'],
  ['update_quotas', 'roles'],
  ['access_sandboxes', 'users'],
  ['access_mesos_logs', 'logs'],
  ['set_log_level', 'level'],
  ['update_maintenance_schedules', 'machines'],
  ['start_maintenances', 'machines'],
  ['stop_maintenances', 'machines'],
  ['deactivate_agents', 'agents'],
  ['drain_agents', 'agents'],
  ['reactivate_agents', 'agents'],
  ['mark_agents_gone', 'agents'],
];

/** Read-only views: anyone, with or without credentials. */
const VIEWS: readonly (readonly [string, string])[] = [
  ['view_frameworks', 'users'],
  ['view_tasks', 'users'],
  ['view_executors', 'users'],
  ['view_roles', 'roles'],
  ['view_flags', 'flags'],
  ['get_quotas', 'roles'],
  ['get_maintenance_schedules', 'machines'],
  ['get_maintenance_statuses', 'machines'],
];

export function mesosAcls(topology: ClusterTopology): Record<string, unknown> {
  // A pool reserved for a role (default_role) registers its resources as static reservations,
  // which Mesos 1.11 authorizes as RESERVE_RESOURCES of the agent's principal at registration
  // (apache/mesos@1.11.0 src/master/master.cpp:6314 "Not authorized to register agent providing
  // resources", seen on the real master): such a pool's principal may reserve its own role only.
  const reservedPools = topology.pools.filter((p) => p.mesosRole !== '*');
  const principals = mesosPrincipals(topology);
  const frameworks = principals.filter((p) => p.kind === 'framework');
  const operator = some(OPERATOR_PRINCIPAL);
  const agents = principals.filter((p) => p.kind === 'agent');
  // Reservations and volumes: a framework within its own roles and its own reservations.
  const withinOwnRoles = (field: string): AclEntry[] => [
    ...frameworks.map((f) => ({ principals: some(f.principal), [field]: some(...(f.roles ?? [])) })),
    { principals: operator, [field]: ANY },
  ];
  const ownOnly = (field: string): AclEntry[] => [
    ...frameworks.map((f) => ({ principals: some(f.principal), [field]: some(f.principal) })),
    { principals: operator, [field]: ANY },
  ];
  return {
    permissive: false,
    register_frameworks: frameworks.map((f) => ({ principals: some(f.principal), roles: some(...(f.roles ?? [])) })),
    run_tasks: [{ principals: some(...frameworks.map((f) => f.principal)), users: ANY }],
    // The pools' principals (master-acls rewrites the list from the credentials at start).
    register_agents: [{ principals: some(...agents.map((a) => a.principal)), agents: ANY }],
    reserve_resources: [
      ...reservedPools.map((p) => ({ principals: some(agentPrincipal(p.name)), roles: some(p.mesosRole) })),
      ...withinOwnRoles('roles'),
    ],
    unreserve_resources: ownOnly('reserver_principals'),
    create_volumes: withinOwnRoles('roles'),
    destroy_volumes: ownOnly('creator_principals'),
    get_endpoints: [
      // The web UI polls the metrics; the other endpoints (/files/debug, /logging/toggle, ...) are the operator's.
      { principals: ANY, paths: some('/metrics/snapshot') },
      { principals: operator, paths: ANY },
    ],
    ...Object.fromEntries(OPERATOR_ONLY.map(([action, field]) => [action, [{ principals: operator, [field]: ANY }]])),
    ...Object.fromEntries(VIEWS.map(([action, field]) => [action, [{ principals: ANY, [field]: ANY }]])),
  };
}
