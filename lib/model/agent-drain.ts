/**
 * How long an agent may take to drain before it is removed, shared by the agent's drain script
 * (cloud-init) and each cloud's removal hook, so that the cloud never cuts a drain short.
 */
export const AGENT_DRAIN = {
  /** Upper bound on each task's kill grace period during a drain (Mesos DRAIN_AGENT max_grace_period). */
  taskGraceSeconds: 120,
  /** How long the drain script waits for the agent to report DRAINED before it gives up. */
  waitSeconds: 600,
  /** Room for the calls around the wait (finding the leader, completing the removal). */
  marginSeconds: 120,
} as const;

/** The longest a drain can take end to end: the cloud's removal hook waits at least this long. */
export const AGENT_DRAIN_BOUND_SECONDS = AGENT_DRAIN.waitSeconds + AGENT_DRAIN.marginSeconds;
