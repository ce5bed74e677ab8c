import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError } from './command-exit';
import { ClusterTopology } from '../model';
import { TerraformWorkspace } from '../plan/terraform-run';
import { InstanceRefreshApi, refreshGroup } from '../roll/instance-refresh';
import { leadersFrom } from '../roll/live-leaders';
import { unknownRole } from '../roll/messages';
import { planLines } from '../roll/plan-lines';
import { ClusterReport, DEFAULT_TIMING, executeRoll, RollActions, RollTiming } from '../roll/roll-executor';
import { planRoll, rollRoles } from '../roll/roll-plan';
import { Leaders, RollServer } from '../roll/roll-types';
import { StackResources } from '../roll/stack-servers';
import { stateValues, StateValues } from '../roll/state-drift';
import { readState, terraformReplace } from '../roll/terraform-steps';

export interface RollCommandInput {
  readonly topology: ClusterTopology;
  /** The synthesized stack folder (`cdktf.out/stacks/<name>`), where Terraform runs. */
  readonly workspace: TerraformWorkspace;
  readonly role?: string;
  /** `--plan`: print the steps, change nothing. */
  readonly planOnly: boolean;
  /** `--state <file>`: a saved `terraform show -json` instead of asking Terraform. */
  readonly stateFile?: string;
  /** The live cluster's checks; undefined when it is not asked (`--plan` without a way in). */
  readonly cluster?: { report(): Promise<ClusterReport> };
  /** Drains an agent before its replacement. */
  readonly drain: (server: RollServer) => Promise<void>;
  readonly refreshApi: () => InstanceRefreshApi;
  readonly timing?: RollTiming;
  readonly out: (line: string) => void;
}

/** Exit 2: the command cannot run as asked (usage), one line. */
const usage = (message: string) => new CommandError(message, 2);

function stackResources(dir: string): StackResources {
  const file = join(dir, 'cdk.tf.json');
  if (!existsSync(file)) throw usage(`no synthesized stack at ${file}: run \`npm run synth\` first (npm run roll does)`);
  return (JSON.parse(readFileSync(file, 'utf8')).resource ?? {}) as StackResources;
}

async function stateOf(input: RollCommandInput): Promise<{ state?: StateValues; why?: string }> {
  if (input.stateFile !== undefined) {
    if (!existsSync(input.stateFile)) throw usage(`--state ${input.stateFile}: no such file (save one with \`terraform show -json > state.json\`)`);
    try {
      const state = stateValues(JSON.parse(readFileSync(input.stateFile, 'utf8')));
      return state.size > 0 ? { state } : { why: `${input.stateFile} holds no resources` };
    } catch {
      throw usage(`--state ${input.stateFile}: not JSON (save one with \`terraform show -json > state.json\`)`);
    }
  }
  const read = await readState(input.workspace);
  return 'state' in read ? { state: read.state } : { why: read.none };
}

/**
 * `npm run roll` after its arguments are read (roll.ts): plans the roll from the stack and its state and, unless `--plan`, runs it one
 * step at a time against the live cluster. Returns the exit code; a stop is one line on stderr.
 */
export async function rollCommand(input: RollCommandInput): Promise<number> {
  const resources = stackResources(input.workspace.dir);
  const roles = rollRoles({ topology: input.topology, resources });
  if (input.role !== undefined && !roles.includes(input.role)) throw usage(unknownRole(input.role, roles));
  const { state, why } = await stateOf(input);
  if (!input.planOnly) {
    if (state === undefined) throw new CommandError(`no Terraform state in ${input.workspace.dir} (${why}): nothing to compare with; \`npm run roll -- <cluster> --plan\` lists what a roll would consider`);
    if (input.cluster === undefined) throw usage('a roll needs the live cluster for its checks: pass --bastion <address> or --direct (or --plan to only list the steps)');
  }
  let leaders: Leaders | undefined;
  if (input.cluster !== undefined) leaders = leadersFrom(await input.cluster.report());
  const plan = planRoll({ topology: input.topology, resources, state, leaders, role: input.role });
  if (input.planOnly) {
    if (why !== undefined) input.out(`(state: ${why})`);
    for (const line of planLines(plan)) input.out(line);
    return 0;
  }
  for (const note of plan.notes) input.out(note);
  const cluster = input.cluster!;
  const timing = input.timing ?? DEFAULT_TIMING;
  const actions: RollActions = {
    checks: () => cluster.report(),
    drain: input.drain,
    replace: (step) => terraformReplace(input.workspace, step),
    refresh: (group) => refreshGroup(input.refreshApi(), group.groupName, { timeoutMs: timing.refreshTimeoutMs, pollMs: timing.pollMs }, input.out),
  };
  const outcome = await executeRoll(input.topology, plan, actions, input.out, timing);
  if (outcome.stopped !== undefined) throw new CommandError(outcome.stopped, 1);
  input.out(`roll done: ${outcome.done.length} step(s)${plan.current.length > 0 ? `, ${plan.current.length} server(s) already current` : ''}`);
  return 0;
}
