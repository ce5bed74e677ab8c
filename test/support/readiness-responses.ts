/**
 * Responses of Mesos 1.11 and Marathon 1.10 as the readiness probes see them, shaped after the
 * team's reference data extracted from upstream, not recorded from running servers. The master's
 * keys and their types are checked against the real Mesos 1.11.0 in real-mesos-cluster.test.ts
 * (no real Marathon exists here):
 * - `/metrics/snapshot`: a flat object of metric name to number, every master answering for
 *   itself; `registrar/log/recovered` is 1 once the replicated log has recovered and exists only
 *   with the replicated-log registry (apache/mesos@1.11.0 src/log/metrics.cpp,
 *   src/master/main.cpp, docs/monitoring.md).
 * - `/v2/leader`: 200 `LeaderInfo` {leader: "host:port"} from the leader and its followers,
 *   404 `Message` while none is elected (mesosphere/marathon@v1.10.26
 *   docs/docs/rest-api/public/api/v2/leader.raml).
 */
const masterMetrics = (recovered: 0 | 1, elected: 0 | 1) => ({
  'master/elected': elected,
  'master/uptime_secs': 42.5,
  'registrar/log/recovered': recovered,
  'registrar/log/ensemble_size': 3,
  'master/slaves_active': 0,
  'master/frameworks_active': 0,
});

export const MASTER_METRICS = {
  /** A follower whose replicated log has caught up. */
  recovered: masterMetrics(1, 0),
  /** Up and answering /health, log still recovering. */
  recovering: masterMetrics(0, 0),
  /** A registry other than the replicated log: the key is missing. */
  withoutLog: { 'master/elected': 1, 'master/uptime_secs': 3.0 },
} as const;

export const MARATHON_LEADER = {
  elected: { leader: '10.20.3.10:8080' },
  none: { message: 'There is no leader' },
} as const;
