import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOTO_IMAGE } from '../../lib/emulator/moto-quirks';
import { MotoServer } from '../../lib/emulator/moto-server';
import { EmulatorWorkspace, UseStackOptions, useStack } from '../../lib/emulator/moto-workspace';
import { checkChange } from '../../lib/plan/plan-verdict';
import { CheckOptions, DEFAULT_CHECK_OPTIONS, Finding } from '../../lib/plan/checks';
import { planStack, StackPlan, PLAN_FILE } from '../../lib/plan/plan-stack';
import { terraformOrThrow } from '../../lib/plan/terraform-run';
import { Patch } from './yaml-patch';
import { appliedStack } from './applied-stack-snapshot';
import { ReattachedProvider, startReattachedProvider } from './reattached-provider';
import { exampleCluster, synthAwsToDisk } from './aws-synth';

/**
 * The scratch folders of edits and plans (a copy of the state and `.terraform` links each): gone
 * when the test process ends, so that a machine that runs the suite often does not keep thousands.
 */
const scratchFolders: string[] = [];
process.once('exit', () => {
  for (const folder of scratchFolders) rmSync(folder, { recursive: true, force: true });
});

function scratchFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  scratchFolders.push(folder);
  return folder;
}

/** A state resource as `terraform show -json` lists it. */
export interface StateResource {
  readonly address: string;
  readonly type: string;
  readonly values: Record<string, any>;
}

export interface ScenarioPlan extends StackPlan {
  /** The scratch copy the plan was made in, holding its plan file. */
  readonly workspace: EmulatorWorkspace;
  findings(options?: Partial<CheckOptions>): Finding[];
}

/**
 * The example cluster applied to moto (or restored from the machine's saved apply); scenarios then
 * plan changed configurations against that same state with the code `npm run plan` runs, and
 * apply only where a scenario must.
 */
export class EmulatedCluster {
  private constructor(
    private readonly moto: MotoServer,
    /** Where the applied state lives. */
    private workspace: EmulatorWorkspace,
    private readonly provider?: ReattachedProvider,
    /** Options every configuration put into a workspace of this cluster takes (`endpointsFromEnvironment`). */
    private readonly stackOptions: UseStackOptions = {},
  ) {}

  /**
   * The example cluster applied, on a moto of this caller's own restored from the machine's saved
   * apply (applied-stack-snapshot.ts), which the first caller makes from scratch.
   * `endpointsFromEnvironment`: the provider finds moto through its environment, not an
   * `endpoints` block (lib/emulator/moto-workspace.ts says why).
   */
  static async applied(options: { reattachProvider?: boolean; endpointsFromEnvironment?: boolean } = {}): Promise<EmulatedCluster> {
    const example = EmulatedCluster.synth();
    // The caller that makes the save applies on one provider process (its result is the same).
    const { moto, workspace, appliedHere } = await appliedStack(example, { reattachProvider: true });
    process.stdout.write(`# the example restored from the saved apply${appliedHere ? ', which this file made from scratch' : ''}\n`);
    const stackOptions: UseStackOptions = options.endpointsFromEnvironment === true ? { endpointsFromEnvironment: true } : {};
    // Before any provider starts: it reads the endpoint from the environment it starts with.
    if (options.endpointsFromEnvironment === true) useStack(workspace, example, moto.endpoint, stackOptions);
    if (options.reattachProvider !== true) return new EmulatedCluster(moto, workspace, undefined, stackOptions);
    // Every Terraform run of the caller then talks to one provider process (reattached-provider.ts).
    try {
      const provider = await startReattachedProvider(workspace.dir, workspace.env);
      return new EmulatedCluster(moto, { ...workspace, env: { ...workspace.env, ...provider.env } }, provider, stackOptions);
    } catch (error) {
      await moto.stop();
      throw error;
    }
  }

  /** The example cluster (on an image moto knows), patched, synthesized to disk. */
  static synth(patch: Patch = {}): string {
    return synthAwsToDisk(exampleCluster({ image: MOTO_IMAGE, ...patch }));
  }

  /**
   * A copy of a synthesized stack with one resource's arguments changed, as a pull request that
   * edits the code would: `resource` is found by its `Name` tag.
   */
  static edit(stackDir: string, nameTag: string, args: Record<string, unknown>): string {
    const copy = join(scratchFolder('mesos-cluster-edit-'), 'stack');
    cpSync(stackDir, copy, { recursive: true });
    const file = join(copy, 'cdk.tf.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    const found = Object.values(config.resource as Record<string, Record<string, any>>)
      .flatMap((blocks) => Object.values(blocks))
      .filter((block) => block.tags?.Name === nameTag);
    if (found.length !== 1) throw new Error(`${found.length} resources tagged Name=${nameTag}`);
    Object.assign(found[0], args);
    writeFileSync(file, JSON.stringify(config));
    return copy;
  }

  /** moto's endpoint, for changing what a scaling policy or an operator would change outside Terraform. */
  get endpoint(): string {
    return this.moto.endpoint;
  }

  use(stackDir: string, options: UseStackOptions = {}): void {
    useStack(this.workspace, stackDir, this.moto.endpoint, { ...this.stackOptions, ...options });
  }

  /** The workspace holding the applied state, now configured from `stackDir` (where `npm run roll` runs Terraform). */
  workspaceWith(stackDir: string, options?: UseStackOptions): EmulatorWorkspace {
    this.use(stackDir, options);
    return this.workspace;
  }

  async apply(args: string[] = []): Promise<void> {
    await terraformOrThrow(this.workspace, ['apply', '-auto-approve', '-input=false', '-no-color', ...args]);
  }

  /** Applies exactly the plan file a scenario checked; its copy then holds the cluster's state. */
  async applyPlan(scenario: ScenarioPlan): Promise<void> {
    await terraformOrThrow(scenario.workspace, ['apply', '-input=false', '-no-color', PLAN_FILE]);
    this.workspace = scenario.workspace;
  }

  /**
   * Plans `stackDir` against the applied state, as `npm run plan` does, in a copy of the
   * workspace (state, `.terraform`), so that plans may run side by side.
   */
  async plan(stackDir: string, options: UseStackOptions & { planArgs?: string[]; refresh?: boolean } = {}): Promise<ScenarioPlan> {
    const workspace = { ...this.workspace, dir: scratchFolder('mesos-cluster-moto-plan-') };
    cpSync(this.workspace.dir, workspace.dir, { recursive: true, verbatimSymlinks: true });
    useStack(workspace, stackDir, this.moto.endpoint, { ...this.stackOptions, ...options });
    // State was read back from moto right after the last apply: later plans need not refresh it again.
    const refresh = options.refresh === true ? [] : ['-refresh=false'];
    // Every scenario's stack is a synthesis the offline tests validate; the plan itself is what counts here.
    const result = await planStack('ci-aws', workspace, { init: false, validate: false, planArgs: [...refresh, ...(options.planArgs ?? [])] });
    return {
      ...result,
      workspace,
      findings: (o = {}) => (result.plan === undefined ? [] : checkChange(result.plan, { ...DEFAULT_CHECK_OPTIONS, ...o })),
    };
  }

  /**
   * The resources of the applied state, as `terraform show -json` lists them, read from the
   * workspace's state file: `show` would cost a Terraform start and a provider load each time
   * (10 to 30 s on a loaded machine), and nothing runs Terraform here between two calls.
   */
  async state(): Promise<StateResource[]> {
    const state = JSON.parse(readFileSync(join(this.workspace.dir, 'terraform.tfstate'), 'utf8'));
    return (state.resources as StateFileResource[]).flatMap((r) =>
      r.instances.map((i) => ({ address: stateAddress(r, i.index_key), type: r.type, values: i.attributes })),
    );
  }

  async stop(): Promise<void> {
    await this.provider?.stop();
    await this.moto.stop();
  }
}

interface StateFileResource {
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly instances: { readonly index_key?: string | number; readonly attributes: Record<string, any> }[];
}

/** `type.name`, `type.name[0]` or `type.name["key"]`, with `data.` before a data source (this stack has no modules). */
function stateAddress(resource: StateFileResource, key: string | number | undefined): string {
  const index = key === undefined ? '' : `[${JSON.stringify(key)}]`;
  return `${resource.mode === 'data' ? 'data.' : ''}${resource.type}.${resource.name}${index}`;
}

/** The state resource tagged `Name=<nameTag>`. */
export function byName(state: readonly StateResource[], nameTag: string): StateResource {
  const found = state.filter((r) => r.values.tags?.Name === nameTag);
  if (found.length !== 1) throw new Error(`${found.length} state resources tagged Name=${nameTag}`);
  return found[0];
}
