import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { CLOUD_RULES } from '../../lib/cli/cloud-registry';
import { ClusterFileError, parseClusterFile } from '../../lib/model';
import { synthAwsToDisk } from '../support/aws-synth';
import { GENERATOR_SEED, generatedClusterDocument } from '../support/cluster-file-generators';
import { offlineTerraformUnavailable, prepareOfflineWorkspace, terraformValidate, ValidateResult } from '../support/offline-terraform';
import { ReattachedProvider, startReattachedProvider } from '../support/reattached-provider';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

/**
 * The tool-backed half of the property test (test/model/cluster-file-property.test.ts): of the
 * generated AWS files that load and synthesize, a seeded sample also passes `terraform validate`
 * with the real AWS provider. OpenStack's provider is not in the offline mirror, so only AWS.
 */
const missing = offlineTerraformUnavailable();
const SAMPLE = 4;
/** Enough generated files to find SAMPLE that load on AWS; the same seed gives the same files. */
const CANDIDATES = 300;

/** The generated AWS cluster files that load, spread over the candidates rather than the first few. */
function loadingAwsFiles(): { index: number; text: string }[] {
  const documents = fc.sample(generatedClusterDocument, { seed: GENERATOR_SEED, numRuns: CANDIDATES });
  const loading = documents.flatMap((document, index) => {
    const text = dump(document, { lineWidth: -1, noRefs: true });
    try {
      const cluster = parseClusterFile('generated.yaml', text, CLOUD_RULES);
      return cluster.cloud === 'aws' ? [{ index, text }] : [];
    } catch (error) {
      if (error instanceof ClusterFileError) return [];
      throw error;
    }
  });
  const step = Math.max(1, Math.floor(loading.length / SAMPLE));
  return loading.filter((_, i) => i % step === 0).slice(0, SAMPLE);
}

function synthToDisk(text: string): string {
  return synthAwsToDisk(parseClusterFile('generated.yaml', text, CLOUD_RULES));
}

describe('a seeded sample of generated AWS cluster files under terraform validate', gateOn(missing), () => {
  const results: { index: number; validation: ValidateResult }[] = [];
  let provider: ReattachedProvider | undefined;

  before(async () => {
    assertToolAvailable(missing);
    const started = Date.now();
    const files = loadingAwsFiles();
    // One init and one provider process for the sample: each file's configuration replaces the
    // last in the same workspace, and every validate attaches to the same provider.
    let workspace: ReturnType<typeof prepareOfflineWorkspace> | undefined;
    for (const { index, text } of files) {
      const stackDir = synthToDisk(text);
      if (workspace === undefined) {
        const prepared = prepareOfflineWorkspace(stackDir);
        provider = await startReattachedProvider(prepared.dir, prepared.env);
        workspace = { dir: prepared.dir, env: { ...prepared.env, ...provider.env } };
      } else copyFileSync(join(stackDir, 'cdk.tf.json'), join(workspace.dir, 'cdk.tf.json'));
      results.push({ index, validation: terraformValidate(workspace) });
    }
    console.log(`# ${results.length} generated files (of ${CANDIDATES}, seed ${GENERATOR_SEED}) synthesized and validated in ${Date.now() - started} ms`);
  });
  after(async () => {
    await provider?.stop();
  });

  it(`finds ${SAMPLE} generated AWS files that load, from ${CANDIDATES} candidates`, () => {
    assert.equal(results.length, SAMPLE);
  });

  it('each synthesizes and passes terraform validate with no errors or warnings', () => {
    for (const { index, validation } of results) {
      assert.equal(validation.valid, true, `generated file #${index}: ${JSON.stringify(validation.diagnostics, null, 2)}`);
      assert.deepEqual(validation.diagnostics, [], `generated file #${index}`);
    }
  });
});
