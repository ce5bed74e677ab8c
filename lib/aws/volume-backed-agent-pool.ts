import { EbsVolume } from '@cdktf/provider-aws/lib/ebs-volume';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { VolumeAttachment } from '@cdktf/provider-aws/lib/volume-attachment';
import { Construct } from 'constructs';
import { AgentPoolTopology, ResolvedCluster } from '../model';
import { DATA_VOLUME_DEVICE, DATA_VOLUME_TYPE } from './instance-defaults';
import { serverInstance } from './server-instance';
import { dataVolumeTags, nodeTags } from './tags';

export interface VolumeBackedAgentPoolProps {
  readonly cluster: ResolvedCluster;
  readonly pool: AgentPoolTopology;
  /** Agent subnet ids by zone name. */
  readonly subnetIds: ReadonlyMap<string, string>;
  readonly securityGroupIds: string[];
  readonly keyName: string;
  /** The cloud-config document, plain text. */
  readonly userData: string;
}

/**
 * A pool whose agents each own a data volume (e.g. Jenkins homes): one instance and one
 * encrypted EBS volume per agent, addressed by the agent's name. The volume outlives the
 * instance and Terraform refuses to destroy it.
 */
export class VolumeBackedAgentPool extends Construct {
  readonly instances = new Map<string, Instance>();

  constructor(scope: Construct, id: string, props: VolumeBackedAgentPoolProps) {
    super(scope, id);
    const { cluster, pool } = props;
    const volume = pool.volume;
    if (volume === undefined) throw new Error(`pool ${pool.name} has no volume`);
    for (const agent of pool.agents) {
      const node = new Construct(this, agent.name);
      const tags = nodeTags(cluster, 'mesos-agent', agent.name, pool.name);
      const instance = serverInstance(node, 'instance', {
        image: cluster.image,
        instanceType: pool.size,
        subnetId: props.subnetIds.get(agent.zone.zone)!,
        securityGroupIds: props.securityGroupIds,
        keyName: props.keyName,
        userData: props.userData,
        rootVolumeGiB: pool.rootVolumeGiB,
        tags,
      });
      const data = new EbsVolume(node, 'data', {
        availabilityZone: agent.zone.zone,
        size: volume.sizeGiB,
        type: DATA_VOLUME_TYPE,
        encrypted: true,
        tags: dataVolumeTags(cluster, `${agent.name}-data`, pool.name, volume.mountPath),
        lifecycle: { preventDestroy: true },
      });
      new VolumeAttachment(node, 'data-attachment', {
        deviceName: DATA_VOLUME_DEVICE,
        volumeId: data.id,
        instanceId: instance.id,
        // The agent has the volume mounted: stop it first rather than pull a busy disk.
        stopInstanceBeforeDetaching: true,
      });
      this.instances.set(agent.name, instance);
    }
  }
}
