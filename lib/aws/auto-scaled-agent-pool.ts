import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Construct } from 'constructs';
import { AgentPoolTopology, ResolvedCluster } from '../model';
import { IMDS_V2_ONLY, ROOT_VOLUME_TYPE } from './instance-defaults';
import { nodeTags } from './tags';

export interface AutoScaledAgentPoolProps {
  readonly cluster: ResolvedCluster;
  readonly pool: AgentPoolTopology;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly keyName: string;
  /** The pool's cloud-config document, plain text. */
  readonly userData: string;
}

/**
 * A pool without data volumes: a launch template and an Auto Scaling group whose size is the
 * pool's count. Growing the pool changes the group's capacity and nothing else.
 */
export class AutoScaledAgentPool extends Construct {
  readonly group: AutoscalingGroup;

  constructor(scope: Construct, id: string, props: AutoScaledAgentPoolProps) {
    super(scope, id);
    const { cluster, pool } = props;
    const tags = nodeTags(cluster, 'mesos-agent', pool.name, pool.name);
    const template = new LaunchTemplate(this, 'launch-template', {
      namePrefix: `${cluster.name}-${pool.name}-`,
      imageId: cluster.image,
      instanceType: pool.size,
      keyName: props.keyName,
      vpcSecurityGroupIds: props.securityGroupIds,
      // Encoded here rather than with Terraform's base64encode(): the text is then never a template.
      userData: Buffer.from(props.userData, 'utf8').toString('base64'),
      metadataOptions: IMDS_V2_ONLY,
      blockDeviceMappings: [
        {
          deviceName: cluster.aws!.rootDeviceName,
          ebs: { encrypted: 'true', volumeType: ROOT_VOLUME_TYPE, volumeSize: pool.rootVolumeGiB, deleteOnTermination: 'true' },
        },
      ],
      tagSpecifications: [
        { resourceType: 'instance', tags },
        { resourceType: 'volume', tags },
      ],
      updateDefaultVersion: true,
      tags,
    });
    this.group = new AutoscalingGroup(this, 'group', {
      name: `${cluster.name}-${pool.name}`,
      minSize: pool.count,
      maxSize: pool.count,
      desiredCapacity: pool.count,
      vpcZoneIdentifier: props.subnetIds,
      // The newest template applies to new agents only: a new image never restarts running builds.
      launchTemplate: { id: template.id, version: '$Latest' },
      healthCheckType: 'EC2',
      // Rebalancing across zones would kill agents mid-build; capacity changes only by count.
      suspendedProcesses: ['AZRebalance'],
      tag: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
    });
  }
}
