import { spawnSync } from 'node:child_process';
import { offlineTerraformUnavailable, prepareOfflineWorkspace } from '../test/support/offline-terraform';
import { Sample, timed } from './measure';

/** Where a plan runs and how; each backend is one more set of plan rows. */
export interface PlanBackend {
  readonly name: string;
  /** Clouds whose stacks it can plan. */
  readonly clouds: readonly string[];
  /** Why it cannot run here, or undefined. */
  unavailable(): string | undefined;
  /** Prepares a copy of the stack (init, credentials) once; `plan` then runs on it. */
  prepare(stackDir: string): PreparedPlan;
}

export interface PreparedPlan {
  /** One whole `terraform plan`; `planned` is the number of resource instances it would create. */
  plan(): { readonly sample: Sample; readonly planned: number };
}

/** `terraform plan` with no network: provider from the filesystem mirror, no refresh (test/support/offline-terraform.ts). */
export const offlinePlan: PlanBackend = {
  name: 'offline plan',
  clouds: ['aws'],
  unavailable: offlineTerraformUnavailable,
  prepare(stackDir) {
    const workspace = prepareOfflineWorkspace(stackDir);
    return {
      plan() {
        const sample = timed(['terraform', 'plan', '-input=false', '-refresh=false', '-lock=false', '-no-color'], { cwd: workspace.dir, env: workspace.env });
        const planned = Number(/Plan: (\d+) to add/.exec(sample.stdout)?.[1] ?? NaN);
        return { sample, planned };
      },
    };
  },
};

/**
 * Hook for the plan against the AWS API emulator (moto) that the pull-request check (#8) brings:
 * implement PlanBackend around its harness (start moto on a free loopback port, point the
 * provider's endpoints at it, `terraform plan` with refresh) and add it here. Until then the
 * report says it was not measured.
 */
export const PLAN_BACKENDS: readonly PlanBackend[] = [offlinePlan];
export const NOT_YET_MEASURED = ['plan against the AWS API emulator (moto): arrives with the pull-request check (#8); hook: bench/plan-backends.ts'];

export function terraformVersion(): string {
  const result = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8' });
  try {
    return (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version;
  } catch {
    return 'not installed';
  }
}
