import { Construct } from 'constructs';
import { ClusterLabels, PLAIN_UIS, PORTS, UiEndpoint, uiEndpoints, UiTls } from '../model';
import { EdgeHttpRedirect } from './edge-http-redirect';
import { TLS_VERSIONS } from './edge';
import { LbListenerV2 } from './generated/providers/openstack/lb-listener-v2';
import { LbLoadbalancerV2 } from './generated/providers/openstack/lb-loadbalancer-v2';
import { LbMemberV2 } from './generated/providers/openstack/lb-member-v2';
import { LbMonitorV2 } from './generated/providers/openstack/lb-monitor-v2';
import { LbPoolV2 } from './generated/providers/openstack/lb-pool-v2';
import { NetworkingFloatingipAssociateV2 } from './generated/providers/openstack/networking-floatingip-associate-v2';
import { NetworkingFloatingipV2 } from './generated/providers/openstack/networking-floatingip-v2';

export interface UiLoadBalancerProps {
  /** The cluster's name and tags, for the names and metadata of its resources. */
  readonly cluster: ClusterLabels;
  /** The only networks the UI listeners admit (`network.adminCidrs`). */
  readonly adminCidrs: readonly string[];
  /** Octavia's provider driver (`openstack.loadBalancer.provider`). @default - the cloud's default provider */
  readonly provider?: string;
  /** The subnet of the load balancer's address (VIP). */
  readonly subnetId: string;
  readonly securityGroupId: string;
  /** More groups on the VIP port (the edge listener's). @default [] */
  readonly extraSecurityGroupIds?: string[];
  readonly floatingIpPool: string;
  /** The Barbican container ref of the listeners' certificate (`openstack.loadBalancer.tlsContainerRef`), as the edge's. */
  readonly tlsContainerRef: string;
  /**
   * Whether port 80 is the edge's (its redirect to its 443); without an edge the load balancer
   * redirects port 80 to the Marathon UI's HTTPS port itself, as on AWS.
   */
  readonly edgeOwnsHttp: boolean;
  /** Private addresses by server name, for each service a UI runs on. */
  readonly targets: (service: UiEndpoint['service']) => ReadonlyMap<string, string>;
  /** The cluster's `tls`: with `marathon`, Marathon's pool re-encrypts (tls_enabled; no CA given, so unverified); with `mesos`, no Mesos listener (the masters require a client certificate). @default none */
  readonly tls?: UiTls;
}

/**
 * An Octavia load balancer in front of the Marathon UI and, without `tls.mesos`, the Mesos UI
 * (ui-endpoints.ts): a TERMINATED_HTTPS listener
 * (the operator's Marathon password crosses it), a pool with a health monitor and a member per
 * server for each UI. Listeners admit the admin CIDRs only (`allowed_cidrs`, besides the VIP's
 * security group); the VIP is reached by a floating IP. Plain HTTP on 80 only redirects.
 */
export class UiLoadBalancer extends Construct {
  readonly loadBalancer: LbLoadbalancerV2;
  readonly address: NetworkingFloatingipV2;

  constructor(scope: Construct, id: string, props: UiLoadBalancerProps) {
    super(scope, id);
    const { cluster } = props;
    const tls = props.tls ?? PLAIN_UIS;
    const loadBalancer = new LbLoadbalancerV2(this, 'load-balancer', {
      name: `${cluster.name}-ui`,
      vipSubnetId: props.subnetId,
      securityGroupIds: [props.securityGroupId, ...(props.extraSecurityGroupIds ?? [])],
      loadbalancerProvider: props.provider,
      // With tls.mesos only Marathon's UI (ui-endpoints.ts); the text of clusters without it is kept.
      description: tls.mesos ? `${cluster.name}: the Marathon UI for the admin networks` : `${cluster.name}: Mesos and Marathon UIs for the admin networks`,
    });
    for (const ui of uiEndpoints(tls)) {
      const https = ui.targetProtocol === 'HTTPS';
      const listener = new LbListenerV2(this, `${ui.name}-listener`, {
        name: `${cluster.name}-${ui.name}-ui`,
        loadbalancerId: loadBalancer.id,
        protocol: 'TERMINATED_HTTPS',
        protocolPort: ui.port,
        defaultTlsContainerRef: props.tlsContainerRef,
        tlsVersions: TLS_VERSIONS,
        allowedCidrs: [...props.adminCidrs],
        description: `${ui.description} for the admin networks, over HTTPS`,
      });
      const pool = new LbPoolV2(this, `${ui.name}-pool`, {
        name: `${cluster.name}-${ui.name}-ui`,
        listenerId: listener.id,
        // A TERMINATED_HTTPS listener takes HTTP pools only; tls_enabled makes one speak TLS to its members.
        protocol: 'HTTP',
        ...(https ? { tlsEnabled: true } : {}),
        lbMethod: 'ROUND_ROBIN',
      });
      new LbMonitorV2(this, `${ui.name}-monitor`, {
        poolId: pool.id,
        type: https ? 'HTTPS' : 'HTTP',
        urlPath: ui.healthPath,
        expectedCodes: '200',
        delay: 10,
        timeout: 5,
        maxRetries: 3,
      });
      for (const [server, address] of props.targets(ui.service)) {
        new LbMemberV2(this, `${ui.name}-${server}`, { name: server, poolId: pool.id, address, protocolPort: ui.targetPort });
      }
    }
    this.loadBalancer = loadBalancer;
    this.address = new NetworkingFloatingipV2(this, 'floating-ip', { pool: props.floatingIpPool, description: `${cluster.name} UI load balancer` });
    new NetworkingFloatingipAssociateV2(this, 'floating-ip-association', { floatingIp: this.address.address, portId: loadBalancer.vipPortId });
    if (!props.edgeOwnsHttp) {
      new EdgeHttpRedirect(this, 'http-redirect', {
        clusterName: cluster.name,
        nameSuffix: 'ui-http',
        loadBalancerId: loadBalancer.id,
        allowedCidrs: props.adminCidrs,
        httpsPrefix: this.url(PORTS.marathonHttp),
        description: 'Plain HTTP to the UIs: only a redirect to the Marathon UI over HTTPS (admin CIDRs)',
      });
    }
  }

  url(port: number): string {
    return `https://${this.address.address}:${port}`;
  }
}
