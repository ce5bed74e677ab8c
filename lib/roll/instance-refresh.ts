import { refreshFailed, refreshTimedOut } from './messages';
import { RollStopped } from './roll-executor';

/** Keep 90% of a pool serving (AWS's own default): agents go a few at a time, each drained by the termination hook. */
export const MIN_HEALTHY_PERCENTAGE = 90;

/** An instance refresh as DescribeInstanceRefreshes reports it (reference/aws/instance-refresh.json). */
export interface InstanceRefresh {
  readonly id: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly percentageComplete?: number;
}

/** The two Auto Scaling calls the roll makes; the AWS CLI adapter (aws-cli-refresh.ts) or a stand-in. */
export interface InstanceRefreshApi {
  /** StartInstanceRefresh with MinHealthyPercentage and SkipMatching; the refresh id. */
  start(groupName: string, minHealthyPercentage: number): Promise<string>;
  /** The group's refreshes, newest first. */
  describe(groupName: string): Promise<InstanceRefresh[]>;
}

const SUCCESS = new Set(['Successful']);
const FAILURE = new Set(['Failed', 'Cancelled', 'RollbackFailed', 'RollbackSuccessful']);
const RUNNING = new Set(['Pending', 'InProgress', 'Baking', 'Cancelling', 'RollbackInProgress']);

export interface RefreshTiming {
  readonly timeoutMs: number;
  readonly pollMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the group's instance refresh, or follows the one already running (a rerun after an
 * interruption), and watches it to the end with a bounded wait. Throws RollStopped with one
 * line when it fails or does not finish in time.
 */
export async function refreshGroup(api: InstanceRefreshApi, groupName: string, timing: RefreshTiming, log: (line: string) => void = () => {}): Promise<void> {
  const running = (await api.describe(groupName)).find((r) => RUNNING.has(r.status));
  const id = running?.id ?? (await api.start(groupName, MIN_HEALTHY_PERCENTAGE));
  log(`${groupName}: ${running ? 'following the instance refresh already running' : 'started instance refresh'} ${id}`);
  const deadline = Date.now() + timing.timeoutMs;
  let last: InstanceRefresh | undefined;
  for (;;) {
    last = (await api.describe(groupName)).find((r) => r.id === id);
    if (last !== undefined && SUCCESS.has(last.status)) return;
    if (last !== undefined && FAILURE.has(last.status)) throw new RollStopped(refreshFailed(groupName, last.status, last.statusReason ?? ''));
    if (Date.now() >= deadline) throw new RollStopped(refreshTimedOut(groupName, Math.round(timing.timeoutMs / 1000), last?.percentageComplete));
    await sleep(Math.min(timing.pollMs, Math.max(0, deadline - Date.now())));
  }
}
