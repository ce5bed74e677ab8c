import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MOTO_IMAGE } from '../emulator/moto-quirks';
import { MotoServer, startMoto } from '../emulator/moto-server';
import { EmulatorWorkspace, emulatorWorkspace, imagesOf, useStack } from '../emulator/moto-workspace';
import { applyOrRestore, SAVED_APPLIES } from '../emulator/saved-apply';
import { planStack, StackPlan } from './plan-stack';
import { keepStacks, keptStacks, synthesisKey, SYNTHESIZED_REFS } from './synthesized-refs';
import { terraformOrThrow } from './terraform-run';

const execFileAsync = promisify(execFile);
/** A synth prints little, but a refusal's whole text is kept for the message. */
const SYNTH_OUTPUT_LIMIT = 64 * 1024 * 1024;

/**
 * `check-change --base <ref> --head <ref>`, for local use without cloud credentials: both refs are
 * synthesized, each base stack is applied to the moto emulator (or restored from an earlier run's
 * saved apply of the same stack) and the head stack is planned against that state, so Terraform
 * itself decides what the change does. moto emulates AWS only: other clouds' stacks are named and
 * left out.
 */
export async function planBetweenRefs(cwd: string, base: string, head: string, progress: (line: string) => void): Promise<StackPlan[]> {
  const repo = repositoryRoot(cwd);
  for (const ref of [base, head]) knownCommit(repo, ref);
  const scratch: string[] = [];
  try {
    // The two syntheses need nothing of each other: side by side, and both settled before anything is cleaned up.
    const [baseSynth, headSynth] = await Promise.allSettled([synthesizeRef(repo, base, scratch, progress), synthesizeRef(repo, head, scratch, progress)]);
    const [baseStacks, headStacks] = [settled(baseSynth), settled(headSynth)];
    const stacks = stacksIn(headStacks).filter((stack) => {
      if (isAwsStack(join(headStacks, stack))) return true;
      progress(`${stack}: not an AWS stack; the emulator plans AWS stacks only (plan it with npm run plan where its provider is reachable)`);
      return false;
    });
    const plans: StackPlan[] = [];
    for (const stack of stacks) plans.push(await planOnBase(stack, join(baseStacks, stack), join(headStacks, stack), base, progress));
    return plans;
  } finally {
    // The synthesized trees only; each plan's workspace stays, holding the plan.json findings name.
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The head stack planned against the base stack applied to a moto of its own. The base's apply is
 * saved (saved-apply.ts, keyed by the base's synthesized configuration), so a run on the same base,
 * as when a pull request is pushed again, restores it instead of applying.
 */
async function planOnBase(stack: string, baseStack: string, headStack: string, base: string, progress: (line: string) => void): Promise<StackPlan> {
  const images = new Map(imagesOf(baseStack).map((image) => [image, MOTO_IMAGE]));
  let moto: MotoServer | undefined;
  try {
    let workspace: EmulatorWorkspace;
    if (existsSync(baseStack)) {
      const applied = await applyOrRestore(baseStack, {
        env: process.env,
        terraform: terraformOrThrow,
        images,
        onApply: () => progress(`${stack}: applying ${base} to the emulator`),
        onUnusable: (reason) => progress(`${stack}: ignored the saved apply of ${base}: ${reason}`),
      });
      ({ moto, workspace } = applied);
      progress(applied.appliedHere ? `${stack}: applied ${base} (saved for reuse in ${SAVED_APPLIES})` : `${stack}: restored the saved apply of ${base}`);
    } else {
      moto = await startMoto();
      workspace = emulatorWorkspace(process.env);
    }
    useStack(workspace, headStack, moto.endpoint, { images });
    // init: a stack new in head has no workspace yet, and a restore may hold no provider (saved-apply.ts).
    // The saved apply read every resource back from moto: a refresh would read the same again.
    // The plan validates the configuration itself; `terraform validate` would load the provider once more.
    return await planStack(stack, workspace, { init: true, validate: false, progress, planArgs: ['-refresh=false'] });
  } finally {
    await moto?.stop();
  }
}

/** The top of the work tree `cwd` is in: `npm run` may be started from a subfolder. */
function repositoryRoot(cwd: string): string {
  const top = spawnSync('git', ['-C', cwd, 'rev-parse', '--show-toplevel'], { encoding: 'utf8' });
  if (top.status !== 0) throw new Error(`${cwd} is not inside a git work tree; --base/--head compare commits of one`);
  return top.stdout.trim();
}

function settled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

/** Throws unless `ref` names a commit of the repository. */
function knownCommit(repo: string, ref: string): void {
  const known = spawnSync('git', ['-C', repo, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { stdio: 'ignore' });
  if (known.status !== 0) throw new Error(`${JSON.stringify(ref)} is not a commit of the repository in ${repo}`);
}

/**
 * The tree of `ref` in a scratch folder, synthesized there with this checkout's dependencies (its
 * `node_modules`; the scratch tree builds its own bundle in its own `dist/`); returns its stacks
 * folder, kept for later runs (synthesized-refs.ts), or the one an earlier run kept.
 */
async function synthesizeRef(repo: string, ref: string, scratch: string[], progress: (line: string) => void): Promise<string> {
  if (!existsSync(join(repo, 'node_modules'))) throw new Error(`${repo}: no node_modules; run npm ci first`);
  const key = synthesisKey(treeOf(repo, ref), join(repo, 'node_modules'));
  const kept = key === undefined ? undefined : keptStacks(key);
  if (kept !== undefined) {
    progress(`reused the synthesis of ${ref} (kept in ${SYNTHESIZED_REFS})`);
    return kept;
  }
  progress(`synthesizing ${ref}`);
  const dir = mkdtempSync(join(tmpdir(), 'mesos-cluster-ref-'));
  scratch.push(dir);
  execFileSync('sh', ['-c', 'git -C "$1" archive "$2" | tar -x -C "$3"', 'sh', repo, ref, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  const env = { ...process.env, CLUSTERS_DIR: join(dir, 'clusters') };
  try {
    if (existsSync(join(dir, 'scripts', 'app.js'))) {
      await execFileAsync(process.execPath, ['scripts/app.js'], { cwd: dir, env, maxBuffer: SYNTH_OUTPUT_LIMIT });
    } else {
      // Refs from before the bundled app synthesized through a tsc build.
      await execFileAsync(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: dir, maxBuffer: SYNTH_OUTPUT_LIMIT });
      await execFileAsync(process.execPath, ['dist/main.js'], { cwd: dir, env, maxBuffer: SYNTH_OUTPUT_LIMIT });
    }
  } catch (error) {
    // The ref's own refusal (a policy finding, a bad cluster file), in its own words.
    const e = error as { stderr?: string; stdout?: string };
    throw new Error(`synthesizing ${ref} failed:\n${`${e.stdout ?? ''}${e.stderr ?? ''}`.trim()}`);
  }
  const stacks = join(dir, 'cdktf.out', 'stacks');
  return key === undefined ? stacks : keepStacks(key, stacks);
}

/** Git's id of the content of `ref` (a known commit): what its synthesis is made from. */
function treeOf(repo: string, ref: string): string {
  return execFileSync('git', ['-C', repo, 'rev-parse', '--verify', `${ref}^{tree}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function stacksIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/** A stack whose configuration configures the AWS provider. */
function isAwsStack(stackDir: string): boolean {
  const file = join(stackDir, 'cdk.tf.json');
  return existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).provider?.aws !== undefined;
}
