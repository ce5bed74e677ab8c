import { App, TerraformStack } from 'cdktf';
import { AwsClusterStack } from './aws';
import { buildTopology, ClusterTopology, ResolvedCluster } from './model';

/** The stack for a cluster's cloud; each cloud has its own stack class, sharing only the model. */
export function addClusterStack(app: App, cluster: ResolvedCluster): TerraformStack {
  const topology: ClusterTopology = buildTopology(cluster);
  switch (cluster.cloud) {
    case 'aws':
      return new AwsClusterStack(app, cluster.name, { topology });
    case 'openstack':
      throw new Error(`cluster ${cluster.name}: OpenStack stacks are not built yet`);
  }
}
