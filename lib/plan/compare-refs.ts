import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOTO_IMAGE } from '../emulator/moto-quirks';
import { startMoto } from '../emulator/moto-server';
import { emulatorWorkspace, useStack } from '../emulator/moto-workspace';
import { planStack, StackPlan } from './plan-stack';
import { terraformOrThrow } from './terraform-run';

/**
 * `check-change --base <ref> --head <ref>`, for local use without cloud credentials: both refs are
 * synthesized, each base stack is applied to the moto emulator and the head stack is planned
 * against that state, so Terraform itself decides what the change does.
 */
export async function planBetweenRefs(repo: string, base: string, head: string, progress: (line: string) => void): Promise<StackPlan[]> {
  progress(`synthesizing ${base} and ${head}`);
  const baseStacks = synthesizeRef(repo, base);
  const headStacks = synthesizeRef(repo, head);
  const moto = await startMoto();
  try {
    const plans: StackPlan[] = [];
    for (const stack of stacksIn(headStacks)) {
      const workspace = emulatorWorkspace(process.env);
      const images = new Map(imagesOf(join(baseStacks, stack)).map((image) => [image, MOTO_IMAGE]));
      const baseStack = join(baseStacks, stack);
      useStack(workspace, existsSync(baseStack) ? baseStack : join(headStacks, stack), moto.endpoint, { images });
      await terraformOrThrow(workspace, ['init', '-input=false', '-no-color']);
      if (existsSync(baseStack)) {
        progress(`${stack}: applying ${base} to the emulator`);
        await terraformOrThrow(workspace, ['apply', '-auto-approve', '-input=false', '-no-color']);
      }
      useStack(workspace, join(headStacks, stack), moto.endpoint, { images });
      plans.push(await planStack(stack, workspace, { init: false, progress }));
    }
    return plans;
  } finally {
    await moto.stop();
  }
}

/** The tree of `ref` in a scratch folder, synthesized there with this checkout's dependencies; returns its stacks folder. */
function synthesizeRef(repo: string, ref: string): string {
  const known = spawnSync('git', ['-C', repo, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { stdio: 'ignore' });
  if (known.status !== 0) throw new Error(`${JSON.stringify(ref)} is not a commit of the repository in ${repo}`);
  const dir = mkdtempSync(join(tmpdir(), 'mesos-cluster-ref-'));
  execFileSync('sh', ['-c', 'git -C "$1" archive "$2" | tar -x -C "$3"', 'sh', repo, ref, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  const env = { ...process.env, CLUSTERS_DIR: join(dir, 'clusters') };
  if (existsSync(join(dir, 'scripts', 'app.js'))) {
    execFileSync(process.execPath, ['scripts/app.js'], { cwd: dir, stdio: 'pipe', env });
  } else {
    // Refs from before the bundled app synthesized through a tsc build.
    execFileSync(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: dir, stdio: 'pipe' });
    execFileSync(process.execPath, ['dist/main.js'], { cwd: dir, stdio: 'pipe', env });
  }
  return join(dir, 'cdktf.out', 'stacks');
}

function stacksIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/** Every image the stack launches, to swap for one moto knows. */
function imagesOf(stackDir: string): string[] {
  if (!existsSync(join(stackDir, 'cdk.tf.json'))) return [];
  const config = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
  const blocks = Object.values((config.resource ?? {}) as Record<string, Record<string, { ami?: string; image_id?: string }>>).flatMap((b) => Object.values(b));
  return [...new Set(blocks.flatMap((b) => [b.ami, b.image_id]).filter((i): i is string => typeof i === 'string'))];
}
