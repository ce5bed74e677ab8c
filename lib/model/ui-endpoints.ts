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
  /** The load balancer's listener port (HTTPS, the cloud's certificate). */
  readonly port: number;
  /** Where the servers serve it, and how the load balancer speaks to them. */
  readonly targetPort: number;
  readonly targetProtocol: 'HTTP' | 'HTTPS';
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
    targetPort: PORTS.mesosMaster,
    targetProtocol: 'HTTP',
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
    targetPort: PORTS.marathonHttp,
    targetProtocol: 'HTTP',
    // Standby Marathons proxy to the leader, so every server may take traffic.
    healthPath: '/ping',
    // Marathon's basic authentication (docs/secrets.md) guards /ping too
    // (d2iq-archive/marathon#7207) and the load balancer has no credentials: a 401 from
    // Marathon's own HTTP server is the sign of life it can get.
    healthyCodes: '200,401',
    description: 'Marathon UI and API',
  },
];

/**
 * The cluster's `tls` as the load balancer sees it: `marathon` moves Marathon's targets to HTTPS;
 * `mesos` takes the Mesos UI off the load balancer, since the masters then require a client
 * certificate that neither an ALB nor Octavia (without Barbican) can present.
 */
export interface UiTls {
  readonly mesos: boolean;
  readonly marathon: boolean;
}

export const PLAIN_UIS: UiTls = { mesos: false, marathon: false };

/**
 * The UIs with `tls`: the listener ports stay (the operators' URLs do not change), Marathon's
 * targets move to its HTTPS port, and with `tls.mesos` the Mesos UI is not fronted at all (its
 * listener, targets, health check and firewall rules all go): a plain-HTTP hop to a master that
 * speaks only TLS would fail its health check. Load balancers encrypt to their targets but check
 * no certificate there (docs/security.md, "Credentials on the wire").
 */
export function uiEndpoints(tls: UiTls): readonly UiEndpoint[] {
  return UI_ENDPOINTS.filter((ui) => !(tls.mesos && ui.name === 'mesos')).map((ui) =>
    tls.marathon && ui.name === 'marathon' ? { ...ui, targetPort: PORTS.marathonHttps, targetProtocol: 'HTTPS' as const } : ui,
  );
}
