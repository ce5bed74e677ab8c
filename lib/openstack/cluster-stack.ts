import { Construct } from 'constructs';
import { ClusterLabels, nodeIdentities, OpenstackCluster, PORTS, SERVER_NAME_PREFIX, ServiceRole } from '../model';
import { clusterStackPreamble, ClusterStackProps } from '../terraform/cluster-stack-preamble';
import { ClusterTerraformStack } from '../terraform/cluster-terraform-stack';
import { mesosUrl } from '../terraform/mesos-url';
import { addClusterOutputs, addEdgeOutput } from '../terraform/outputs';
import { AgentPool } from './agent-pool';
import { Bastion } from './bastion';
import { Edge } from './edge';
import { ComputeKeypairV2 } from './generated/providers/openstack/compute-keypair-v2';
import { OpenstackProvider } from './generated/providers/openstack/provider';
import { baseImageId } from './image';
import { OpenstackNetwork } from './network';
import { OPENSTACK_PROVIDER_CONSTRAINT, OPENSTACK_PROVIDER_SOURCE } from './provider-constraint';
import { QuorumServers } from './quorum-servers';
import { SecretCredentials } from './secret-credentials';
import { OpenstackSecurityGroups } from './security-groups';
import { UiLoadBalancer } from './ui-load-balancer';

export type OpenstackClusterStackProps = ClusterStackProps<OpenstackCluster>;

/**
 * One cluster on OpenStack, from the same topology and cloud-init documents as on AWS: composes
 * the network, security groups, quorum servers, agent pools, the bastion, the UI load balancer
 * and the edge behind it.
 * Credentials come from clouds.yaml (OS_CLOUD) or OS_* variables, never from the cluster file.
 */
export class OpenstackClusterStack extends ClusterTerraformStack {
  constructor(scope: Construct, id: string, props: OpenstackClusterStackProps) {
    super(scope, id);
    const { topology, userData } = clusterStackPreamble(this, props);
    const { cluster } = topology;
    const settings = cluster.openstack;
    const { volumeType } = settings;
    const adminCidrs = cluster.network.adminCidrs;
    // What names and tags resources; constructs get it and the few values they use, not the cluster.
    const labels: ClusterLabels = { name: cluster.name, tags: cluster.tags };

    new OpenstackProvider(this, 'openstack', { region: settings.region });
    this.addOverride('terraform.required_providers.openstack', { source: OPENSTACK_PROVIDER_SOURCE, version: OPENSTACK_PROVIDER_CONSTRAINT });

    const network = new OpenstackNetwork(this, 'network', { clusterName: cluster.name, zones: topology.zones, externalNetwork: settings.externalNetwork, dnsNameservers: settings.dnsNameservers });
    const floatingIpPool = settings.floatingIpPool ?? network.external.name;
    const groups = new OpenstackSecurityGroups(this, 'security-groups', { cluster: labels, adminCidrs, edgeCidrs: cluster.edge?.cidrs, pools: topology.pools, tls: cluster.tls });
    const keyPair = cluster.sshKey.publicKey
      ? new ComputeKeypairV2(this, 'ssh-key', { name: cluster.sshKey.name, publicKey: cluster.sshKey.publicKey }).name
      : cluster.sshKey.name;
    const imageId = baseImageId(this, 'image', cluster.image);

    const firstZone = topology.zones[0].zone;
    const bastion = new Bastion(this, 'bastion', {
      cluster: labels,
      size: cluster.bastion.size,
      rootVolumeGiB: cluster.bastion.rootVolumeGiB,
      volumeType,
      networkId: network.network.id,
      subnetId: network.subnet('public', firstZone).id,
      zone: firstZone,
      securityGroupId: groups.group('bastion').id,
      floatingIpPool,
      imageId,
      keyPair,
      userData: userData.bastion(),
    });

    const credentials = new SecretCredentials(this, 'secret-credentials', { clusterName: cluster.name, identities: nodeIdentities(topology) });
    new QuorumServers(this, 'servers', {
      cluster: labels,
      servers: topology.servers,
      antiAffinity: settings.antiAffinity,
      volumeType,
      network,
      groups,
      imageId,
      keyPair,
      userData: userData.server,
      roleMetadata: (role) => credentials.metadataFor(SERVER_NAME_PREFIX[role]),
    });

    const agentSubnetIds = new Map(topology.zones.map((z) => [z.zone, network.subnet('agents', z.zone).id]));
    for (const pool of topology.pools) {
      new AgentPool(this, `pool-${pool.name}`, {
        cluster: labels,
        volumeZones: settings.volumeZones,
        volumeType,
        pool,
        networkId: network.network.id,
        subnetIds: agentSubnetIds,
        securityGroupIds: groups.idsForPool(pool.name),
        imageId,
        keyPair,
        userData: userData.pool(pool.name),
        extraMetadata: credentials.metadataFor(pool.name),
      });
    }

    const addressesRunning = (service: ServiceRole) =>
      new Map(topology.servers.filter((s) => s.services.includes(service)).map((s) => [s.name, s.privateIp]));
    const tlsContainerRef = settings.loadBalancer.tlsContainerRef;
    if (settings.loadBalancer.enabled && tlsContainerRef === undefined) throw new Error(`cluster ${cluster.name}: the load balancer needs its certificate; validation should have caught this`);
    const ui = settings.loadBalancer.enabled && tlsContainerRef !== undefined
      ? new UiLoadBalancer(this, 'ui', {
          cluster: labels,
          adminCidrs,
          provider: settings.loadBalancer.provider,
          subnetId: network.subnet('public', firstZone).id,
          securityGroupId: groups.group('load-balancer').id,
          // Port 80 redirects (edge-redirect's admin rules) with or without an edge.
          extraSecurityGroupIds: cluster.edge !== undefined ? groups.idsFor('edge-listener', 'edge-redirect') : groups.idsFor('edge-redirect'),
          floatingIpPool,
          tlsContainerRef,
          edgeOwnsHttp: cluster.edge !== undefined,
          targets: addressesRunning,
          tls: cluster.tls,
        })
      : undefined;
    let edgeUrl: string | undefined;
    if (cluster.edge !== undefined) {
      if (ui === undefined || tlsContainerRef === undefined) throw new Error(`cluster ${cluster.name}: an edge needs the load balancer and its certificate; validation should have caught this`);
      // The floating IP, not edge.domain: Octavia's redirect has a fixed host (it cannot keep the
      // request's, as AWS's #{host} does), and only the floating IP is known to reach the load
      // balancer; the domain is the parent of the masters' names (<agent>.<domain>), which nothing
      // points at the load balancer and a *.<domain> certificate does not cover.
      edgeUrl = `https://${ui.address.address}`;
      new Edge(this, 'edge', {
        cluster: labels,
        adminCidrs,
        antiAffinity: settings.antiAffinity,
        volumeType,
        edge: cluster.edge,
        networkId: network.network.id,
        subnetIds: agentSubnetIds,
        securityGroupIds: groups.idsFor('edge'),
        imageId,
        keyPair,
        userData: userData.edge(),
        loadBalancerId: ui.loadBalancer.id,
        tlsContainerRef,
        httpsUrl: edgeUrl,
        extraMetadata: credentials.metadataFor('edge'),
      });
      addEdgeOutput(this, edgeUrl);
    }
    // Without the load balancer the UIs are reached through the bastion (ssh -L) at a server's
    // address: Marathon's HTTPS port with tls.marathon, which closes its HTTP one.
    const marathonAddress = addressesRunning('marathon').values().next().value;
    const marathonUrl = ui?.url(PORTS.marathonHttp) ?? (cluster.tls.marathon ? `https://${marathonAddress}:${PORTS.marathonHttps}` : `http://${marathonAddress}:${PORTS.marathonHttp}`);
    addClusterOutputs(this, topology, {
      mesos: mesosUrl({ tls: cluster.tls.mesos, loadBalancer: ui?.url(PORTS.mesosMaster), edge: edgeUrl, masterAddress: topology.mesos.masters[0].privateIp }),
      marathonUrl,
      bastionAddress: bastion.address.address,
    });
  }
}
