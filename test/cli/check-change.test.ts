import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { change, plan, server } from '../plan/plan-fixtures';
import { entryBundle } from '../support/run-cli';

const CLI = join(__dirname, '..', '..', 'lib', 'cli', 'check-change.ts');
const dir = mkdtempSync(join(tmpdir(), 'check-change-'));

function run(...args: string[]) {
  return spawnSync(process.execPath, [entryBundle(CLI), ...args], { encoding: 'utf8' });
}

const zk2 = server('zookeeper-2', 'zookeeper', '10.20.16.2');
const replacePlan = join(dir, 'replace.json');
writeFileSync(replacePlan, JSON.stringify(plan(change('aws_instance.zk["2"]', 'aws_instance', ['create', 'delete'], zk2, zk2, { action_reason: 'replace_by_request' }))));

describe('npm run check-change', () => {
  it('refuses with one line per finding and exit 1', () => {
    const result = run(replacePlan);
    assert.equal(result.status, 1);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^.*replace\.json: aws_instance\.zk\["2"\]: quorum server zookeeper-2 would be replaced/);
    assert.match(lines[1], /^1 finding\(s\) in 1 plan\(s\); the change is refused$/);
  });

  it('passes with the override from a flag or a PR label, and writes the verdict as Markdown', () => {
    assert.equal(run('--allow-replace', 'zookeeper-2', replacePlan).status, 0);
    const markdown = join(dir, 'comment.md');
    const result = run('--pr-labels', '["allow-replace:zookeeper-2","docs"]', '--markdown', markdown, replacePlan);
    assert.equal(result.status, 0, result.stderr);
    assert.match(readFileSync(markdown, 'utf8'), /check-change: passed/);
  });

  it('says what is wrong with a file that is not a plan, exit 2', () => {
    const notPlan = join(dir, 'state.json');
    writeFileSync(notPlan, '{"values": {}}');
    const result = run(notPlan);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /state\.json: not a Terraform plan in JSON format 1\.x; pass the output of `terraform show -json <plan>`/);
  });

  it('refuses a share that is not between 0 and 1', () => {
    const result = run('--max-pool-removal', '2', replacePlan);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--max-pool-removal: "2" is not a share between 0 and 1/);
  });
});
