/**
 * The sandbox's apply when the emulator's answer breaks it (lib/sandbox/recovering-apply.ts), on
 * moto behind a loopback proxy that garbles one answer, with real Terraform and a cut-down stack
 * (the ZooKeeper security group, its peer rules, the VPC and the control subnets) so each apply is short.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MOTO_IMAGE } from '../../lib/emulator/moto-quirks';
import { MotoServer, motoUnavailable, startMoto } from '../../lib/emulator/moto-server';
import { emulatorWorkspace, motoEndpointEnvironment, useStack } from '../../lib/emulator/moto-workspace';
import { runTerraform, terraformOrThrow, TerraformError } from '../../lib/plan/terraform-run';
import { EXAMPLE_CLUSTER_FILE, synthesize } from '../../lib/sandbox/example-cluster';
import { applyRecovering, RECOVERY_IMPORTS_FILE } from '../../lib/sandbox/recovering-apply';
import { cutDownStack } from '../support/cut-down-stack';
import { GarblingProxy, garblingProxy } from '../support/garbling-proxy';
import { securityGroupRules } from '../support/moto-inventory';
import { offlineTerraformEnv, offlineTerraformUnavailable } from '../support/offline-terraform';
import { ReattachedProvider, startMirroredProvider } from '../support/reattached-provider';
import { assertToolAvailable, gateOn } from '../support/tool-gate';
import { patchYaml } from '../support/yaml-patch';

const missing = offlineTerraformUnavailable() ?? motoUnavailable();
const PEER_RULE = /_zookeeper-zookeeper-(peer|election)-from-zookeeper$/;

async function rulesStack(): Promise<string> {
  // The sandbox's own synth (scripts/app.js, a prebuilt bundle in a child process): about a third
  // of the CPU of loading the stack's code and cdktf into this process through tsx.
  const text = patchYaml(readFileSync(EXAMPLE_CLUSTER_FILE, 'utf8'), { name: 'garbled', image: MOTO_IMAGE });
  const full = await synthesize(text, basename(EXAMPLE_CLUSTER_FILE), mkdtempSync(join(tmpdir(), 'mesos-cluster-garbled-')));
  // The control subnets too: the stack's locals name them.
  return cutDownStack(full, (type, name) => (type === 'aws_vpc_security_group_ingress_rule' && PEER_RULE.test(name)) || (type === 'aws_subnet' && name.startsWith('network_control-')));
}

describe('the sandbox apply under a garbled emulator answer (moto behind a loopback proxy, real Terraform)', gateOn(missing), () => {
  let moto: MotoServer | undefined;
  let proxy: GarblingProxy | undefined;
  let provider: ReattachedProvider | undefined;
  let stackDir = '';
  /** A workspace for the cut-down stack whose Terraform commands all talk to the one provider process. */
  const workspaceOnProxy = () => {
    const workspace = emulatorWorkspace(offlineTerraformEnv());
    useStack(workspace, stackDir, proxy!.endpoint, { endpointsFromEnvironment: true });
    return { ...workspace, env: { ...workspace.env, ...provider!.env } };
  };
  before(async () => {
    if (missing !== undefined) return;
    stackDir = await rulesStack();
    moto = await startMoto();
    // The first rule create is carried out by moto, and its answer garbled on the way back.
    proxy = await garblingProxy(moto.endpoint, /(?:^|&)Action=AuthorizeSecurityGroupIngress(&|$)/);
    // One provider for every Terraform command (TF_REATTACH_PROVIDERS, instead of each command
    // that loads it starting it two or three times), finding the proxy through its environment
    // rather than an endpoints block, which it validates at every plan (docs/test-lanes.md).
    provider = await startMirroredProvider({ ...offlineTerraformEnv(), ...motoEndpointEnvironment(proxy.endpoint) });
  });
  after(async () => {
    await provider?.stop();
    await proxy?.close();
    await moto?.stop();
  });

  it('imports the rule moto created but Terraform saw fail, applies once more and converges: each rule once, next plan empty', { timeout: 1_200_000 }, async (t) => {
    assertToolAvailable(missing);
    const workspace = workspaceOnProxy();
    await terraformOrThrow(workspace, ['init', '-input=false', '-no-color']);
    const said: string[] = [];
    const applied = await applyRecovering(workspace, proxy!.endpoint, (line) => said.push(line));
    t.diagnostic(said.join(' | '));

    assert.equal(proxy!.garbled(), 1, 'one answer was garbled');
    assert.equal(said.length, 2, said.join('\n'));
    assert.match(said[0], /^terraform apply stopped on the emulator's answer \(Error: creating VPC Security Group Rule: operation error EC2: AuthorizeSecurityGroupIngress, .+\); importing what the emulator holds that the state lacks, then applying once more$/);
    const imported = /^ {2}importing (aws_vpc_security_group_ingress_rule\.\S+) \((sgr-[0-9a-f]+)\)$/.exec(said[1]);
    assert.ok(imported !== null, said[1]);
    assert.match(applied, new RegExp(`^${imported[1].replace(/[.[\]]/g, '\\$&')}: Import complete \\[id=${imported[2]}\\]`, 'm'), applied.slice(-3000));
    assert.match(applied, /Apply complete! Resources: 1 imported, /);

    // Each planned rule exists once in the emulator: the garbled one was imported, not created again.
    const planned = Object.keys(JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')).resource.aws_vpc_security_group_ingress_rule);
    const ingress = (await securityGroupRules(moto!.endpoint)).filter((r) => !r.egress);
    const permissions = ingress.map((r) => `${r.groupId} ${r.protocol} ${r.fromPort}-${r.toPort} ${r.source}`);
    assert.equal(new Set(permissions).size, permissions.length, permissions.join('\n'));
    assert.equal(ingress.length, planned.length, permissions.join('\n'));
    assert.ok(ingress.some((r) => r.id === imported[2]));

    const plan = await runTerraform(workspace, ['plan', '-detailed-exitcode', '-input=false', '-no-color']);
    assert.equal(plan.code, 0, plan.stdout.slice(-3000));
    assert.equal(existsSync(join(workspace.dir, RECOVERY_IMPORTS_FILE)), false, 'the import blocks were removed');
  });

  it('a configuration error (an unsupported argument) is reported in one line naming the workspace, and not retried', { timeout: 600_000 }, async () => {
    assertToolAvailable(missing);
    const workspace = workspaceOnProxy();
    const configFile = join(workspace.dir, 'cdk.tf.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    const [groupName] = Object.keys(config.resource.aws_security_group);
    config.resource.aws_security_group[groupName].no_such_argument = 'x';
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    await terraformOrThrow(workspace, ['init', '-input=false', '-no-color']);
    const before = proxy!.actions.length;
    const said: string[] = [];
    const refused = await applyRecovering(workspace, proxy!.endpoint, (line) => said.push(line)).then(
      () => assert.fail('the apply passed'),
      (error: unknown) => error,
    );
    assert.ok(refused instanceof TerraformError, String(refused));
    assert.equal(refused.message.split('\n').length, 1, refused.message);
    assert.match(refused.message, new RegExp(`^terraform apply failed in ${workspace.dir}: Error: Extraneous JSON object property: No argument or block type is named "no_such_argument"\\. \\(a configuration error, not an emulator fault: not retried\\)$`));
    assert.deepEqual(said, [], 'no recovery was tried');
    // The provider may ask who it is (IAM GetUser, STS); no create was ever sent.
    assert.deepEqual(proxy!.actions.slice(before).filter((action) => /^(Create|Authorize|Run)/.test(action)), [], 'no create reached the emulator');
  });
});
