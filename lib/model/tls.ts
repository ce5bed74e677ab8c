import { ClusterTopology } from './topology';
import { SERVER_NAME_PREFIX, ServerRole, SERVICES_OF } from './roles';

/**
 * The cluster CA and what it certifies (cloud-neutral; `npm run secrets` issues, lib/secrets/cluster-ca.ts).
 *
 * libprocess (Mesos 1.11, `hostname_validation_scheme=openssl`, `verify_ipadd`) checks the IP
 * address it connects to against the peer certificate's IP SANs, in both directions: agents call
 * masters, masters call agents and Marathon's scheduler back. Quorum servers have fixed addresses,
 * so one certificate per server role names them all. Agents get their address at boot, so each
 * pool gets an issuing CA whose name constraints permit only the pool's subnets, and every agent
 * signs its own certificate for its address at boot (cloud-init/scripts/issue-agent-cert.sh).
 * Each secret holds a certificate with its key in one PEM value, so a run that stops half-way can
 * never leave a key beside a certificate it does not match.
 */

/** The CA's certificate and key: read by no node. */
export const CLUSTER_CA_SECRET = 'tls/ca';
/** The CA's certificate alone: every node that speaks TLS trusts it. */
export const CLUSTER_CA_CERT_SECRET = 'tls/ca-cert';

/** The password of Marathon's HTTPS keystore (`tls.marathon`), a token like the others. */
export const MARATHON_KEYSTORE_PASSWORD_SECRET = 'marathon/keystore-password';

/**
 * The operator's client certificate and key (`verify` presents it to the masters): read by no node.
 * libprocess checks no name on a client certificate (hostname_validation_scheme=openssl: only the
 * chain; reference/mesos/client-certificate-checks.json), so it names no address: an operator's is unknown.
 */
export const OPERATOR_TLS_SECRET = 'tls/operator';

export const serverTlsSecret = (identity: string) => `tls/${identity}`;

/**
 * The edge's certificate and key with `tls.mesos`: the masters require a client certificate of
 * every HTTPS client, the edge's route reader and /mesos/ route among them. It grants a TLS
 * handshake only; what the edge may do is still Mesos's HTTP credentials' call, and it holds none.
 */
export const EDGE_TLS_SECRET = 'tls/edge';
export const poolCaSecret = (pool: string) => `tls/pools/${pool}`;

/**
 * The DNS name in Marathon's certificate with `tls.marathon`, for HTTPS clients that check a
 * name, not an address: nginx 1.22's `proxy_ssl_verify` matches no IP SAN (docs/security.md), so
 * the edge names this one (`proxy_ssl_name`). Not in any DNS zone: nothing resolves it.
 */
export const marathonTlsName = (cluster: string) => `marathon.${cluster}.internal`;

/**
 * The DNS name in the masters' certificate, for the same reason: HAProxy 2.6's `verifyhost`
 * (the framework proxy) matches DNS SANs only, never an IP SAN (measured; docs/security.md).
 * Sound because the pools' issuing CAs may sign no DNS name (cluster-ca.ts nameConstraintsExtension).
 */
export const mesosTlsName = (cluster: string) => `mesos.${cluster}.internal`;

/** The DNS names a server role's certificate carries besides its addresses. */
function tlsNamesOfRole(topology: ClusterTopology, role: ServerRole): string[] {
  const cluster = topology.cluster.name;
  return [
    ...(topology.cluster.tls.marathon && SERVICES_OF[role].includes('marathon') ? [marathonTlsName(cluster)] : []),
    ...(SERVICES_OF[role].includes('mesos-master') ? [mesosTlsName(cluster)] : []),
  ];
}

/** What one certificate secret holds and covers. */
export type CertificatePlan =
  | { readonly secret: string; readonly kind: 'server'; readonly commonName: string; readonly ips: readonly string[]; readonly dnsNames?: readonly string[] }
  | { readonly secret: string; readonly kind: 'pool-ca'; readonly commonName: string; readonly cidrs: readonly string[] }
  | { readonly secret: string; readonly kind: 'client'; readonly commonName: string };

/** Server roles whose services speak libprocess (ZooKeeper-only servers do not). */
function tlsServerRoles(topology: ClusterTopology): ServerRole[] {
  const roles = [...new Set(topology.servers.map((s) => s.role))];
  return roles.filter((role) => SERVICES_OF[role].some((s) => s === 'mesos-master' || s === 'marathon'));
}

/** Every certificate the cluster needs below its CA, in a stable order. */
export function certificatePlans(topology: ClusterTopology): CertificatePlan[] {
  const cluster = topology.cluster.name;
  return [
    ...tlsServerRoles(topology).map((role): CertificatePlan => ({
      secret: serverTlsSecret(SERVER_NAME_PREFIX[role]),
      kind: 'server',
      commonName: `${cluster} ${SERVER_NAME_PREFIX[role]}`,
      ips: topology.servers.filter((s) => s.role === role).map((s) => s.privateIp),
      dnsNames: tlsNamesOfRole(topology, role),
    })),
    // Edges have no fixed address (an Auto Scaling group) and libprocess checks no name on a
    // client: a client certificate naming nothing, like the operator's.
    ...(topology.cluster.edge !== undefined ? [{ secret: EDGE_TLS_SECRET, kind: 'client' as const, commonName: `${cluster} edge` }] : []),
    ...topology.pools.map((pool): CertificatePlan => ({
      secret: poolCaSecret(pool.name),
      kind: 'pool-ca',
      commonName: `${cluster} pool ${pool.name} CA`,
      // Volume pools' agents take fixed addresses in the control subnets, the others the agent subnets.
      cidrs: topology.zones.map((z) => (pool.volume !== undefined ? z.controlCidr : z.agentCidr)),
    })),
    { secret: OPERATOR_TLS_SECRET, kind: 'client', commonName: `${cluster} operator` },
  ];
}

/** The TLS secrets a server role reads at boot when `tls.mesos` is on; with `tls.marathon`, Marathon's keystore password too. */
export function tlsSecretsOfServerRole(topology: ClusterTopology, role: ServerRole): string[] {
  if (!topology.cluster.tls.mesos || !tlsServerRoles(topology).includes(role)) return [];
  const keystore = topology.cluster.tls.marathon && SERVICES_OF[role].includes('marathon') ? [MARATHON_KEYSTORE_PASSWORD_SECRET] : [];
  return [CLUSTER_CA_CERT_SECRET, serverTlsSecret(SERVER_NAME_PREFIX[role]), ...keystore];
}

/**
 * With `tls.mesos` the edge checks the masters' certificate (with `tls.marathon` Marathon's too)
 * against the cluster CA, and presents its own to the masters (its /mesos/ route and route reader).
 */
export function tlsSecretsOfEdge(topology: ClusterTopology): string[] {
  return topology.cluster.tls.mesos ? [CLUSTER_CA_CERT_SECRET, EDGE_TLS_SECRET] : [];
}

/** The TLS secrets a pool's agents read at boot when `tls.mesos` is on. */
export function tlsSecretsOfPool(topology: ClusterTopology, pool: string): string[] {
  return topology.cluster.tls.mesos ? [CLUSTER_CA_CERT_SECRET, poolCaSecret(pool)] : [];
}
