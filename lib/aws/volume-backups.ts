import { DlmLifecyclePolicy } from '@cdktf/provider-aws/lib/dlm-lifecycle-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { AgentPoolTopology, ClusterLabels } from '../model';
import { AwsAccount } from './aws-account';
import { serviceTrustPolicy } from './service-trust';
import { resourceTags } from './tags';

export interface VolumeBackupsProps {
  /** The cluster's name and tags, for the names and tags of its resources. */
  readonly cluster: ClusterLabels;
  /** The account whose DLM policies alone may assume the role. */
  readonly account: AwsAccount;
  readonly region: string;
  /** The pools with volumes; one snapshot policy each. */
  readonly pools: readonly AgentPoolTopology[];
}

/** AWS's own policy for Data Lifecycle Manager's EBS snapshots: snapshot actions only, no `*`. */
const DLM_SERVICE_POLICY = 'policy/service-role/AWSDataLifecycleManagerServiceRole';

/**
 * Snapshots of every data volume: one Data Lifecycle Manager policy per pool, selecting the
 * pool's volumes by the tags the stack writes on them (`cluster`, `pool`, `backup=true`), so a
 * volume added when the pool grows is backed up with no change here. One role for all of them.
 */
export class VolumeBackups extends Construct {
  readonly policies = new Map<string, DlmLifecyclePolicy>();

  constructor(scope: Construct, id: string, props: VolumeBackupsProps) {
    super(scope, id);
    const { cluster } = props;
    const { partition, accountId } = props.account;
    const { region } = props;
    const role = new IamRole(this, 'role', {
      name: `${cluster.name}-volume-backups`,
      assumeRolePolicy: serviceTrustPolicy('dlm.amazonaws.com', props.account, `arn:${partition}:dlm:${region}:${accountId}:policy/*`),
      tags: resourceTags(cluster, 'volume-backups'),
    });
    new IamRolePolicyAttachment(this, 'role-policy', {
      role: role.name,
      policyArn: `arn:${partition}:iam::aws:${DLM_SERVICE_POLICY}`,
    });
    for (const pool of props.pools) {
      const volume = pool.volume;
      if (volume === undefined) continue;
      const { everyHours, at, keep } = volume.backup;
      this.policies.set(
        pool.name,
        new DlmLifecyclePolicy(this, pool.name, {
          description: `${cluster.name} ${pool.name} data volumes`,
          executionRoleArn: role.arn,
          state: 'ENABLED',
          policyDetails: {
            resourceTypes: ['VOLUME'],
            targetTags: { cluster: cluster.name, pool: pool.name, backup: 'true' },
            schedule: [
              {
                name: `every ${everyHours}h from ${at} UTC, last ${keep} kept`,
                createRule: { interval: everyHours, intervalUnit: 'HOURS', times: [at] },
                retainRule: { count: keep },
                copyTags: true,
              },
            ],
          },
          tags: resourceTags(cluster, `${pool.name}-backups`),
        }),
      );
    }
  }
}
