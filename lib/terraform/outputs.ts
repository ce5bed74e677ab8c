import { TerraformOutput, TerraformStack } from 'cdktf';
import { EscapedTopology } from './cluster-stack-preamble';
import { MesosUrl } from './mesos-url';

/** What every cloud's stack outputs, by the same names, so scripts and docs need not know the cloud. */
export interface ClusterOutputValues {
  /** Where an operator reaches Mesos (mesos-url.ts). */
  readonly mesos: MesosUrl;
  /** The Marathon UI and API's URL (admin CIDRs only). */
  readonly marathonUrl: string;
  /** The bastion's public address. */
  readonly bastionAddress: string;
}

export const OUTPUT_NAMES = ['zookeeper_connect', 'mesos_zk_url', 'mesos_url', 'marathon_url', 'bastion_address'] as const;

/** Only with an edge: its HTTPS address on the load balancer. */
export const EDGE_OUTPUT_NAME = 'edge_url';

export function addEdgeOutput(stack: TerraformStack, url: string): void {
  new TerraformOutput(stack, EDGE_OUTPUT_NAME, { value: url, description: 'The edge: /jenkins/<agent>, /mesos, /marathon (admin CIDRs and edge.cidrs)' });
}

export function addClusterOutputs(stack: TerraformStack, topology: EscapedTopology, values: ClusterOutputValues): void {
  new TerraformOutput(stack, 'zookeeper_connect', { value: topology.zookeeper.connectString, description: 'ZooKeeper connect string' });
  new TerraformOutput(stack, 'mesos_zk_url', { value: topology.mesos.zkUrl, description: 'Mesos masters in ZooKeeper' });
  new TerraformOutput(stack, 'mesos_url', { value: values.mesos.url, description: values.mesos.description });
  new TerraformOutput(stack, 'marathon_url', { value: values.marathonUrl, description: 'Marathon UI and API (admin CIDRs only)' });
  new TerraformOutput(stack, 'bastion_address', { value: values.bastionAddress, description: 'SSH entry: ssh -J <user>@bastion <node>' });
}
