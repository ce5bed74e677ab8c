import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Testing } from 'cdktf';
import { CLOUD_RULES } from '../../lib/cli/cloud-registry';
import { OpenstackCluster, buildTopology, parseClusterFile, ResolvedCluster } from '../../lib/model';
import { OpenstackClusterStack } from '../../lib/openstack';
import { Resources } from './aws-synth';
import { synthOnce } from './synth-once';
import { Patch, patchYaml } from './yaml-patch';

export const OPENSTACK_EXAMPLE_FILE = join(__dirname, '..', '..', 'clusters', 'ci-openstack.yaml');

/** clusters/ci-openstack.yaml, optionally patched: examples double as fixtures. */
export function exampleOpenstackCluster(patch: Patch = {}): OpenstackCluster {
  return onOpenstack(parseClusterFile('ci-openstack.yaml', patchYaml(readFileSync(OPENSTACK_EXAMPLE_FILE, 'utf8'), patch), CLOUD_RULES));
}

/** The cluster, typed as the OpenStack cluster it must be. */
export function onOpenstack(cluster: ResolvedCluster): OpenstackCluster {
  if (cluster.cloud !== 'openstack') throw new Error(`cluster ${cluster.name} is for ${cluster.cloud}, not openstack`);
  return cluster;
}

/** The OpenStack example with colocated control servers, which take zookeeper's size. */
export const OPENSTACK_COLOCATED = { name: 'ci-openstack-colocated', colocate: true, masters: undefined, marathon: undefined } as const;

export interface SynthesizedOpenstackStack {
  readonly resource: Resources;
  readonly data: Resources;
  readonly locals: Record<string, any>;
  readonly output: Record<string, any>;
  readonly terraform: any;
  readonly provider: any;
  readonly [key: string]: unknown;
}

/**
 * Synthesizes the cluster's OpenStack stack with cdktf's validations on; once per distinct cluster
 * in a test process (synth-once.ts), the JSON the caller's own copy.
 */
export function synthOpenstack(cluster: ResolvedCluster): SynthesizedOpenstackStack {
  return synthOnce('openstack', cluster, () => {
    const app: App = Testing.app();
    const stack = new OpenstackClusterStack(app, cluster.name, { topology: buildTopology(onOpenstack(cluster)) });
    return { text: Testing.synth(stack, true), extra: undefined };
  }).json;
}
