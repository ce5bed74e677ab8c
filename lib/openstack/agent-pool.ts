import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { AgentPoolTopology, ClusterLabels } from '../model';
import { BlockstorageVolumeV3 } from './generated/providers/openstack/blockstorage-volume-v3';
import { ComputeInstanceV2 } from './generated/providers/openstack/compute-instance-v2';
import { ComputeVolumeAttachV2 } from './generated/providers/openstack/compute-volume-attach-v2';
import { metadata, nodeMetadata, StackMetadata } from './metadata';
import { NamedServersPlacement, namedServers } from './named-servers';

export interface AgentPoolProps extends NamedServersPlacement {
  /** The cluster's name and tags, for the names and metadata of its resources. */
  readonly cluster: ClusterLabels;
  /** The Cinder zone of each Nova zone (`openstack.volumeZones`), by Nova zone name. */
  readonly volumeZones: Readonly<Record<string, string>>;
  /** Cinder volume type of root and data volumes (`openstack.volumeType`). @default - the cloud's default type */
  readonly volumeType?: string;
  readonly pool: AgentPoolTopology;
  /** Metadata every agent gets besides the stack's own (the pool's secrets credential). @default - none */
  readonly extraMetadata?: StackMetadata;
}

/**
 * A pool without an autoscaling group: one port, one server and (with `volume`) one Cinder
 * volume and attachment per agent. Each is ONE resource block iterated (`for_each`) over the
 * agents' names, so the JSON and the synth time stay flat in the count, the user-data is
 * written once per pool, and every agent is addressed by name (`...["builds-3"]`): raising the
 * count adds only the new agents' entries. Data volumes outlive their agents (`prevent_destroy`).
 * The port is a resource of its own, keyed by the agent's name: Neutron gives it an address
 * once, and a replaced server plugs into the same port, so the agent keeps its address (its
 * Mesos hostname) for as long as the agent exists.
 */
export class AgentPool extends Construct {
  readonly instances: ComputeInstanceV2;

  constructor(scope: Construct, id: string, props: AgentPoolProps) {
    super(scope, id);
    const { cluster, pool } = props;
    const zones = [...props.subnetIds.keys()];
    // name -> { zone, volume_zone, subnet_id }: the model's round-robin placement, evaluated by
    // Terraform, so the configuration is the same size at 3 agents and at 3,000.
    const { servers: agents, instances } = namedServers(this, 'agents', {
      ...props,
      prefix: pool.name,
      count: pool.count,
      zoneColumns: { volume_zone: zones.map((zone) => props.volumeZones[zone]) },
      serverName: (agent) => `${cluster.name}-${agent}`,
      portDescription: `agent of pool ${pool.name}`,
      flavor: pool.size,
      rootVolumeGiB: pool.rootVolumeGiB,
      volumeType: props.volumeType,
      // agent-identity reads `agent` from the config drive at boot: the Mesos attribute `volume`.
      metadata: (agent) => nodeMetadata(cluster, 'mesos-agent', { pool: pool.name, agent, ...props.extraMetadata }),
    });
    this.instances = instances;
    if (pool.volume === undefined) return;
    const name = `${cluster.name}-${agents.key}`;
    const volumes = new BlockstorageVolumeV3(this, 'data', {
      forEach: agents,
      name: `${name}-data`,
      size: pool.volume.sizeGiB,
      availabilityZone: agents.getString('volume_zone'),
      volumeType: props.volumeType,
      description: `data of an agent of pool ${pool.name}, mounted at ${pool.volume.mountPath}`,
      metadata: metadata(cluster, { pool: pool.name, mountPath: pool.volume.mountPath, backup: 'true' }),
      lifecycle: { preventDestroy: true },
    });
    new ComputeVolumeAttachV2(this, 'data-attachment', {
      forEach: agents,
      instanceId: Fn.lookupNested(this.instances, [agents.key, 'id']),
      volumeId: Fn.lookupNested(volumes, [agents.key, 'id']),
    });
  }
}
