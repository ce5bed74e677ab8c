/**
 * `npm run roll` as a command, offline: --plan from a saved `terraform show -json`, --plan with
 * no state at all, and usage errors as one line with exit 2.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { buildTopology } from '../../lib/model';
import { ignoredDrift, rollableServers } from '../../lib/roll/stack-servers';
import { exampleCluster, EXAMPLE_FILE, synthAws, synthAwsToDisk } from '../support/aws-synth';
import { runTsCli } from '../support/run-cli';

const CLI = join(__dirname, '..', '..', 'lib', 'cli', 'roll.ts');
const OLD_IMAGE = 'ami-0000000000000000a';

describe('npm run roll (command)', { concurrency: 4 }, () => {
  let stacks: string;
  let stateFile: string;
  const run = (...args: string[]) => runTsCli(CLI, [EXAMPLE_FILE, '--stacks-dir', stacks, ...args], { env: { ...process.env, CHECKPOINT_DISABLE: '1' } });

  before(() => {
    stacks = mkdtempSync(join(tmpdir(), 'roll-cli-'));
    cpSync(synthAwsToDisk(exampleCluster()), join(stacks, 'ci-aws'), { recursive: true });
    // The state after an apply of the same file, where master-3 still runs an older image.
    const resources = synthAws(exampleCluster()).json.resource;
    const state = rollableServers(buildTopology(exampleCluster()), resources).map((s) => ({
      address: s.address,
      values: { ...ignoredDrift(s.address, s.desired), ...(s.name === 'master-3' ? { ami: OLD_IMAGE } : {}) },
    }));
    stateFile = join(stacks, 'show.json');
    writeFileSync(stateFile, JSON.stringify({ format_version: '1.0', values: { root_module: { resources: state } } }));
  });

  it('--plan --state: one line for the one server that differs, exit 0', async () => {
    const result = await run('--plan', '--state', stateFile);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n').slice(-3), [
      '1. master-3: replace aws_instance.master-3_instance with aws_lb_target_group_attachment.ui_mesos-master-3 - ami ami-0000000000000000a -> ami-0123456789abcdef0',
      '2. builds: instance refresh of Auto Scaling group ci-aws-builds (min healthy 90%, instances already on the launch template are skipped; agents drain through the termination hook)',
      '3. edge: instance refresh of Auto Scaling group ci-aws-edge (min healthy 90%, instances already on the launch template are skipped)',
    ]);
  });

  it('--plan with no state lists every server of the role and says no state was found', async () => {
    const result = await run('--plan', '--role', 'marathon');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /no Terraform state found/);
    assert.deepEqual(result.stdout.split('\n').filter((l) => /^\d+\. /.test(l)).map((l) => l.split(':')[0]), ['1. marathon-1', '2. marathon-2', '3. marathon-3']);
  });

  it('an unknown role, a bad timeout, an unknown flag: one line naming the value and what is allowed, exit 2', async () => {
    const [role, timeout, flag] = await Promise.all([run('--plan', '--role', 'zookeepers'), run('--ready-timeout', '5m'), run('--replace-all')]);
    assert.deepEqual([role.status, timeout.status, flag.status], [2, 2, 2]);
    assert.equal(role.stderr, '--role "zookeepers": not a role of this cluster; allowed: zookeeper, masters, marathon, jenkins-masters, builds, edge, bastion\n');
    assert.equal(timeout.stderr, '--ready-timeout "5m": expected whole seconds from 1 to 999999\n');
    assert.match(flag.stderr, /^Unknown option '--replace-all'/);
  });
});
