import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exampleCluster, synthAwsToDisk } from '../support/aws-synth';
import { offlineStsEnvironment, offlineTerraformEnv, offlineTerraformUnavailable, writeOfflineOverride } from '../support/offline-terraform';
import { ReattachedProvider, startMirroredProvider } from '../support/reattached-provider';
import { CliRun, runTsCli } from '../support/run-cli';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

const CLI = join(__dirname, '..', '..', 'lib', 'cli', 'plan.ts');
const missing = offlineTerraformUnavailable();

// `npm run plan` after its synth: the example stack planned by the real Terraform, offline (a
// new cluster: empty state, every resource to create).
describe('npm run plan (lib/cli/plan.ts) on the example AWS stack, offline', gateOn(missing), () => {
  let stacks: string;
  let markdown: string;
  let run: CliRun;
  let provider: ReattachedProvider | undefined;

  before(async () => {
    assertToolAvailable(missing);
    stacks = join(mkdtempSync(join(tmpdir(), 'mesos-cluster-plan-cli-')), 'stacks');
    cpSync(synthAwsToDisk(exampleCluster()), join(stacks, 'ci-aws'), { recursive: true });
    writeOfflineOverride(join(stacks, 'ci-aws'), { stsFromEnvironment: true });
    markdown = join(stacks, '..', 'plan-summary.md');
    const env = { ...offlineTerraformEnv(), ...offlineStsEnvironment() };
    // The command's plan and show attach to one provider process instead of starting their own (four starts).
    provider = await startMirroredProvider(env);
    run = await runTsCli(CLI, ['--stacks-dir', stacks, '--markdown', markdown], { env: { ...env, ...provider.env } });
  });
  after(async () => {
    await provider?.stop();
  });

  it('keeps the binary plan and its JSON beside the stack, exit 0', () => {
    assert.equal(run.status, 0, run.stderr);
    assert.ok(existsSync(join(stacks, 'ci-aws', 'plan.tfplan')));
    assert.equal(JSON.parse(readFileSync(join(stacks, 'ci-aws', 'plan.json'), 'utf8')).format_version.split('.')[0], '1');
  });

  it('prints a progress line when a stack starts and when it is planned, not silence', () => {
    assert.match(run.stderr, /^ci-aws: terraform init$/m);
    assert.match(run.stderr, /^ci-aws: planned in \d+ s$/m);
  });

  it('prints the summary per stack and writes it as Markdown with the Mermaid picture', () => {
    assert.match(run.stdout, /^ci-aws: \d+ to create, 0 to update, 0 to replace, 0 to destroy$/m);
    assert.match(run.stdout, /^ {2}quorum servers touched: .*zookeeper-1 created/m);
    const written = readFileSync(markdown, 'utf8');
    assert.match(written, /^## Terraform plan\n\n### Plan for stack `ci-aws`/);
    assert.match(written, /```mermaid\nflowchart LR[\s\S]*pool builds: 0 → 6 agents/);
  });
});
