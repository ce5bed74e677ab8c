import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { ClusterLabels, EDGE_ROOT_GIB, PORTS, ResolvedEdge, ResolvedOpenstackSettings } from '../model';
import { ComputeServergroupV2 } from './generated/providers/openstack/compute-servergroup-v2';
import { LbListenerV2 } from './generated/providers/openstack/lb-listener-v2';
import { LbMemberV2 } from './generated/providers/openstack/lb-member-v2';
import { LbMonitorV2 } from './generated/providers/openstack/lb-monitor-v2';
import { LbPoolV2 } from './generated/providers/openstack/lb-pool-v2';
import { EdgeHttpRedirect } from './edge-http-redirect';
import { nodeMetadata, StackMetadata } from './metadata';
import { NamedServersPlacement, namedServers } from './named-servers';
import { AFFINITY_POLICY } from './quorum-servers';

export interface EdgeProps extends NamedServersPlacement {
  /** The cluster's name and tags, for the names and metadata of its resources. */
  readonly cluster: ClusterLabels;
  /** Admitted to the edge with `edge.cidrs` (`network.adminCidrs`). */
  readonly adminCidrs: readonly string[];
  /** How strictly the edge servers avoid sharing a hypervisor (`openstack.antiAffinity`). */
  readonly antiAffinity: ResolvedOpenstackSettings['antiAffinity'];
  /** Cinder volume type of the root disks (`openstack.volumeType`). @default - the cloud's default type */
  readonly volumeType?: string;
  /** The cluster's edge: its count, flavor and the CIDRs of Jenkins users and webhooks. */
  readonly edge: ResolvedEdge;
  /** The Octavia load balancer that gets the edge's listener. */
  readonly loadBalancerId: string;
  /** The Barbican container ref of the listener's certificate (`openstack.loadBalancer.tlsContainerRef`). */
  readonly tlsContainerRef: string;
  /** Where plain HTTP on port 80 is redirected, path and query kept: `https://<host>` (the `edge_url` output). */
  readonly httpsUrl: string;
  /** Metadata every edge server gets besides the stack's own (its secrets credential). @default - none */
  readonly extraMetadata?: StackMetadata;
}

/** TLS 1.2 and 1.3 only, as on AWS (UI_TLS_POLICY); the UI listeners use the same. */
export const TLS_VERSIONS = ['TLSv1.2', 'TLSv1.3'];

/**
 * The edge on OpenStack: nginx servers (cloud-init role `edge`, the same document as on AWS),
 * one port and one server per edge server (`edge-1`, `edge-2`, ...: a `for_each` over their
 * names, spread over the zones, in a server group with the quorums' anti-affinity), and on the
 * Octavia load balancer a TERMINATED_HTTPS listener on 443 whose pool sends plain HTTP to the
 * edge's nginx. Every request on it goes to the edge, which routes by host name and path itself
 * (from Marathon's labels), so a new Jenkins master needs no Terraform change. Port 80 of the
 * same load balancer only redirects to HTTPS, for the same networks.
 */
export class Edge extends Construct {
  readonly listener: LbListenerV2;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    const { cluster, edge } = props;
    // The admin networks, Jenkins users and webhooks, besides the VIP's security groups.
    const clients = [...props.adminCidrs, ...edge.cidrs];
    const group = new ComputeServergroupV2(this, 'group', { name: `${cluster.name}-edge`, policies: [AFFINITY_POLICY[props.antiAffinity]] });
    const { servers, ports } = namedServers(this, 'servers', {
      ...props,
      prefix: 'edge',
      count: edge.count,
      serverName: (name) => `${cluster.name}-${name}`,
      portDescription: 'edge server',
      flavor: edge.size,
      rootVolumeGiB: EDGE_ROOT_GIB,
      volumeType: props.volumeType,
      metadata: () => nodeMetadata(cluster, 'edge', { ...props.extraMetadata }),
      serverGroupId: group.id,
    });

    this.listener = new LbListenerV2(this, 'listener', {
      name: `${cluster.name}-edge`,
      loadbalancerId: props.loadBalancerId,
      protocol: 'TERMINATED_HTTPS',
      protocolPort: PORTS.edgeHttps,
      defaultTlsContainerRef: props.tlsContainerRef,
      tlsVersions: TLS_VERSIONS,
      allowedCidrs: clients,
      // The edge hands these on to Jenkins, which builds its own URLs from them.
      insertHeaders: { 'X-Forwarded-For': 'true', 'X-Forwarded-Proto': 'true', 'X-Forwarded-Port': 'true' },
      description: 'Jenkins masters, /mesos and /marathon through the edge (admin CIDRs and edge.cidrs)',
    });
    const pool = new LbPoolV2(this, 'pool', {
      name: `${cluster.name}-edge`,
      listenerId: this.listener.id,
      protocol: 'HTTP',
      lbMethod: 'ROUND_ROBIN',
    });
    // Answered by the generated configuration only: an edge without routes takes no traffic.
    new LbMonitorV2(this, 'monitor', { poolId: pool.id, type: 'HTTP', urlPath: '/edge-health', expectedCodes: '200', delay: 10, timeout: 5, maxRetries: 3 });
    new LbMemberV2(this, 'member', {
      forEach: servers,
      name: servers.key,
      poolId: pool.id,
      address: Fn.lookupNested(ports, [servers.key, 'all_fixed_ips', 0]),
      protocolPort: PORTS.edgeHttp,
    });
    new EdgeHttpRedirect(this, 'http-redirect', { clusterName: cluster.name, loadBalancerId: props.loadBalancerId, allowedCidrs: clients, httpsPrefix: props.httpsUrl });
  }
}
