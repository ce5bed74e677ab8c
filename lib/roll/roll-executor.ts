import { ClusterTopology } from '../model';
import { CheckResult } from '../verify/check-result';
import { majorityGuard, quorumHealth } from './majority-guard';
import { notBackInTime, notWholeBefore, replaceFailed } from './messages';
import { AutoScaledGroup, ReplaceStep, RollPlan, RollServer } from './roll-types';

/** What the `verify` checks say of the cluster now. */
export interface ClusterReport {
  readonly whole: boolean;
  readonly checks: readonly CheckResult[];
}

/** The roll's hands: each injectable, so tests can stand in for the cloud and the cluster. */
export interface RollActions {
  /** The cluster-is-whole checks (`verify`), run before and after every step. */
  checks(): Promise<ClusterReport>;
  /** Drains a Mesos agent before it goes. */
  drain(server: RollServer): Promise<void>;
  /** `terraform apply -replace=<address> -target=...`; throws with one line on failure. */
  replace(step: ReplaceStep): Promise<void>;
  /** Starts the group's instance refresh and watches it to the end; throws a RollStopped on failure. */
  refresh(group: AutoScaledGroup): Promise<void>;
}

export interface RollTiming {
  /** How long a replaced server may take to be back and the cluster whole. */
  readonly readyTimeoutMs: number;
  /** How long an Auto Scaling group's instance refresh may take (it drains agents a few at a time). */
  readonly refreshTimeoutMs: number;
  readonly pollMs: number;
}

export const DEFAULT_TIMING: RollTiming = { readyTimeoutMs: 20 * 60_000, refreshTimeoutMs: 3 * 3600_000, pollMs: 10_000 };

/** The roll stopped: `message` is the one line to print. */
export class RollStopped extends Error {
  override name = 'RollStopped';
}

export interface RollOutcome {
  /** Steps finished, in order (server or group names). */
  readonly done: readonly string[];
  /** Why it stopped, one line; undefined when every step finished. */
  readonly stopped?: string;
}

const failing = (report: ClusterReport) =>
  report.checks
    .filter((c) => c.status === 'fail')
    .map((c) => `${c.check}: ${c.summary}`)
    .join('; ') || 'no check failed, yet not whole';

/** The replaced server serves again in every quorum it is in, and the cluster is whole. */
function backAndWhole(server: RollServer, report: ClusterReport): boolean {
  if (!report.whole) return false;
  const health = quorumHealth(report.checks);
  return server.quorums.every((q) => health.get(q)?.get(server.name) === true);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function replaceOne(topology: ClusterTopology, step: ReplaceStep, actions: RollActions, timing: RollTiming, log: (line: string) => void): Promise<void> {
  const { server } = step;
  const before = await actions.checks();
  if (!before.whole) throw new RollStopped(notWholeBefore(server.name, failing(before)));
  const refused = majorityGuard(topology, server, quorumHealth(before.checks));
  if (refused !== undefined) throw new RollStopped(refused);
  if (server.agent) await actions.drain(server);
  log(`${server.name}: replacing ${server.address}`);
  try {
    await actions.replace(step);
  } catch (error) {
    throw new RollStopped(replaceFailed(server.name, server.address, (error as Error).message.split('\n')[0]));
  }
  // The checks run through the bastion: once it is replaced (maybe at a new public address) there is nothing to wait for through it.
  if (server.role === 'bastion') return log(`${server.name}: replaced; its public address may have changed (terraform output bastion_address)`);
  const deadline = Date.now() + timing.readyTimeoutMs;
  let last: ClusterReport = before;
  for (;;) {
    last = await actions.checks();
    if (backAndWhole(server, last)) break;
    if (Date.now() >= deadline) throw new RollStopped(notBackInTime(server.name, Math.round(timing.readyTimeoutMs / 1000), failing(last)));
    await sleep(Math.min(timing.pollMs, Math.max(0, deadline - Date.now())));
  }
  log(`${server.name}: back, cluster whole`);
}

/**
 * Runs the plan's steps one at a time and stops at the first that fails, touching nothing after
 * it. Each replacement runs only on a whole cluster that keeps every quorum's majority without
 * the server, and is done when the server is back and the cluster whole again.
 */
export async function executeRoll(topology: ClusterTopology, plan: RollPlan, actions: RollActions, log: (line: string) => void, timing: RollTiming = DEFAULT_TIMING): Promise<RollOutcome> {
  const done: string[] = [];
  for (const step of plan.steps) {
    try {
      if (step.kind === 'replace') {
        await replaceOne(topology, step, actions, timing, log);
        done.push(step.server.name);
      } else {
        const before = await actions.checks();
        if (!before.whole) throw new RollStopped(notWholeBefore(`Auto Scaling group ${step.group.groupName}`, failing(before)));
        log(`${step.group.groupName}: instance refresh`);
        await actions.refresh(step.group);
        done.push(step.group.groupName);
      }
    } catch (error) {
      if (error instanceof RollStopped) return { done, stopped: error.message };
      throw error;
    }
  }
  return { done };
}
