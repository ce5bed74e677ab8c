import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { MOTO_LIMITS } from '../emulator/moto-limits';
import { MOTO_IMAGE } from '../emulator/moto-quirks';
import { motoUnavailable } from '../emulator/moto-server';
import { imagesOf, useStack } from '../emulator/moto-workspace';
import { TerraformError, terraformOrThrow, TerraformWorkspace } from '../plan/terraform-run';
import { clusterName, EXAMPLE_CLUSTER_FILE, synthesize } from './example-cluster';
import { handedOverOnFailure, handOver } from './hand-over';
import { clearSandbox, liveEmulator, reusableEmulator, startEmulator } from './kept-emulator';
import { motoMissing, terraformMissing } from './messages';
import { applyRecovering } from './recovering-apply';
import { pullRequestLines, pullRequestView, synthesizePullRequest } from './pull-request-view';
import { REPOSITORY_ROOT, SandboxLayout, sandboxLayout } from './sandbox-layout';
import { handEnvironment, sandboxTerraformEnv, shellWord } from './terraform-env';

export type SandboxMode = 'run' | 'keep' | 'down';

export interface SandboxOptions {
  /** The sandbox folder (`.sandbox` in the repository by default). */
  readonly dir: string;
  /** `run` deploys, shows and tears down; `keep` leaves it up; `down` tears down what a kept run left. */
  readonly mode: SandboxMode;
  readonly env: NodeJS.ProcessEnv;
  /** What the user reads (stdout). */
  readonly say: (line: string) => void;
  /** Terraform's progress (stderr). */
  readonly progress: (line: string) => void;
}

/**
 * A tool the sandbox cannot run without, as the one line to print; undefined when all are there.
 * `--down` starts no emulator (it destroys in the one a kept run left, or just clears the folder),
 * so it does not pay for importing moto to probe it.
 */
export function missingTool(mode: SandboxMode): string | undefined {
  const moto = mode === 'down' ? undefined : motoUnavailable();
  if (moto !== undefined) return motoMissing(moto);
  if (spawnSync('terraform', ['version'], { stdio: 'ignore' }).status !== 0) return terraformMissing();
  return undefined;
}

/**
 * `npm run sandbox`: the example AWS cluster applied to moto, its outputs, a pull request's
 * view of a pool count change, then a destroy. Throws on a failure; what it made stays in the
 * folder, for `--down` or the next run to clear.
 */
export async function runSandbox(options: SandboxOptions): Promise<void> {
  const layout = sandboxLayout(options.dir);
  const { say } = options;
  if (options.mode === 'down') return tearDownKept(layout, options);
  say('sandbox: the example AWS cluster on a local AWS API emulator (moto); no AWS account is used.');
  say('What the emulator does not do:');
  for (const { limit, because } of MOTO_LIMITS) say(`  - ${limit}\n    ${because}`);
  say('What it does show: Terraform creating every resource of the stack, its outputs, and what CI says about a pull request.');
  mkdirSync(layout.root, { recursive: true });
  const started = Date.now();
  const fileName = relative(REPOSITORY_ROOT, EXAMPLE_CLUSTER_FILE);
  const baseText = readFileSync(EXAMPLE_CLUSTER_FILE, 'utf8');
  const reused = await reusableEmulator(layout, say);
  say(`synthesizing ${fileName} and the pull request's copy of it${reused === undefined ? ' while the emulator starts' : ''}`);
  // Independent starts side by side: the emulator, the example's synth and the pull request's.
  const [emulator, baseStack, pullRequest] = await Promise.all([
    reused ?? startEmulator(layout, say),
    synthesize(baseText, basename(fileName), join(layout.synth, 'example')),
    synthesizePullRequest(baseText, basename(fileName), layout.synth),
  ]);
  const workspace: TerraformWorkspace = { dir: layout.workspace, env: sandboxTerraformEnv(layout, options.env) };
  mkdirSync(workspace.dir, { recursive: true });
  const images = new Map(imagesOf(baseStack).map((image) => [image, MOTO_IMAGE]));
  const { endpoint } = emulator.record;
  await handedOverOnFailure(workspace, baseStack, endpoint, images, async () => {
    useStack(workspace, baseStack, endpoint, { images, endpointsFromEnvironment: true });
    await timed(options, 'terraform init', () => terraformOrThrow(workspace, ['init', '-input=false', '-no-color']));
    await timed(options, emulator.reused ? 'terraform apply (converging the state the earlier run left)' : 'terraform apply', () => applyRecovering(workspace, endpoint, say));
    say('outputs:');
    for (const line of await outputLines(workspace)) say(`  ${line}`);

    const view = await pullRequestView({ workspace, endpoint, images, pullRequest, markdownFile: layout.summary, progress: options.progress });
    for (const line of pullRequestLines(view, fileName)) say(line);
    say(`  (as Markdown for the PR comment: ${layout.summary})`);
  });

  if (options.mode === 'keep') {
    // The sandbox's last own run is over: the workspace describes the applied cluster again (the
    // change's plan files stay beside it), now with the endpoints block a person's bare
    // `terraform` needs to reach the emulator and nothing else.
    handOver(workspace, baseStack, endpoint, images);
    for (const line of keptLines(layout, workspace, emulator.record.pid, endpoint)) say(line);
  } else {
    await destroy(layout, workspace, baseStack, endpoint, images, options);
  }
  say(`sandbox: done in ${seconds(started)} s`);
}

/** `--down`: destroys what a kept run applied, stops its emulator and clears the folder. */
async function tearDownKept(layout: SandboxLayout, options: SandboxOptions): Promise<void> {
  const live = await liveEmulator(layout);
  if (live === undefined) {
    options.say(`sandbox: no running sandbox in ${layout.root}; clearing whatever is left there`);
    await clearSandbox(layout);
    return;
  }
  const workspace: TerraformWorkspace = { dir: layout.workspace, env: sandboxTerraformEnv(layout, options.env) };
  const text = readFileSync(EXAMPLE_CLUSTER_FILE, 'utf8');
  const synthDir = join(layout.synth, 'example');
  // The kept run's stack, synthesized again if someone removed it.
  let stackDir = join(synthDir, 'cdktf.out', 'stacks', clusterName(text));
  if (!existsSync(join(stackDir, 'cdk.tf.json'))) stackDir = await synthesize(text, basename(EXAMPLE_CLUSTER_FILE), synthDir);
  const images = new Map(imagesOf(stackDir).map((image) => [image, MOTO_IMAGE]));
  await destroy(layout, workspace, stackDir, live.endpoint, images, options);
}

/**
 * Destroys the cluster in the emulator, stops it and clears the folder. The data volumes carry
 * prevent_destroy (they outlive their agents), so only for this destroy the scratch override
 * drops it; the load balancer's deletion protection needs no apply first, as moto does not enforce it.
 */
async function destroy(layout: SandboxLayout, workspace: TerraformWorkspace, stackDir: string, endpoint: string, images: ReadonlyMap<string, string>, options: SandboxOptions): Promise<void> {
  await handedOverOnFailure(workspace, stackDir, endpoint, images, () => {
    useStack(workspace, stackDir, endpoint, { images, withoutPreventDestroy: true, endpointsFromEnvironment: true });
    return timed(options, 'terraform destroy (prevent_destroy on the data volumes lifted in the sandbox copy only)', async () => {
      try {
        return await terraformOrThrow(workspace, ['destroy', '-auto-approve', '-input=false', '-no-color', '-refresh=false']);
      } catch (error) {
        if (!(error instanceof TerraformError)) throw error;
        // moto can answer a delete out of order (a rule revoked after its group went): a second
        // destroy, refreshed this time, sees what is already gone and removes the rest.
        options.say(`destroy stopped (${error.message.split('\n')[0]}); once more, with a refresh`);
        return terraformOrThrow(workspace, ['destroy', '-auto-approve', '-input=false', '-no-color']);
      }
    });
  });
  await clearSandbox(layout);
  options.say(`stopped the emulator and cleared ${layout.root}`);
}

/** `name = value` per stack output. */
async function outputLines(workspace: TerraformWorkspace): Promise<string[]> {
  const outputs = JSON.parse(await terraformOrThrow(workspace, ['output', '-json', '-no-color'])) as Record<string, { value: unknown; sensitive?: boolean }>;
  return Object.entries(outputs).map(([name, { value, sensitive }]) => `${name} = ${sensitive ? '(sensitive)' : typeof value === 'string' ? value : JSON.stringify(value)}`);
}

/** What to run against the kept sandbox, as exact commands. */
function keptLines(layout: SandboxLayout, workspace: TerraformWorkspace, pid: number, endpoint: string): string[] {
  const env = handEnvironment(workspace.env).join(' ');
  const terraform = (args: string) => `cd ${shellWord(layout.workspace)} && ${env === '' ? '' : `env ${env} `}terraform ${args}`;
  return [
    `kept: the emulator (moto, pid ${pid}) at ${endpoint}, the applied state in ${layout.workspace}`,
    `  ${terraform('state list')}`,
    `  ${terraform('plan')}        # no changes: the workspace holds the applied example`,
    `  npm run check-change -- ${shellWord(join(layout.workspace, 'plan.json'))}   # the pull request's plan again`,
    `  npm run sandbox -- --down${layout.root === join(REPOSITORY_ROOT, '.sandbox') ? '' : ` --dir ${shellWord(layout.root)}`}   # destroy, stop the emulator, clear ${layout.root}`,
  ];
}

async function timed<T>(options: SandboxOptions, step: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  options.say(`${step} ...`);
  const ticker = setInterval(() => options.progress(`  ${step}: ${seconds(started)} s`), 15_000);
  try {
    const result = await work();
    options.say(`${step}: done in ${seconds(started)} s`);
    return result;
  } finally {
    clearInterval(ticker);
  }
}

function seconds(since: number): number {
  return Math.round((Date.now() - since) / 1000);
}
