import { PORTS } from '../model';

/** The `mesos_url` output: where an operator reaches Mesos, and how. */
export interface MesosUrl {
  readonly url: string;
  readonly description: string;
}

export interface MesosUrlSources {
  /** The cluster's `tls.mesos`: the masters speak only TLS and require a client certificate. */
  readonly tls: boolean;
  /** The UI load balancer's Mesos listener (`https://<load balancer>:5050`), if there is a load balancer. */
  readonly loadBalancer?: string;
  /** The edge's base URL (`https://<load balancer>`), if there is an edge. */
  readonly edge?: string;
  /** A master's private address, reached through the bastion. */
  readonly masterAddress: string;
}

/**
 * Without `tls.mesos`, the UI load balancer's Mesos listener (or, with no load balancer, a master
 * through the bastion). With it the load balancer fronts no Mesos (it cannot present a client
 * certificate): the edge's `/mesos/` route, which presents `tls/edge`, or with no edge a master's
 * HTTPS address through the bastion's SOCKS tunnel, the browser presenting `tls/operator`
 * (docs/ci-platform.md#the-mesos-ui).
 */
export function mesosUrl(sources: MesosUrlSources): MesosUrl {
  const tunnel = `${sources.tls ? 'https' : 'http'}://${sources.masterAddress}:${PORTS.mesosMaster}`;
  if (!sources.tls) return { url: sources.loadBalancer ?? tunnel, description: 'Mesos UI (admin CIDRs only)' };
  if (sources.edge !== undefined) {
    return { url: `${sources.edge}/mesos/`, description: "Mesos API through the edge's /mesos/ route (admin CIDRs only); the UI: docs/ci-platform.md#the-mesos-ui" };
  }
  return { url: tunnel, description: 'Mesos UI through the bastion (ssh -D), the browser presenting tls/operator: docs/ci-platform.md#the-mesos-ui' };
}
