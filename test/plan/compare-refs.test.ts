import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { motoUnavailable } from '../../lib/emulator/moto-server';
import { offlineTerraformEnv, offlineTerraformUnavailable } from '../support/offline-terraform';
import { ReattachedProvider, startMirroredProvider } from '../support/reattached-provider';
import { CliRun, runTsCli } from '../support/run-cli';
import { assertToolAvailable, gateOn } from '../support/tool-gate';
import { Patch, patchYaml } from '../support/yaml-patch';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'lib', 'cli', 'check-change.ts');
const missing = offlineTerraformUnavailable() ?? motoUnavailable();

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * A throwaway repository holding this work tree's files (uncommitted edits included, so the code
 * under test is what synthesizes) as commit `base`, and one branch per change of the AWS example
 * cluster; `node_modules` is this checkout's, by symlink, as after `npm ci`.
 */
function throwawayRepository(changes: Record<string, Patch>): string {
  const repo = mkdtempSync(join(tmpdir(), 'mesos-cluster-refs-'));
  const files = git(ROOT, 'ls-files', '-z', '--cached', '--others', '--exclude-standard').split('\0').filter((f) => f !== '' && existsSync(join(ROOT, f)));
  for (const file of files) {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    cpSync(join(ROOT, file), join(repo, file));
  }
  git(repo, 'init', '--quiet', '--initial-branch=main');
  git(repo, 'add', '--all');
  git(repo, '-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '--quiet', '--no-verify', '-m', 'base');
  git(repo, 'tag', 'base');
  const example = join(repo, 'clusters', 'ci-aws.yaml');
  for (const [branch, patch] of Object.entries(changes)) {
    git(repo, 'checkout', '--quiet', '-b', branch, 'base');
    writeFileSync(example, patchYaml(readFileSync(example, 'utf8'), patch));
    git(repo, '-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '--quiet', '--no-verify', '-am', branch);
  }
  git(repo, 'checkout', '--quiet', 'main');
  // After the commits: .gitignore's `node_modules/` does not match a symlink.
  symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'));
  return repo;
}

/**
 * The machine's temporary folder as the commands see it (set in `before`): their saved applies
 * (lib/emulator/saved-apply.ts) start empty and stay apart from every other test's.
 */
let commandTmp: string;
const savedApplies = () => join(commandTmp, 'mesos-cluster-applied-stacks');

/**
 * `npm run check-change -- <args>` as run from `cwd`; with `provider`, every Terraform command of
 * the run attaches to that provider process instead of starting its own (Terraform reads
 * `TF_REATTACH_PROVIDERS` from the environment the command hands it).
 */
const checkChange = (cwd: string, args: string[], provider?: ReattachedProvider) =>
  runTsCli(CLI, args, { cwd, env: { ...offlineTerraformEnv(), TMPDIR: commandTmp, ...provider?.env } });

/** The `<plan.json>: <address>: <message>` lines. */
const findingLines = (run: CliRun) => run.stderr.split('\n').filter((line) => /^\S*plan\.json: /.test(line));

/** What a run decided: exit, stdout, the plan summary and the findings (without the plan file's path, which is the run's own). */
const verdict = (run: CliRun) => ({
  status: run.status,
  stdout: run.stdout,
  summary: run.stderr.split('\n').filter((line) => /^ci-aws: \d+ to create|^ {2}\S/.test(line)),
  findings: findingLines(run).map((line) => line.replace(/^\S*plan\.json: /, '')),
});

describe('npm run check-change -- --base <ref> --head <ref> (a fresh repository, moto)', gateOn(missing), () => {
  let repo: string;
  let grown: CliRun;
  let grownAgain: CliRun;
  let resized: CliRun;
  let provider: ReattachedProvider | undefined;

  before(async () => {
    assertToolAvailable(missing);
    commandTmp = mkdtempSync(join(tmpdir(), 'mesos-cluster-refs-tmp-'));
    repo = throwawayRepository({ grow: { pools: { builds: { count: 8 } } }, 'resize-zookeeper': { zookeeper: { count: 5 } } });
    // A Terraform command starts the 700 MB provider up to three times (docs/test-lanes.md): the
    // runs attach to one provider process instead, one run after the other, since each command
    // configures the provider for its own run's moto (a second provider for a run side by side
    // costs its start, 2.5 CPU-s).
    provider = await startMirroredProvider(offlineTerraformEnv());
    // The first run synthesizes both refs, applies the base to moto and saves that apply, then plans
    // the head on it; the next two restore the save instead of applying.
    grown = await checkChange(repo, ['--base', 'base', '--head', 'grow'], provider);
    grownAgain = await checkChange(repo, ['--base', 'base', '--head', 'grow'], provider);
    resized = await checkChange(join(repo, 'lib'), ['--base', 'base', '--head', 'resize-zookeeper'], provider);
  });

  after(async () => {
    await provider?.stop();
    rmSync(commandTmp, { recursive: true, force: true });
  });

  it('passes a head that grows a pool, exit 0, synthesizing both refs, applying the base and saving that apply', () => {
    assert.equal(grown.status, 0, grown.stderr);
    assert.match(grown.stderr, /^synthesizing base$/m);
    assert.match(grown.stderr, /^synthesizing grow$/m);
    assert.doesNotMatch(grown.stderr, /reused the synthesis/);
    assert.equal(grown.stdout.trim(), 'check-change: 1 plan(s) pass');
    assert.deepEqual(findingLines(grown), []);
    assert.match(grown.stderr, /^ci-aws: applying base to the emulator$/m);
    assert.ok(grown.stderr.split('\n').includes(`ci-aws: applied base (saved for reuse in ${savedApplies()})`), grown.stderr);
    assert.match(grown.stderr, /^  pool builds: 1 update$/m);
  });

  it('a second run on the same refs reuses their syntheses and restores the saved apply instead of applying, with the first run\'s verdict', () => {
    assert.doesNotMatch(grownAgain.stderr, /^synthesizing /m);
    for (const ref of ['base', 'grow']) assert.ok(grownAgain.stderr.split('\n').includes(`reused the synthesis of ${ref} (kept in ${join(commandTmp, 'mesos-cluster-synthesized-refs')})`), grownAgain.stderr);
    assert.match(grownAgain.stderr, /^ci-aws: restored the saved apply of base$/m);
    assert.doesNotMatch(grownAgain.stderr, /applying base/);
    assert.deepEqual(verdict(grownAgain), verdict(grown));
    assert.deepEqual(readdirSync(savedApplies()).filter((name) => /^[0-9a-f]{24}$/.test(name)).length, 1, 'one save, made by the first run');
  });

  it('leaves the OpenStack stack out, saying so', () => {
    assert.match(grown.stderr, /^ci-openstack: not an AWS stack; the emulator plans AWS stacks only/m);
  });

  it('refuses a head that changes the ZooKeeper count with one line, exit 1, on the restored base and its kept synthesis (also when started from a subfolder)', () => {
    assert.equal(resized.status, 1, resized.stderr);
    // Its head is new, so synthesized; its base's synthesis is the first run's.
    assert.match(resized.stderr, /^synthesizing resize-zookeeper$/m);
    assert.match(resized.stderr, /^reused the synthesis of base /m);
    assert.match(resized.stderr, /^ci-aws: restored the saved apply of base$/m);
    const lines = findingLines(resized);
    assert.equal(lines.length, 1, resized.stderr);
    assert.match(lines[0], /plan\.json: aws_instance\.[^:]*: the zookeeper quorum would change from 3 to 5 servers on a running cluster/);
    assert.match(resized.stderr, /^1 finding\(s\) in 1 plan\(s\); the change is refused$/m);
  });

  it('says a ref that is not a commit is unknown, exit 2', async () => {
    const run = await checkChange(repo, ['--base', 'no-such-ref']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^check-change: "no-such-ref" is not a commit of the repository in /m);
  });
});
