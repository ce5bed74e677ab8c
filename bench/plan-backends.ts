import { spawnSync } from 'node:child_process';
import { motoUnavailable, MotoServer, startMoto } from '../lib/emulator/moto-server';
import { emulatorWorkspace, useStack } from '../lib/emulator/moto-workspace';
import { offlineTerraformEnv, offlineTerraformUnavailable, prepareOfflineWorkspace, terraform } from '../test/support/offline-terraform';
import { Sample, timed } from './measure';

/** Where a plan runs and how; each backend is one more set of plan rows. */
export interface PlanBackend {
  readonly name: string;
  /** Clouds whose stacks it can plan. */
  readonly clouds: readonly string[];
  /** What its rows measure, for the table's notes. */
  readonly measures: string;
  /** Why it cannot run here, or undefined. */
  unavailable(): string | undefined;
  /** Starts what its plans need (a server), before the first `prepare`. */
  start?(): Promise<void>;
  /** Stops what `start` started; called even when a plan failed. */
  stop?(): Promise<void>;
  /** Prepares a copy of the stack (init, credentials) once; `plan` then runs on it. */
  prepare(stackDir: string): PreparedPlan;
}

export interface PreparedPlan {
  /** One whole `terraform plan`; `planned` is the number of resource instances it would create. */
  plan(): { readonly sample: Sample; readonly planned: number };
}

/** `terraform <args>` in a prepared folder, failing with Terraform's own words. */
function planIn(dir: string, env: NodeJS.ProcessEnv, args: readonly string[]): ReturnType<PreparedPlan['plan']> {
  const sample = timed(['terraform', 'plan', '-input=false', '-lock=false', '-no-color', ...args], { cwd: dir, env });
  const planned = Number(/Plan: (\d+) to add/.exec(sample.stdout)?.[1] ?? NaN);
  return { sample, planned };
}

/** `terraform plan` with no network: provider from the filesystem mirror, no refresh (test/support/offline-terraform.ts). */
export const offlinePlan: PlanBackend = {
  name: 'offline plan',
  clouds: ['aws'],
  measures:
    '`terraform plan -refresh=false` of the synthesized stack on empty state, provider from the filesystem mirror, dummy credentials, ' +
    'no call to any API: Terraform and the AWS provider reading, validating and diffing the configuration',
  unavailable: offlineTerraformUnavailable,
  prepare(stackDir) {
    const workspace = prepareOfflineWorkspace(stackDir);
    return { plan: () => planIn(workspace.dir, workspace.env, ['-refresh=false']) };
  },
};

/**
 * `terraform plan` against the AWS API emulator (moto, lib/emulator/) on loopback, with the
 * scratch-copy override the pull-request scenarios use (lib/emulator/moto-workspace.ts).
 */
function emulatorPlanBackend(): PlanBackend {
  let moto: MotoServer | undefined;
  return {
    name: 'plan against the AWS API emulator',
    clouds: ['aws'],
    measures:
      '`terraform plan` with refresh, on empty state, every AWS endpoint pointed at moto 5.2.1 on 127.0.0.1 (a free port; the bench starts and stops it) ' +
      'through the override the pull-request scenarios use (lib/emulator/). What reaches the emulator, seen with TF_LOG=DEBUG on the CloudBees-scale stack: ' +
      "one IAM GetUser, the provider learning the account id as it configures (the override keeps `skip_requesting_account_id` false); the stack's data sources " +
      '(aws_elb_service_account, aws_iam_policy_document, aws_partition) are answered inside the provider, and empty state leaves refresh nothing to read. ' +
      'So these rows are the offline plan plus a configured provider, that round trip and the refresh walk; a plan against deployed state reads every resource back. ' +
      "Planned counts include the override's stand-in ACM certificate and leave out the DLM policy moto has no API for (lib/emulator/moto-quirks.ts)",
    unavailable: () => offlineTerraformUnavailable() ?? motoUnavailable(),
    async start() {
      moto = await startMoto();
    },
    async stop() {
      await moto?.stop();
      moto = undefined;
    },
    prepare(stackDir) {
      if (moto === undefined) throw new Error('the emulator plan backend was not started');
      const workspace = emulatorWorkspace(offlineTerraformEnv());
      useStack(workspace, stackDir, moto.endpoint);
      terraform(workspace.dir, workspace.env, ['init', '-input=false', '-no-color']);
      return { plan: () => planIn(workspace.dir, workspace.env, []) };
    },
  };
}

export const PLAN_BACKENDS: readonly PlanBackend[] = [offlinePlan, emulatorPlanBackend()];

export function terraformVersion(): string {
  const result = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8' });
  try {
    return (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
  } catch {
    return 'not installed';
  }
}
