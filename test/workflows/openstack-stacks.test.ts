import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const DIR = join(__dirname, '..', '..', '.github', 'workflows');
const jq = missingTool('jq', 'jq');

type Step = { id?: string; run?: string };
const stepRun = (file: string, job: string, id: string) =>
  ((parse(readFileSync(join(DIR, file), 'utf8')).jobs[job].steps as Step[]).find((s) => s.id === id)?.run ?? '');

/** A checkout with one synthesized AWS and one OpenStack stack; runs `script` there as GitHub does (bash -e). */
function runIn(script: string, env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'workflow-step-'));
  for (const [name, provider] of [['ci-aws', 'aws'], ['ci-openstack', 'openstack']]) {
    mkdirSync(join(dir, 'cdktf.out', 'stacks', name), { recursive: true });
    writeFileSync(join(dir, 'cdktf.out', 'stacks', name, 'cdk.tf.json'), JSON.stringify({ provider: { [provider]: [{}] } }));
  }
  const output = join(dir, 'github-output');
  writeFileSync(output, '');
  const result = spawnSync('bash', ['-e', '-c', script], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, GITHUB_OUTPUT: output, ...env } });
  const summary = join(dir, 'cdktf.out', 'plan-summary.md');
  return { ...result, output: readFileSync(output, 'utf8'), summary: () => readFileSync(summary, 'utf8') };
}

describe('the workflows and OpenStack stacks', gateOn(jq), () => {
  // lib/cli/plan.ts itself is tested in test/cli/plan.test.ts: here it only echoes what it was asked.
  const plan = stepRun('pull-request.yml', 'plan', 'plan').replace('npx tsx lib/cli/plan.ts', 'echo plan-cli');

  it('the pull request plans OpenStack stacks only with OpenStack credentials, and names the ones it left out', () => {
    assertToolAvailable(jq);
    const without = runIn(plan, { OS_AUTH_URL: '' });
    assert.equal(without.status, 0, without.stderr);
    assert.match(without.stdout, /^plan-cli --markdown cdktf.out\/plan-summary.md --stack ci-aws$/m);
    assert.match(without.stdout, /::warning::ci-openstack is an OpenStack stack and was not planned/);
    assert.match(without.summary(), /\*\*Not planned:\*\* `ci-openstack` is an OpenStack stack/);
    const withCredentials = runIn(plan, { OS_AUTH_URL: 'https://keystone.example.invalid:5000/v3' });
    assert.match(withCredentials.stdout, /^plan-cli --markdown cdktf.out\/plan-summary.md --stack ci-aws --stack ci-openstack$/m);
  });

  it('apply on merge lists OpenStack stacks only with OpenStack credentials', () => {
    assertToolAvailable(jq);
    const list = stepRun('apply-on-merge.yml', 'stacks', 'list');
    assert.equal(runIn(list, { OS_AUTH_URL: '' }).output, 'names=["ci-aws"]\n');
    assert.equal(runIn(list, { OS_AUTH_URL: 'https://keystone.example.invalid:5000/v3' }).output, 'names=["ci-aws","ci-openstack"]\n');
  });
});
