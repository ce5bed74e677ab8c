import { Construct } from 'constructs';
import { ClusterLabels, QuorumServer, ResolvedOpenstackSettings, ServerRole } from '../model';
import { ComputeInstanceV2 } from './generated/providers/openstack/compute-instance-v2';
import { ComputeServergroupV2 } from './generated/providers/openstack/compute-servergroup-v2';
import { NetworkingPortV2 } from './generated/providers/openstack/networking-port-v2';
import { nodeMetadata, StackMetadata } from './metadata';
import { OpenstackNetwork } from './network';
import { OpenstackSecurityGroups } from './security-groups';
import { serverInstance } from './server-instance';

export interface QuorumServersProps {
  /** The cluster's name and tags, for the names and metadata of its resources. */
  readonly cluster: ClusterLabels;
  /** Every fixed-address server of the topology, in role order. */
  readonly servers: readonly QuorumServer[];
  /** How strictly a quorum's members avoid sharing a hypervisor (`openstack.antiAffinity`). */
  readonly antiAffinity: ResolvedOpenstackSettings['antiAffinity'];
  /** Cinder volume type of the root disks (`openstack.volumeType`). @default - the cloud's default type */
  readonly volumeType?: string;
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
    const { cluster, servers, network, groups } = props;
    const serverGroups = new Map<ServerRole, ComputeServergroupV2>();
    for (const role of new Set(servers.map((s) => s.role))) {
      serverGroups.set(
        role,
        new ComputeServergroupV2(this, `${role}-group`, { name: `${cluster.name}-${role}`, policies: [AFFINITY_POLICY[props.antiAffinity]] }),
      );
    }
    for (const server of servers) {
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
          volumeType: props.volumeType,
          metadata: nodeMetadata(cluster, server.role, { services: server.services.join(','), ...props.roleMetadata?.(server.role) }),
          serverGroupId: serverGroups.get(server.role)!.id,
        }),
      );
    }
  }
}
