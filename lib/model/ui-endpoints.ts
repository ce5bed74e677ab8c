import { PORTS } from './ports';

/**
 * The UIs the load balancer fronts. Firewall rules, listeners, target groups and health checks
 * are all derived from this one table.
 */
export interface UiEndpoint {
  /** Stable name, part of resource addresses. */
  readonly name: 'mesos' | 'marathon';
  /** The servers that serve it: a firewall group and a service. */
  readonly service: 'mesos-master' | 'marathon';
  readonly port: number;
  /** Answers one of `healthyCodes` on the servers that should receive traffic. */
  readonly healthPath: string;
  /** Load balancer matcher syntax, e.g. `200` or `200,401`. */
  readonly healthyCodes: string;
  readonly description: string;
}

export const UI_ENDPOINTS: readonly UiEndpoint[] = [
  {
    name: 'mesos',
    service: 'mesos-master',
    port: PORTS.mesosMaster,
    // Standby masters answer /master/roles with a 307 to the leader's private address, which the
    // admin networks cannot follow; a leader-only 200 keeps the UI on the leader. (/health is 200
    // on every master.) With no healthy target the load balancer fails open to all of them.
    healthPath: '/master/roles',
    healthyCodes: '200',
    description: 'Mesos UI',
  },
  {
    name: 'marathon',
    service: 'marathon',
    port: PORTS.marathonHttp,
    // Standby Marathons proxy to the leader, so every server may take traffic.
    healthPath: '/ping',
    // Marathon's basic authentication (docs/secrets.md) guards /ping too
    // (d2iq-archive/marathon#7207) and the load balancer has no credentials: a 401 from
    // Marathon's own HTTP server is the sign of life it can get.
    healthyCodes: '200,401',
    description: 'Marathon UI and API',
  },
];
