import { EbsVolume } from '@cdktf/provider-aws/lib/ebs-volume';
import { VolumeAttachment } from '@cdktf/provider-aws/lib/volume-attachment';
import { Fn, TerraformIterator, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import { AgentPoolTopology, ClusterLabels } from '../model';
import { roundRobinMap } from '../terraform/round-robin-map';
import { DATA_VOLUME_DEVICE, DATA_VOLUME_TYPE } from './instance-defaults';
import { serverInstance } from './server-instance';
import { dataVolumeTags, nodeTags, resourceTags } from './tags';
import { VolumeAgentAlarms } from './volume-agent-alarms';

export interface VolumeBackedAgentPoolProps {
  /** The cluster's name and tags, for the names and tags of its resources. */
  readonly cluster: ClusterLabels;
  /** The base image (AMI id). */
  readonly image: string;
  /** The region, for the agents' alarms. */
  readonly region: string;
  /** The SNS topic the alarms notify (`aws.alarmTopicArn`). @default - none: CloudWatch only */
  readonly alarmTopicArn?: string;
  readonly pool: AgentPoolTopology;
  /** The control subnets (fixed addresses only) by zone name: their ids and CIDRs. */
  readonly subnetIds: ReadonlyMap<string, string>;
  readonly subnetCidrs: ReadonlyMap<string, string>;
  readonly securityGroupIds: string[];
  readonly keyName: string;
  /** The pool's cloud-config document, plain text. */
  readonly userData: string;
  /** The pool's instance profile (NodeIdentityRole). */
  readonly instanceProfileName: string;
}

/**
 * A pool whose agents each own a data volume (e.g. Jenkins homes): one instance, one encrypted
 * EBS volume and one attachment per agent, each a single `for_each` resource keyed by the agent's
 * name (`aws_instance.pool-jenkins-masters_instance["jenkins-masters-3"]`). The pool's user-data
 * is written once, so the configuration does not grow with the count. The volume outlives the
 * instance and Terraform refuses to destroy it.
 */
export class VolumeBackedAgentPool extends Construct {
  constructor(scope: Construct, id: string, props: VolumeBackedAgentPoolProps) {
    super(scope, id);
    const { cluster, pool } = props;
    const volume = pool.volume;
    if (volume === undefined) throw new Error(`pool ${pool.name} has no volume`);
    const zones = [...props.subnetIds.keys()];
    if (pool.firstHost === undefined) throw new Error(`pool ${pool.name} has no fixed addresses`);
    // name -> { zone, subnet_id, private_ip }: the model's round-robin placement and fixed
    // addresses, evaluated by Terraform. A replaced agent comes back at the same address.
    const agents = new TerraformLocal(
      this,
      'agents',
      roundRobinMap(
        pool.name,
        pool.count,
        { zone: zones, subnet_id: zones.map((z) => props.subnetIds.get(z)!) },
        { column: 'private_ip', subnetCidrs: zones.map((z) => props.subnetCidrs.get(z)!), firstHost: pool.firstHost },
      ),
    );
    const agent = TerraformIterator.fromMap(agents.asAnyMap);
    const agentName = agent.key;

    const instance = serverInstance(this, 'instance', {
      forEach: agent,
      image: props.image,
      instanceType: pool.size,
      subnetId: agent.getString('subnet_id'),
      privateIp: agent.getString('private_ip'),
      // agent-identity reads the Name tag (<cluster>-<agent>) through the metadata service at boot.
      metadataTags: true,
      securityGroupIds: props.securityGroupIds,
      keyName: props.keyName,
      userData: props.userData,
      instanceProfileName: props.instanceProfileName,
      rootVolumeGiB: pool.rootVolumeGiB,
      tags: nodeTags(cluster, 'mesos-agent', agentName, pool.name),
    });
    const data = new EbsVolume(this, 'data', {
      forEach: agent,
      availabilityZone: agent.getString('zone'),
      size: volume.sizeGiB,
      type: DATA_VOLUME_TYPE,
      encrypted: true,
      tags: dataVolumeTags(cluster, `${agentName}-data`, pool.name, volume.mountPath),
      lifecycle: { preventDestroy: true },
    });
    new VolumeAttachment(this, 'data-attachment', {
      forEach: agent,
      deviceName: DATA_VOLUME_DEVICE,
      volumeId: Fn.lookupNested(data, [agentName, 'id']),
      instanceId: Fn.lookupNested(instance, [agentName, 'id']),
      // The agent has the volume mounted: stop it first rather than pull a busy disk.
      stopInstanceBeforeDetaching: true,
    });
    // No Auto Scaling group watches these agents: EC2 recovers a failed host, and the agent's
    // own health raises an alarm for an operator.
    new VolumeAgentAlarms(this, 'alarms', {
      clusterName: cluster.name,
      region: props.region,
      agents: agent,
      instanceId: Fn.lookupNested(instance, [agentName, 'id']),
      tags: { ...resourceTags(cluster, agentName), pool: pool.name },
      topicArn: props.alarmTopicArn,
    });
  }
}
