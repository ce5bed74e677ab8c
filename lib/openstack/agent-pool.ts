import { TerraformIterator, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import { AgentPoolTopology, ResolvedCluster } from '../model';
import { BlockstorageVolumeV3 } from './generated/providers/openstack/blockstorage-volume-v3';
import { ComputeInstanceV2 } from './generated/providers/openstack/compute-instance-v2';
import { ComputeVolumeAttachV2 } from './generated/providers/openstack/compute-volume-attach-v2';
import { NetworkingPortV2 } from './generated/providers/openstack/networking-port-v2';
import { metadata, nodeMetadata } from './metadata';
import { serverInstance } from './server-instance';

export interface AgentPoolProps {
  readonly cluster: ResolvedCluster;
  readonly pool: AgentPoolTopology;
  readonly networkId: string;
  /** Agent subnet ids by zone name. */
  readonly subnetIds: ReadonlyMap<string, string>;
  readonly securityGroupIds: string[];
  readonly imageId: string;
  readonly keyPair: string;
  /** The pool's cloud-config document, plain text. */
  readonly userData: string;
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
    // The agents once per pool, as a local every block iterates over.
    const byName = new TerraformLocal(
      this,
      'agents',
      Object.fromEntries(
        pool.agents.map((agent) => [
          agent.name,
          { zone: agent.zone.zone, volumeZone: settings.volumeZones[agent.zone.zone], subnet: props.subnetIds.get(agent.zone.zone)! },
        ]),
      ),
    );
    const agents = TerraformIterator.fromMap(byName.asAnyMap);
    const name = `${cluster.name}-\${each.key}`;
    const ports = new NetworkingPortV2(this, 'port', {
      forEach: agents,
      name,
      networkId: props.networkId,
      fixedIp: [{ subnetId: agents.getString('subnet') }],
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
      portId: `\${${ports.fqn}[each.key].id}`,
      keyPair: props.keyPair,
      userData: props.userData,
      rootVolumeGiB: pool.rootVolumeGiB,
      volumeType: settings.volumeType,
      metadata: nodeMetadata(cluster, 'mesos-agent', { pool: pool.name }),
    });
    if (pool.volume === undefined) return;
    const volumes = new BlockstorageVolumeV3(this, 'data', {
      forEach: agents,
      name: `${name}-data`,
      size: pool.volume.sizeGiB,
      availabilityZone: agents.getString('volumeZone'),
      volumeType: settings.volumeType,
      description: `data of an agent of pool ${pool.name}, mounted at ${pool.volume.mountPath}`,
      metadata: metadata(cluster, { pool: pool.name, mountPath: pool.volume.mountPath, backup: 'true' }),
      lifecycle: { preventDestroy: true },
    });
    new ComputeVolumeAttachV2(this, 'data-attachment', {
      forEach: agents,
      instanceId: `\${${this.instances.fqn}[each.key].id}`,
      volumeId: `\${${volumes.fqn}[each.key].id}`,
    });
  }
}
