import { Construct } from 'constructs';
import { ClusterTopology, ServerRole } from '../model';
import { ComputeInstanceV2 } from './generated/providers/openstack/compute-instance-v2';
import { ComputeServergroupV2 } from './generated/providers/openstack/compute-servergroup-v2';
import { NetworkingPortV2 } from './generated/providers/openstack/networking-port-v2';
import { nodeMetadata, StackMetadata } from './metadata';
import { OpenstackNetwork } from './network';
import { OpenstackSecurityGroups } from './security-groups';
import { serverInstance } from './server-instance';

export interface QuorumServersProps {
  readonly topology: ClusterTopology;
  readonly network: OpenstackNetwork;
  readonly groups: OpenstackSecurityGroups;
  readonly imageId: string;
  readonly keyPair: string;
  /** The cloud-config document of a server, plain text. */
  readonly userData: (serverName: string) => string;
  /** Metadata the servers of a role get besides the stack's own (their secrets credential). @default - none */
  readonly roleMetadata?: (role: ServerRole) => StackMetadata;
}

/** Nova's policy names for the cluster file's `openstack.antiAffinity`. */
export const AFFINITY_POLICY = { soft: 'soft-anti-affinity', hard: 'anti-affinity' } as const;

/**
 * ZooKeeper, Mesos master, Marathon (or control) servers: each on a port with its fixed address
 * in its zone's control subnet, so a replaced server keeps its address, and one server group
 * per role with anti-affinity, so no two members of a quorum share a hypervisor.
 */
export class QuorumServers extends Construct {
  /** Instances by server name. */
  readonly instances = new Map<string, ComputeInstanceV2>();

  constructor(scope: Construct, id: string, props: QuorumServersProps) {
    super(scope, id);
    const { topology, network, groups } = props;
    const { cluster } = topology;
    const settings = cluster.openstack!;
    const serverGroups = new Map<ServerRole, ComputeServergroupV2>();
    for (const role of new Set(topology.servers.map((s) => s.role))) {
      serverGroups.set(
        role,
        new ComputeServergroupV2(this, `${role}-group`, { name: `${cluster.name}-${role}`, policies: [AFFINITY_POLICY[settings.antiAffinity]] }),
      );
    }
    for (const server of topology.servers) {
      const node = new Construct(this, server.name);
      const port = new NetworkingPortV2(node, 'port', {
        name: `${cluster.name}-${server.name}`,
        networkId: network.network.id,
        fixedIp: [{ subnetId: network.subnet('control', server.zone.zone).id, ipAddress: server.privateIp }],
        securityGroupIds: groups.idsFor(...server.services),
        adminStateUp: true,
        description: `${server.name}: fixed address ${server.privateIp}`,
      });
      this.instances.set(
        server.name,
        serverInstance(node, 'instance', {
          name: `${cluster.name}-${server.name}`,
          imageId: props.imageId,
          flavor: server.size,
          availabilityZone: server.zone.zone,
          portId: port.id,
          keyPair: props.keyPair,
          userData: props.userData(server.name),
          rootVolumeGiB: server.rootVolumeGiB,
          volumeType: settings.volumeType,
          metadata: nodeMetadata(cluster, server.role, { services: server.services.join(','), ...props.roleMetadata?.(server.role) }),
          serverGroupId: serverGroups.get(server.role)!.id,
        }),
      );
    }
  }
}
