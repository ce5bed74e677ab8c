/**
 * What the real Mesos 1.11.0 does with the rendered ACLs (lib/cloud-init/mesos-acls.ts) and
 * authentication flags (lib/cloud-init/mesos-auth.ts), in one place: the real-Mesos tests assert
 * these outcomes, so a change to the ACLs or auth flags changes this table and nothing else.
 * Principals: `jenkins` and `marathon` (frameworks), `operator`, `agent-<pool>` (agents).
 */

/** SUBSCRIBE on the v1 scheduler API (HTTP basic): accepted, or an ERROR event "Not authorized". */
export const SUBSCRIBE_OUTCOMES: readonly { readonly principal: string; readonly roles: readonly string[]; readonly accepted: boolean }[] = [
  { principal: 'jenkins', roles: ['*'], accepted: true },
  { principal: 'jenkins', roles: ['marathon'], accepted: false },
  { principal: 'marathon', roles: ['marathon'], accepted: true },
  { principal: 'marathon', roles: ['*'], accepted: false },
  { principal: 'operator', roles: ['*'], accepted: false },
  // An agent's principal is in the credentials, but not a framework.
  { principal: 'agent-builds', roles: ['*'], accepted: false },
];

/**
 * HTTP status of DRAIN_AGENT (and then REACTIVATE_AGENT) on a `builds` agent, by principal.
 * The operator alone: agents drain themselves through the masters' drain gate
 * (test/cloud-init/drain-gate.test.ts), which holds the operator's credential.
 */
export const DRAIN_OUTCOMES: Readonly<Record<string, number>> = {
  marathon: 403,
  jenkins: 403,
  operator: 200,
  'agent-builds': 403,
  'agent-jenkins-masters': 403,
};

/** POST /master/teardown of a framework `jenkins` subscribed, by principal (undefined: no credentials). */
export const TEARDOWN_OUTCOMES: readonly { readonly principal?: string; readonly status: number }[] = [
  { status: 401 },
  { principal: 'jenkins', status: 403 },
  { principal: 'marathon', status: 403 },
  { principal: 'operator', status: 200 },
];

/**
 * GET /state on a `builds` agent (read-only endpoints authenticated, --http_credentials holding
 * only the pool's principal): no one else, the operator included, reads it.
 */
export const AGENT_STATE_OUTCOMES: readonly { readonly principal?: string; readonly status: number }[] = [
  { status: 401 },
  { principal: 'agent-builds', status: 200 },
  { principal: 'operator', status: 401 },
];

/**
 * Whether an agent of a pool with a reserved role (jenkins-masters: --default_role=marathon)
 * registers. Mesos 1.11 authorizes RESERVE_RESOURCES for an agent's static reservations at
 * registration (master.cpp "Not authorized to register agent providing resources ..."):
 * reserve_resources lets each reserved pool's principal reserve its own role.
 */
export const RESERVED_POOL_AGENT_REGISTERS = true;

/**
 * Whether a task group (the default executor: Marathon pods) runs on a `builds` agent. The agents
 * guard their v1 API with --authenticate_http_readwrite, and the default executor launches its
 * tasks as nested containers through that API with the token the agent signed for it
 * (--authenticate_http_executors, --jwt_secret_key): TASK_FINISHED.
 */
export const DEFAULT_EXECUTOR_RUNS = true;
