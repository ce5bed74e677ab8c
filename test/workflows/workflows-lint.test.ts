import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { runScripts, schemaProblems, shellcheckProblems } from '../support/workflow-lint';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const DIR = join(__dirname, '..', '..', '.github', 'workflows');
const FILES = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
const shellcheck = missingTool('shellcheck', 'shellcheck');

describe('GitHub workflows', () => {
  it('has the pull request and the apply-on-merge workflow', () => {
    assert.deepEqual(FILES.sort(), ['apply-on-merge.yml', 'pull-request.yml']);
  });

  for (const file of FILES) {
    const source = readFileSync(join(DIR, file), 'utf8');
    it(`${file} matches the GitHub workflow schema`, () => {
      assert.deepEqual(schemaProblems(source), []);
    });
    it(`${file}: every run step passes shellcheck`, gateOn(shellcheck), () => {
      assertToolAvailable(shellcheck);
      const scripts = runScripts(source);
      assert.ok(scripts.length > 0);
      for (const { where, script } of scripts) assert.deepEqual(shellcheckProblems(script), [], where);
    });
  }

  it('the linter catches a broken workflow', () => {
    assert.notDeepEqual(schemaProblems('on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    stepz: []\n'), []);
  });

  it('the pull request workflow plans with the OIDC role, checks, comments in place and keeps the plans', () => {
    const workflow = parse(readFileSync(join(DIR, 'pull-request.yml'), 'utf8'));
    assert.equal(workflow.permissions['id-token'], 'write');
    const steps: { uses?: string; run?: string; with?: Record<string, string> }[] = workflow.jobs.plan.steps;
    const uses = (prefix: string) => steps.find((s) => s.uses?.startsWith(prefix));
    assert.match(uses('aws-actions/configure-aws-credentials')?.with?.['role-to-assume'] ?? '', /vars\.PLAN_ROLE_ARN/);
    assert.equal(uses('aquasecurity/trivy-action')?.with?.['scan-type'], 'config');
    assert.match(uses('actions/upload-artifact')?.with?.path ?? '', /plan\.tfplan[\s\S]*plan\.json/);
    assert.ok(steps.some((s) => s.run?.includes('lib/cli/plan.ts')) && steps.some((s) => s.run?.includes('lib/cli/check-change.ts')));
    assert.match(uses('actions/github-script')?.with?.script ?? '', /updateComment/);
  });

  it('the apply workflow applies one stack at a time, the plan it checked', () => {
    const workflow = parse(readFileSync(join(DIR, 'apply-on-merge.yml'), 'utf8'));
    assert.deepEqual(workflow.on.push.branches, ['main']);
    assert.equal(workflow.jobs.apply.strategy['max-parallel'], 1);
    const runs = workflow.jobs.apply.steps.map((s: { run?: string }) => s.run ?? '').join('\n');
    assert.match(runs, /lib\/cli\/check-change\.ts[\s\S]*terraform apply -input=false -no-color plan\.tfplan/);
  });
});
