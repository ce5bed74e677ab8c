import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Testing } from 'cdktf';
import { AwsClusterStack } from '../../lib/aws';
import { AwsCluster, buildTopology, parseClusterFile, ResolvedCluster } from '../../lib/model';
import { CLOUD_RULES } from '../../lib/cli/cloud-registry';
import { withoutTokenCreationStacks } from '../../lib/terraform/creation-stacks';
import { synthOnce } from './synth-once';
import { Patch, patchYaml } from './yaml-patch';

export const EXAMPLE_FILE = join(__dirname, '..', '..', 'clusters', 'ci-aws.yaml');

/** The shipped example cluster, optionally patched: examples double as fixtures. */
export function exampleCluster(patch: Patch = {}): AwsCluster {
  return onAws(parseClusterFile('ci-aws.yaml', patchYaml(readFileSync(EXAMPLE_FILE, 'utf8'), patch), CLOUD_RULES));
}

/** The cluster, typed as the AWS cluster it must be. */
export function onAws(cluster: ResolvedCluster): AwsCluster {
  if (cluster.cloud !== 'aws') throw new Error(`cluster ${cluster.name} is for ${cluster.cloud}, not aws`);
  return cluster;
}

/** A resource block of the synthesized JSON: type -> name -> arguments. */
export type Resources = Record<string, Record<string, Record<string, any>>>;

export interface SynthesizedStack {
  readonly json: { resource: Resources; data?: Resources; output: Record<string, any>; locals?: Record<string, any>; terraform: any; provider: any };
  readonly stack: AwsClusterStack;
}

/**
 * Synthesizes the cluster's AWS stack with cdktf's validations on; once per distinct cluster in a
 * test process (synth-once.ts): the JSON is the caller's own copy, the stack is shared.
 */
export function synthAws(cluster: ResolvedCluster): SynthesizedStack {
  const { json, extra: stack } = synthOnce('aws', cluster, () => {
    const app: App = Testing.app();
    const stack = new AwsClusterStack(app, cluster.name, { topology: buildTopology(onAws(cluster)) });
    return { text: Testing.synth(stack, true), extra: stack };
  });
  return { json, stack };
}

/** The stack written to disk as `terraform` reads it; returns the stack's folder. */
export function synthAwsToDisk(cluster: ResolvedCluster): string {
  // As `npm run synth` does: no creation stack for every token (synth-once.ts says what it costs).
  return withoutTokenCreationStacks(() => {
    const app: App = Testing.app();
    const stack = new AwsClusterStack(app, cluster.name, { topology: buildTopology(onAws(cluster)) });
    return join(Testing.fullSynth(stack), 'stacks', cluster.name);
  });
}
