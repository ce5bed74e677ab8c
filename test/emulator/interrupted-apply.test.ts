/**
 * `terraform apply` interrupted while it creates servers, on moto, with local state (the default
 * backend), then recovered. A cut-down stack (the three ZooKeeper servers, their peer rules and
 * the network under them: test/support/cut-down-stack.ts) keeps each apply short; everything in
 * it but the servers comes from a saved apply (test/support/applied-stack-snapshot.ts), so the
 * apply each signal interrupts creates only the servers. What it shows
 * (docs/state-under-faults.md): after SIGINT as after SIGKILL, what was in flight exists in the
 * cloud but not in the state; running apply again would create it a second time (or fail on a
 * fixed address or a duplicate rule). The recovery: plan, import each planned create that already
 * exists, apply. The lock file left behind blocks nothing (local locks are OS locks).
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MOTO_IMAGE } from '../../lib/emulator/moto-quirks';
import { MotoServer, motoUnavailable } from '../../lib/emulator/moto-server';
import { EmulatorWorkspace, useStack } from '../../lib/emulator/moto-workspace';
import { ImportBlock, importFile, orphanImports, PlanForImports } from '../../lib/emulator/orphan-imports';
import { runTerraform, terraformOrThrow } from '../../lib/plan/terraform-run';
import { RECOVERY_IMPORTS_FILE } from '../../lib/sandbox/recovering-apply';
import { appliedStack } from '../support/applied-stack-snapshot';
import { exampleCluster, synthAwsToDisk } from '../support/aws-synth';
import { cutDownStack } from '../support/cut-down-stack';
import { duplicated, liveInstances, securityGroupRules, securityGroups } from '../support/moto-inventory';
import { offlineTerraformUnavailable } from '../support/offline-terraform';
import { ReattachedProvider, startReattachedProvider } from '../support/reattached-provider';
import { localStateEntries } from '../support/terraform-state-file';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

const missing = offlineTerraformUnavailable() ?? motoUnavailable();
const APPLY = ['apply', '-auto-approve', '-input=false', '-no-color'];

/** The plan the recovery reads, beside the stack's configuration. */
const PLAN_FILE = 'recovery.tfplan';

let synthesized: string | undefined;
/** The ZooKeeper servers, their peer rules and what they need: 13 resources, 3 of them instances. Synthesized once for both signals. */
function smallStack(): string {
  if (synthesized !== undefined) return synthesized;
  const full = synthAwsToDisk(exampleCluster({ name: 'faults', image: MOTO_IMAGE }));
  synthesized = cutDownStack(full, (type, name) => (type === 'aws_instance' && /^zookeeper-\d_/.test(name)) || (type === 'aws_vpc_security_group_ingress_rule' && /_zookeeper-zookeeper-(peer|election)-from-zookeeper$/.test(name)));
  return synthesized;
}

let serverless: string | undefined;
/** The small stack without its servers: what is saved applied, and restored before each signal's apply. */
function serverlessStack(): string {
  serverless ??= cutDownStack(smallStack(), (type) => type !== 'aws_instance');
  return serverless;
}

interface Interrupted {
  readonly moto: MotoServer;
  readonly workspace: EmulatorWorkspace;
  readonly stackDir: string;
  /** The instance that was in the cloud and not in the state when the signal went. */
  readonly inFlight: string;
  readonly exit: { code: number | null; signal: NodeJS.Signals | null; stdout: string };
}

/**
 * On a moto restored with everything but the servers (applied once per machine and saved), starts
 * the apply that creates the servers and sends `signal` once moto holds an instance the state does
 * not record yet. That apply loads its own provider, which dies with the Terraform it signals.
 */
async function applyInterrupted(signal: NodeJS.Signals, started: (moto: MotoServer) => void): Promise<Interrupted> {
  const { moto, workspace } = await appliedStack(serverlessStack(), { reattachProvider: true });
  started(moto);
  const stackDir = smallStack();
  // The restored `.terraform` links the provider in the plugin cache: no init. The workspace's
  // environment points every provider of the run at moto (no endpoints block to validate).
  useStack(workspace, stackDir, moto.endpoint, { endpointsFromEnvironment: true });
  const child: ChildProcess = spawn('terraform', APPLY, { cwd: workspace.dir, env: workspace.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  // Terraform prints a resource's "Creating..." before it asks the provider to create it, so moto
  // holds no instance before the first server's line: asking moto only from then on misses none,
  // and spares it a request every 100 ms while the network and the security groups are made.
  let creatingServers: () => void = () => undefined;
  const serversStarted = new Promise<void>((resolve) => (creatingServers = resolve));
  const collect = (chunk: Buffer) => {
    stdout += chunk;
    if (/^aws_instance\.\S+: Creating\.\.\./m.test(stdout)) creatingServers();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, sig) => resolve({ code, signal: sig })));
  const deadline = Date.now() + 600_000;
  await Promise.race([serversStarted, exited, new Promise((resolve) => setTimeout(resolve, 600_000).unref())]);
  let inFlight = '';
  while (inFlight === '' && child.exitCode === null && Date.now() < deadline) {
    const recorded = new Set(localStateEntries(workspace.dir).map((e) => e.id));
    const unrecorded = (await liveInstances(moto.endpoint)).find((i) => !recorded.has(i.id));
    if (unrecorded !== undefined) {
      inFlight = `${unrecorded.name} ${unrecorded.id}`;
      child.kill(signal);
    } else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { moto, workspace, stackDir, inFlight, exit: { ...(await exited), stdout } };
}

/** What the cloud holds that the state does not: instances, security groups and rules, by id. */
async function orphans(run: Interrupted): Promise<string[]> {
  const recorded = new Set(localStateEntries(run.workspace.dir).map((e) => e.id));
  const inCloud = [
    ...(await liveInstances(run.moto.endpoint)).map((i) => `instance ${i.name} ${i.id}`),
    ...(await securityGroups(run.moto.endpoint)).filter((g) => g.name !== undefined).map((g) => `security group ${g.name} ${g.id}`),
    ...(await securityGroupRules(run.moto.endpoint)).filter((r) => !r.egress).map((r) => `ingress rule ${r.id}`),
  ];
  return inCloud.filter((thing) => !recorded.has(thing.split(' ').pop()!));
}

/** Instances and security groups that exist more than once under one Name tag. */
async function twice(moto: MotoServer): Promise<string[]> {
  return [...duplicated(await liveInstances(moto.endpoint)), ...duplicated(await securityGroups(moto.endpoint))];
}

/**
 * `plan -detailed-exitcode`: 0 means no changes, 2 changes, 1 an error. With changes, the plan as
 * JSON too, which the recovery reads (lib/emulator/orphan-imports.ts).
 */
async function planExitCode(workspace: EmulatorWorkspace): Promise<{ code: number; creates: string[]; plan?: PlanForImports }> {
  const planned = await runTerraform(workspace, ['plan', '-detailed-exitcode', '-input=false', '-no-color', `-out=${PLAN_FILE}`]);
  const creates = [...planned.stdout.matchAll(/# (\S+) will be created/g)].map((m) => m[1]);
  if (planned.code !== 2) return { code: planned.code, creates };
  const plan = JSON.parse(await terraformOrThrow(workspace, ['show', '-json', PLAN_FILE])) as PlanForImports;
  return { code: planned.code, creates, plan };
}

/**
 * The recovery after a SIGKILL (docs/state-under-faults.md), as the sandbox runs it
 * (lib/emulator/orphan-imports.ts): every planned create that already exists in the cloud gets an
 * import block with its id; one apply then imports them all and creates the rest (a `terraform
 * import` per orphan would load the provider once for each).
 */
async function importBlocks(run: Interrupted, plan: PlanForImports): Promise<ImportBlock[]> {
  const blocks = await orphanImports(run.moto.endpoint, plan);
  if (blocks.length > 0) writeFileSync(join(run.workspace.dir, RECOVERY_IMPORTS_FILE), importFile(blocks));
  return blocks;
}

/**
 * Both signals end the same way on this provider (AWS 5.100): an instance whose create was in
 * flight exists in the cloud and not in the state. With SIGINT Terraform stops the provider,
 * whose wait for "running" ends with the context cancelled before the id is recorded; with
 * SIGKILL nothing more is written at all. So the recovery is the same: plan, import, apply.
 */
describe('interrupted applies, one per signal, side by side', { concurrency: true }, () => {
  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    describe(`an apply ${signal === 'SIGINT' ? 'interrupted (SIGINT)' : 'killed (SIGKILL)'} while it creates servers (moto, local state)`, gateOn(missing), () => {
      let moto: MotoServer | undefined;
      let provider: ReattachedProvider | undefined;
      after(async () => {
        await provider?.stop();
        await moto?.stop();
      });

      it('whatever it leaves in the cloud but not in the state is found by a plan and imported; then an apply converges: nothing twice, nothing orphaned, next plan empty', { timeout: 900_000 }, async (t) => {
        assertToolAvailable(missing);
        const run = await applyInterrupted(signal, (started) => (moto = started));
        assert.notEqual(run.inFlight, '', `no instance appeared before the apply ended: ${run.exit.stdout.slice(-2000)}`);
        if (signal === 'SIGINT') assert.match(run.exit.stdout, /Interrupt received|Gracefully shutting down/i);
        else assert.equal(run.exit.signal, 'SIGKILL');
        t.diagnostic(`lock file left behind: ${existsSync(join(run.workspace.dir, '.terraform.tfstate.lock.info'))}`);
        // The recovery's Terraform commands share one provider process (reattached-provider.ts) instead of loading one each.
        provider = await startReattachedProvider(run.workspace.dir, run.workspace.env);
        Object.assign(run.workspace.env, provider.env);
        // Which creates were in flight when the signal landed is a race (a run has left one, two or all
        // three servers behind), so the test holds the recovery to whatever was left, not to a count.
        // A blind re-apply would create each again (or fail on its fixed address): the plan says so, and takes the lock.
        const planned = await planExitCode(run.workspace);
        assert.equal(planned.code, 2);
        // Read after the plan (which writes no state): a create the signal cut short can reach a loaded
        // moto after Terraform has exited (seen once, a server more than a read right after the exit listed).
        const left = await orphans(run);
        t.diagnostic(`${signal} while ${run.inFlight} was being created; in the cloud, not in the state: ${left.join(', ') || 'nothing'}`);
        const blocks = await importBlocks(run, planned.plan!);
        const imported = blocks.map((b) => `${b.to} ${b.id}`);
        t.diagnostic(`imported: ${imported.join(', ')}`);
        assert.equal(imported.length, left.length, `imported ${imported.join(', ')} for ${left.join(', ')}`);
        const applied = await terraformOrThrow(run.workspace, APPLY);
        // Terraform itself confirms each import, by address and id.
        for (const { to, id } of blocks) assert.match(applied, new RegExp(`^${to.replace(/[.[\]]/g, '\\$&')}: Import complete \\[id=${id}\\]`, 'm'), applied.slice(-3000));
        // With nothing left to import (a graceful stop can record every server, tainted), Terraform names no imports.
        assert.match(applied, new RegExp(`Apply complete! Resources: ${blocks.length > 0 ? `${blocks.length} imported, ` : ''}\\d+ added, `));
        assert.deepEqual(await twice(run.moto), []);
        assert.deepEqual(await orphans(run), []);
        assert.equal((await liveInstances(run.moto.endpoint)).length, 3);
        assert.deepEqual(await planExitCode(run.workspace), { code: 0, creates: [] });
      });
    });
  }
});
