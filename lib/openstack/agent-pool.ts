import { Fn, TerraformIterator, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import { AgentPoolTopology, ResolvedCluster } from '../model';
import { roundRobinMap } from '../terraform/round-robin-map';
import { BlockstorageVolumeV3 } from './generated/providers/openstack/blockstorage-volume-v3';
import { ComputeInstanceV2 } from './generated/providers/openstack/compute-instance-v2';
import { ComputeVolumeAttachV2 } from './generated/providers/openstack/compute-volume-attach-v2';
import { NetworkingPortV2 } from './generated/providers/openstack/networking-port-v2';
import { metadata, nodeMetadata, StackMetadata } from './metadata';
import { serverInstance } from './server-instance';

export interface AgentPoolProps {
  readonly cluster: ResolvedCluster;
  readonly pool: AgentPoolTopology;
  readonly networkId: string;
  /** Agent subnet ids by zone name, in the order of `network.zones` (agents are placed round-robin). */
  readonly subnetIds: ReadonlyMap<string, string>;
  readonly securityGroupIds: string[];
  readonly imageId: string;
  readonly keyPair: string;
  /** The pool's cloud-config document, plain text. */
  readonly userData: string;
  /** Metadata every agent gets besides the stack's own (the pool's secrets credential). @default - none */
  readonly extraMetadata?: StackMetadata;
}

/**
 * A pool without an autoscaling group: one port, one server and (with `volume`) one Cinder
 * volume and attachment per agent. Each is ONE resource block iterated (`for_each`) over the
 * agents' names, so the JSON and the synth time stay flat in the count, the user-data is
 * written once per pool, and every agent is addressed by name (`...["builds-3"]`): raising the
 * count adds only the new agents' entries. Data volumes outlive their agents (`prevent_destroy`).
 */
export class AgentPool extends Construct {
  readonly instances: ComputeInstanceV2;

  constructor(scope: Construct, id: string, props: AgentPoolProps) {
    super(scope, id);
    const { cluster, pool } = props;
    const settings = cluster.openstack!;
    const zones = [...props.subnetIds.keys()];
    // name -> { zone, volume_zone, subnet_id }: the model's round-robin placement, evaluated by
    // Terraform, so the configuration is the same size at 3 agents and at 3,000.
    const byName = new TerraformLocal(
      this,
      'agents',
      roundRobinMap(pool.name, pool.count, {
        zone: zones,
        volume_zone: zones.map((zone) => settings.volumeZones[zone]),
        subnet_id: zones.map((zone) => props.subnetIds.get(zone)!),
      }),
    );
    const agents = TerraformIterator.fromMap(byName.asAnyMap);
    const name = `${cluster.name}-${agents.key}`;
    const ports = new NetworkingPortV2(this, 'port', {
      forEach: agents,
      name,
      networkId: props.networkId,
      fixedIp: [{ subnetId: agents.getString('subnet_id') }],
      securityGroupIds: props.securityGroupIds,
      adminStateUp: true,
      description: `agent of pool ${pool.name}`,
    });
    this.instances = serverInstance(this, 'instance', {
      meta: { forEach: agents },
      name,
      imageId: props.imageId,
      flavor: pool.size,
      availabilityZone: agents.getString('zone'),
      portId: Fn.lookupNested(ports, [agents.key, 'id']),
      keyPair: props.keyPair,
      userData: props.userData,
      rootVolumeGiB: pool.rootVolumeGiB,
      volumeType: settings.volumeType,
      metadata: nodeMetadata(cluster, 'mesos-agent', { pool: pool.name, ...props.extraMetadata }),
    });
    if (pool.volume === undefined) return;
    const volumes = new BlockstorageVolumeV3(this, 'data', {
      forEach: agents,
      name: `${name}-data`,
      size: pool.volume.sizeGiB,
      availabilityZone: agents.getString('volume_zone'),
      volumeType: settings.volumeType,
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
