import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { CLOUD_RULES } from '../../lib/cli/cloud-registry';
import { ClusterFileError, parseClusterFile } from '../../lib/model';
import { synthAwsToDisk } from '../support/aws-synth';
import { GENERATOR_SEED, generatedClusterDocument } from '../support/cluster-file-generators';
import { offlineTerraformEnv, offlineTerraformUnavailable, ValidateResult } from '../support/offline-terraform';
import { ReattachedProvider, startMirroredProvider } from '../support/reattached-provider';
import { assertToolAvailable, gateOn } from '../support/tool-gate';
import { moduleDiagnostics, validateAsModules } from '../support/stacks-as-modules';

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
    // `cloud` is required and read as written: a document for another cloud (or none) never loads as AWS, so it is not parsed.
    if ((document as { cloud?: unknown } | null)?.cloud !== 'aws') return [];
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

/** The generated file's folder in the validated configuration. */
const moduleName = (index: number) => `generated-${index}`;

function synthToDisk(text: string): string {
  return synthAwsToDisk(parseClusterFile('generated.yaml', text, CLOUD_RULES));
}

describe('a seeded sample of generated AWS cluster files under terraform validate', gateOn(missing), () => {
  let files: { index: number; text: string }[] = [];
  let validation: ValidateResult;
  let provider: ReattachedProvider | undefined;

  before(async () => {
    assertToolAvailable(missing);
    const started = Date.now();
    files = loadingAwsFiles();
    const stacks = files.map(({ index, text }) => ({ name: moduleName(index), stackDir: synthToDisk(text) }));
    // One validate for the sample, each file a module of it, on one provider process.
    const env = offlineTerraformEnv();
    provider = await startMirroredProvider(env);
    validation = validateAsModules(stacks, { ...env, ...provider.env });
    console.log(`# ${files.length} generated files (of ${CANDIDATES}, seed ${GENERATOR_SEED}) synthesized and validated in ${Date.now() - started} ms`);
  });
  after(async () => {
    await provider?.stop();
  });

  it(`finds ${SAMPLE} generated AWS files that load, from ${CANDIDATES} candidates`, () => {
    assert.equal(files.length, SAMPLE);
  });

  it('each synthesizes and passes terraform validate (one run, each file a module of it) with no errors or warnings', () => {
    assert.equal(validation.valid, true, JSON.stringify(validation.diagnostics, null, 2));
    for (const { index } of files) assert.deepEqual(moduleDiagnostics(validation.diagnostics, moduleName(index)), [], `generated file #${index}`);
    assert.deepEqual(validation.diagnostics, []);
  });
});
