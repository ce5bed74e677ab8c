import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOTO_IMAGE } from '../emulator/moto-quirks';
import { startMoto } from '../emulator/moto-server';
import { emulatorWorkspace, imagesOf, useStack } from '../emulator/moto-workspace';
import { planStack, StackPlan } from './plan-stack';
import { terraformOrThrow } from './terraform-run';

/**
 * `check-change --base <ref> --head <ref>`, for local use without cloud credentials: both refs are
 * synthesized, each base stack is applied to the moto emulator and the head stack is planned
 * against that state, so Terraform itself decides what the change does. moto emulates AWS only:
 * other clouds' stacks are named and left out.
 */
export async function planBetweenRefs(cwd: string, base: string, head: string, progress: (line: string) => void): Promise<StackPlan[]> {
  const repo = repositoryRoot(cwd);
  progress(`synthesizing ${base} and ${head}`);
  const scratch: string[] = [];
  try {
    const baseStacks = synthesizeRef(repo, base, scratch);
    const headStacks = synthesizeRef(repo, head, scratch);
    const stacks = stacksIn(headStacks).filter((stack) => {
      if (isAwsStack(join(headStacks, stack))) return true;
      progress(`${stack}: not an AWS stack; the emulator plans AWS stacks only (plan it with npm run plan where its provider is reachable)`);
      return false;
    });
    if (stacks.length === 0) return [];
    const moto = await startMoto();
    try {
      const plans: StackPlan[] = [];
      for (const stack of stacks) {
        const workspace = emulatorWorkspace(process.env);
        const baseStack = join(baseStacks, stack);
        const images = new Map(imagesOf(baseStack).map((image) => [image, MOTO_IMAGE]));
        useStack(workspace, existsSync(baseStack) ? baseStack : join(headStacks, stack), moto.endpoint, { images });
        await terraformOrThrow(workspace, ['init', '-input=false', '-no-color']);
        if (existsSync(baseStack)) {
          progress(`${stack}: applying ${base} to the emulator`);
          await terraformOrThrow(workspace, ['apply', '-auto-approve', '-input=false', '-no-color']);
        }
        useStack(workspace, join(headStacks, stack), moto.endpoint, { images });
        // The apply has just read every resource back from moto: a refresh would read the same again.
        plans.push(await planStack(stack, workspace, { init: false, progress, planArgs: ['-refresh=false'] }));
      }
      return plans;
    } finally {
      await moto.stop();
    }
  } finally {
    // The synthesized trees only; each plan's workspace stays, holding the plan.json findings name.
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  }
}

/** The top of the work tree `cwd` is in: `npm run` may be started from a subfolder. */
function repositoryRoot(cwd: string): string {
  const top = spawnSync('git', ['-C', cwd, 'rev-parse', '--show-toplevel'], { encoding: 'utf8' });
  if (top.status !== 0) throw new Error(`${cwd} is not inside a git work tree; --base/--head compare commits of one`);
  return top.stdout.trim();
}

/**
 * The tree of `ref` in a scratch folder, synthesized there with this checkout's dependencies (its
 * `node_modules`; the scratch tree builds its own bundle in its own `dist/`); returns its stacks folder.
 */
function synthesizeRef(repo: string, ref: string, scratch: string[]): string {
  const known = spawnSync('git', ['-C', repo, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { stdio: 'ignore' });
  if (known.status !== 0) throw new Error(`${JSON.stringify(ref)} is not a commit of the repository in ${repo}`);
  if (!existsSync(join(repo, 'node_modules'))) throw new Error(`${repo}: no node_modules; run npm ci first`);
  const dir = mkdtempSync(join(tmpdir(), 'mesos-cluster-ref-'));
  scratch.push(dir);
  execFileSync('sh', ['-c', 'git -C "$1" archive "$2" | tar -x -C "$3"', 'sh', repo, ref, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  const env = { ...process.env, CLUSTERS_DIR: join(dir, 'clusters') };
  try {
    if (existsSync(join(dir, 'scripts', 'app.js'))) {
      execFileSync(process.execPath, ['scripts/app.js'], { cwd: dir, stdio: 'pipe', env });
    } else {
      // Refs from before the bundled app synthesized through a tsc build.
      execFileSync(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: dir, stdio: 'pipe' });
      execFileSync(process.execPath, ['dist/main.js'], { cwd: dir, stdio: 'pipe', env });
    }
  } catch (error) {
    // The ref's own refusal (a policy finding, a bad cluster file), in its own words.
    const e = error as { stderr?: Buffer; stdout?: Buffer };
    throw new Error(`synthesizing ${ref} failed:\n${`${e.stdout ?? ''}${e.stderr ?? ''}`.trim()}`);
  }
  return join(dir, 'cdktf.out', 'stacks');
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
