import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { exampleCluster, synthAwsToDisk } from '../support/aws-synth';
import { offlineTerraformEnv, offlineTerraformUnavailable, writeOfflineOverride } from '../support/offline-terraform';
import { CliRun, runTsCli } from '../support/run-cli';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

const CLI = join(__dirname, '..', '..', 'lib', 'cli', 'plan.ts');
const missing = offlineTerraformUnavailable();

/** A CLI configuration whose only provider source is an empty folder: a broken mirror. */
function brokenMirrorEnv(root: string): NodeJS.ProcessEnv {
  const mirror = join(root, 'empty-mirror');
  mkdirSync(mirror);
  const config = join(root, 'broken.tfrc');
  writeFileSync(config, `provider_installation {\n  filesystem_mirror {\n    path = "${mirror}"\n  }\n}\n`);
  return { ...offlineTerraformEnv(), TF_CLI_CONFIG_FILE: config, TF_PLUGIN_CACHE_DIR: '' };
}

// `npm run plan` where Terraform cannot do its part: one line naming what failed, exit 1, no
// stack trace, no summary written and no plan.json left from an earlier run to pass for this one's.
describe('npm run plan when Terraform cannot plan', gateOn(missing), () => {
  const root = mkdtempSync(join(tmpdir(), 'mesos-cluster-plan-hostile-'));
  const cases = [
    { name: 'no Terraform on PATH', env: () => ({ ...offlineTerraformEnv(), PATH: join(root, 'empty-path') }), line: /^ci-aws: terraform: not found on PATH; install Terraform/ },
    { name: 'a broken provider mirror', env: () => brokenMirrorEnv(root), line: /^ci-aws: terraform init failed in .*: Error: Failed to query available provider packages: .*hashicorp\/aws/ },
    {
      name: 'a stack that fails init (a configuration cut short)',
      env: () => offlineTerraformEnv(),
      spoil: (stack: string) => writeFileSync(join(stack, 'cdk.tf.json'), readFileSync(join(stack, 'cdk.tf.json'), 'utf8').slice(0, 2000)),
      line: /^ci-aws: terraform init failed in .*: Error: /,
    },
  ];
  const runs: { run: CliRun; stacks: string; markdown: string }[] = [];

  before(async () => {
    assertToolAvailable(missing);
    mkdirSync(join(root, 'empty-path'));
    const synthesized = synthAwsToDisk(exampleCluster());
    const prepared = cases.map((c, i) => {
      const stacks = join(root, `case-${i}`, 'stacks');
      const stack = join(stacks, 'ci-aws');
      cpSync(synthesized, stack, { recursive: true });
      writeOfflineOverride(stack);
      writeFileSync(join(stack, 'plan.json'), '{"format_version": "1.2", "planned_values": {}}');
      c.spoil?.(stack);
      return { stacks, markdown: join(root, `case-${i}`, 'plan-summary.md'), env: c.env() };
    });
    const results = await Promise.all(prepared.map((p) => runTsCli(CLI, ['--stacks-dir', p.stacks, '--markdown', p.markdown], { env: p.env })));
    results.forEach((run, i) => runs.push({ run, stacks: prepared[i].stacks, markdown: prepared[i].markdown }));
  });

  cases.forEach((c, i) => {
    it(`${c.name}: one line naming it, exit 1, no stack trace, no summary, no stale plan.json`, () => {
      const { run, stacks, markdown } = runs[i];
      assert.equal(run.status, 1, run.stderr);
      const lines = run.stderr.trimEnd().split('\n').filter((l) => l !== 'ci-aws: terraform init');
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0], c.line);
      assert.match(lines[0], /; no summary was written$/);
      assert.doesNotMatch(run.stderr, /\n\s+at |undefined|\[object Object\]|NaN/);
      assert.equal(existsSync(markdown), false, 'no summary');
      assert.equal(existsSync(join(stacks, 'ci-aws', 'plan.json')), false, 'the earlier plan.json is gone');
    });
  });
});
