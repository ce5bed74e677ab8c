import { App, TerraformStack } from 'cdktf';
import { AwsClusterStack } from './aws';
import { awsUserDataProblems } from './aws/user-data-limit';
import { OpenstackClusterStack } from './openstack';
import { openstackUserDataProblems } from './openstack/user-data-limit';
import { buildTopology, ClusterTopology, Problem, ResolvedCluster } from './model';
import { checkStack, PolicyReport } from './policy';
import { TerraformJson } from './policy/terraform-json';
import { resolveOnce } from './terraform/resolve-once';

/** One topology per cluster, so the deployability check and the stack share rendered documents. */
const topologies = new WeakMap<ResolvedCluster, ClusterTopology>();

function topologyOf<C extends ResolvedCluster>(cluster: C): ClusterTopology<C> {
  let topology = topologies.get(cluster) as ClusterTopology<C> | undefined;
  if (topology === undefined) topologies.set(cluster, (topology = buildTopology(cluster)));
  return topology;
}

/** The stack for a cluster's cloud; each cloud has its own stack class, sharing only the model. */
export function addClusterStack(app: App, cluster: ResolvedCluster): TerraformStack {
  switch (cluster.cloud) {
    case 'aws':
      return new AwsClusterStack(app, cluster.name, { topology: topologyOf(cluster) });
    case 'openstack':
      return new OpenstackClusterStack(app, cluster.name, { topology: topologyOf(cluster) });
  }
}

/** What the cluster's cloud would refuse at apply time, found before anything is written. */
export function deployabilityProblems(cluster: ResolvedCluster): Problem[] {
  switch (cluster.cloud) {
    case 'aws':
      return awsUserDataProblems(topologyOf(cluster));
    case 'openstack':
      return openstackUserDataProblems(topologyOf(cluster));
  }
}

/**
 * The policy rules over the stack's Terraform JSON, computed in memory before anything is
 * written; `app.synth()` then writes that same JSON (`resolveOnce`). (The project adds no
 * Aspects; one added later must run before this.)
 */
export function policyReport(stack: TerraformStack, cluster: ResolvedCluster): PolicyReport {
  const json = resolveOnce(stack) as TerraformJson;
  return checkStack({ name: cluster.name, cloud: cluster.cloud, json, suppressions: cluster.policy.suppressions });
}
