import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { motoUnavailable } from '../../lib/emulator/moto-server';
import { isLauncher, readRecord } from '../../lib/sandbox/emulator-record';
import { clearSandbox } from '../../lib/sandbox/kept-emulator';
import { sandboxLayout } from '../../lib/sandbox/sandbox-layout';
import { MOTO_OVERRIDE_FILE } from '../../lib/emulator/moto-workspace';
import { ForwardingProxy, forwardingProxy } from '../support/forwarding-proxy';
import { offlineTerraformUnavailable } from '../support/offline-terraform';
import { ReattachedProvider, startMirroredProvider } from '../support/reattached-provider';
import { CliRun, runTsCli } from '../support/run-cli';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

const CLI = join(__dirname, '..', '..', 'lib', 'cli', 'sandbox.ts');
const missing = offlineTerraformUnavailable() ?? motoUnavailable();
/** The provider from the machine's filesystem mirror, as the offline Terraform tests take it. */
const env: NodeJS.ProcessEnv = { ...process.env, TF_PROVIDER_MIRROR: process.env.TF_PROVIDER_MIRROR ?? '/opt/tf-plugins' };
const sandbox = (...args: string[]) => runTsCli(CLI, args, { env });
const lines = (run: CliRun) => run.stdout.split('\n');

// One apply of the example: the first run keeps it, the second tears it down (reuse: kept-emulator.test.ts).
describe('npm run sandbox -- --keep, then --down (moto, real Terraform)', gateOn(missing), () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'mesos-cluster-sandbox-')), 'sandbox');
  const layout = sandboxLayout(dir);
  let provider: ReattachedProvider | undefined;
  let proxy: ForwardingProxy | undefined;

  before(async () => {
    if (missing !== undefined) return;
    // Every Terraform command of both runs talks to this one provider process (Terraform's
    // TF_REATTACH_PROVIDERS, which the sandbox hands on with the rest of its environment) instead
    // of starting its own two or three times: docs/test-lanes.md. Its environment is fixed now,
    // before the sandbox starts moto at a port the kernel picks, so it is pointed (as the sandbox
    // points its own runs: AWS_ENDPOINT_URL) at a proxy to whatever emulator the sandbox's record
    // names. No other AWS variable reaches it.
    proxy = await forwardingProxy(() => readRecord(layout.record)?.endpoint);
    provider = await startMirroredProvider({ ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_'))), AWS_ENDPOINT_URL: proxy.endpoint });
    Object.assign(env, provider.env);
  });

  after(async () => {
    // Whatever a failed assertion left running is stopped: only the emulator the record names.
    await clearSandbox(layout);
    await provider?.stop();
    await proxy?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploys, shows the outputs and the pull request view, stays up for terraform; --down destroys it, stops the emulator and clears the folder', async () => {
    assertToolAvailable(missing);
    const started = Date.now();
    const kept = await sandbox('--keep', '--dir', dir);
    assert.equal(kept.status, 0, `${kept.stdout}\n${kept.stderr}`);
    const out = lines(kept);
    // Said first: what the emulator does not do.
    assert.ok(out.slice(0, 4).some((l) => /no instance boots/.test(l)), kept.stdout);
    assert.ok(out.some((l) => /^ {2}zookeeper_connect = 10\.20\.\d+\.\d+:2181,10\.20\.\d+\.\d+:2181,10\.20\.\d+\.\d+:2181$/.test(l)), kept.stdout);
    assert.ok(out.some((l) => /^ {2}edge_url = https:\/\//.test(l)), kept.stdout);
    // The pull request: one count, one group updated, no quorum server or volume touched, and the check passes.
    assert.ok(out.includes('pull request: clusters/ci-aws.yaml pools.builds.count 6 -> 8 (nothing else changed)'), kept.stdout);
    assert.ok(out.includes('  ci-aws: 0 to create, 1 to update, 0 to replace, 0 to destroy'), kept.stdout);
    assert.ok(out.includes('    pool builds: 1 update'), kept.stdout);
    assert.ok(out.includes('    quorum servers touched: none') && out.includes('    data volumes touched: none'), kept.stdout);
    assert.ok(out.includes('  check-change: 1 plan(s) pass'), kept.stdout);
    assert.match(readFileSync(layout.summary, 'utf8'), /### check-change: passed/);
    // The sandbox's apply had no endpoints block: the provider found moto through its environment,
    // so through the proxy (a block would have sent it to moto directly).
    assert.ok(proxy!.actions.includes('RunInstances'), 'the apply reached the emulator through the environment');

    // Left up: the emulator runs detached, and the printed command lists the applied state.
    const record = readRecord(layout.record);
    assert.ok(record !== undefined && isLauncher(record.pid), 'the recorded emulator runs');
    // Handed over with the endpoints block, so that a bare `terraform` there reaches the emulator only.
    const handed = JSON.parse(readFileSync(join(layout.workspace, MOTO_OVERRIDE_FILE), 'utf8'));
    const endpoints = Object.values(handed.provider.aws[0].endpoints[0]);
    assert.ok(endpoints.length > 0 && endpoints.every((url) => url === record.endpoint), JSON.stringify(handed.provider));
    const stateList = out.find((l) => l.endsWith(' terraform state list'));
    assert.ok(stateList !== undefined, kept.stdout);
    const listed = spawnSync('sh', ['-c', stateList], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    assert.equal(listed.status, 0, listed.stderr);
    const addresses = listed.stdout.trim().split('\n');
    // 3 ZooKeeper, 3 masters, 3 Marathon, 3 volume agents as instances.
    assert.ok(addresses.filter((a) => a.startsWith('aws_instance.')).length >= 12, listed.stdout);
    assert.equal(addresses.filter((a) => a.startsWith('aws_ebs_volume.')).length, 3, listed.stdout);

    const down = await sandbox('--down', '--dir', dir);
    assert.equal(down.status, 0, `${down.stdout}\n${down.stderr}`);
    assert.ok(lines(down).some((l) => /^terraform destroy .*: done in \d+ s$/.test(l)), down.stdout);
    assert.ok(proxy!.actions.includes('TerminateInstances'), 'the destroy reached the emulator through the environment');
    assert.equal(isLauncher(record.pid), false, 'the emulator was stopped');
    for (const path of [layout.record, layout.workspace, layout.synth]) assert.equal(existsSync(path), false, `${path} was removed`);
    console.log(`sandbox --keep, then --down: ${Math.round((Date.now() - started) / 1000)} s`);
  });
});
