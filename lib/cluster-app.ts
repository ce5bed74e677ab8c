import { App, TerraformStack } from 'cdktf';
import { AwsClusterStack } from './aws';
import { awsUserDataProblems } from './aws/user-data-limit';
import { buildTopology, Problem, ResolvedCluster } from './model';

/** The stack for a cluster's cloud; each cloud has its own stack class, sharing only the model. */
export function addClusterStack(app: App, cluster: ResolvedCluster): TerraformStack {
  const topology = buildTopology(cluster);
  switch (cluster.cloud) {
    case 'aws':
      return new AwsClusterStack(app, cluster.name, { topology });
    case 'openstack':
      throw new Error(`cluster ${cluster.name}: OpenStack stacks are not built yet`);
  }
}

/** What the cluster's cloud would refuse at apply time, found before anything is written. */
export function deployabilityProblems(cluster: ResolvedCluster): Problem[] {
  switch (cluster.cloud) {
    case 'aws':
      return awsUserDataProblems(buildTopology(cluster));
    case 'openstack':
      return [];
  }
}
