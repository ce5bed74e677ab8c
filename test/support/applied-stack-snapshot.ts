/**
 * A stack applied to moto once per machine, shared by every test file that needs it applied:
 * the first file applies it and saves moto's state and the Terraform workspace; every later one
 * starts its own moto from that save with its own copy of the workspace, in seconds instead of
 * the apply's minutes. docs/test-lanes.md says where it lives and how to clear it.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOTO_ENVIRONMENT } from '../../lib/emulator/moto-quirks';
import { motoVersion, StartedMoto, startMoto } from '../../lib/emulator/moto-server';
import { EmulatorWorkspace, emulatorWorkspace, useStack } from '../../lib/emulator/moto-workspace';
import { terraformOrThrow } from '../../lib/plan/terraform-run';
import { withDirLock } from './dir-lock';
import { AWS_PROVIDER, offlineTerraformEnv, providerMirror } from './offline-terraform';

/** Where the saved applies live, one folder per key. */
export const SNAPSHOT_ROOT = join(tmpdir(), 'mesos-cluster-applied-stacks');
const LAUNCHER = join(__dirname, '..', '..', 'lib', 'emulator', 'launch-moto.py');
const MOTO_STATE = 'moto.pickle';
const WORKSPACE = 'workspace';
/** An apply of the example took 97 s idle and up to 5 min in a loaded CI run; waiting for one is bounded well above that. */
const WAIT_FOR_OTHER_APPLY_MS = 20 * 60_000;
const KEEP_UNUSED_SAVE_MS = 24 * 60 * 60_000;

export interface AppliedStack {
  readonly moto: StartedMoto;
  /** This caller's own workspace: the applied state, `.terraform`, and the stack pointed at its moto. */
  readonly workspace: EmulatorWorkspace;
  /** True when this call made the apply and the save (it then runs on a restore of it, as every other caller does). */
  readonly appliedHere: boolean;
}

/** `stackDir` applied to a moto of the caller's own, from the machine's saved apply when there is one. */
export async function appliedStack(stackDir: string): Promise<AppliedStack> {
  const saved = join(SNAPSHOT_ROOT, snapshotKey(stackDir));
  if (existsSync(saved)) return restore(saved, stackDir);
  mkdirSync(SNAPSHOT_ROOT, { recursive: true });
  const waitingSince = Date.now();
  const appliedHere = await withDirLock(`${saved}.lock`, { timeoutMs: WAIT_FOR_OTHER_APPLY_MS }, async () => {
    // Another process may have saved it while this one waited for the lock.
    if (existsSync(saved)) return false;
    await applyUnlessFailedMeanwhile(saved, stackDir, waitingSince);
    return true;
  });
  // The maker too runs on a restore, so every file's first refreshed plan also proves the restore faithful.
  return { ...(await restore(saved, stackDir)), appliedHere };
}

/**
 * A hash of everything that decides the applied state: the configuration Terraform reads (the
 * stack and the moto overrides, with a fixed endpoint), the launcher, moto's environment and
 * version, Terraform's version and the provider mirror's contents.
 */
export function snapshotKey(stackDir: string): string {
  const hash = createHash('sha256');
  const scratch = mkdtempSync(join(tmpdir(), 'mesos-cluster-snapshot-key-'));
  try {
    useStack({ dir: scratch, env: {} }, stackDir, 'http://127.0.0.1:0');
    for (const file of readdirSync(scratch).sort()) hash.update(`${file}\0${readFileSync(join(scratch, file), 'utf8')}\0`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  hash.update(readFileSync(LAUNCHER));
  hash.update(JSON.stringify(MOTO_ENVIRONMENT));
  hash.update(`moto ${motoVersion()}\0`);
  const terraform = JSON.parse(execFileSync('terraform', ['version', '-json'], { env: { ...process.env, CHECKPOINT_DISABLE: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  hash.update(`terraform ${terraform.terraform_version}\0`);
  const mirror = join(providerMirror(), AWS_PROVIDER);
  hash.update(readdirSync(mirror, { recursive: true }).map(String).sort().join('\n'));
  return hash.digest('hex').slice(0, 24);
}

async function restore(saved: string, stackDir: string): Promise<AppliedStack> {
  const now = new Date();
  utimesSync(saved, now, now); // in use: not old (forgetOldSaves)
  const moto = await startMoto({ load: join(saved, MOTO_STATE) });
  const workspace = emulatorWorkspace(offlineTerraformEnv());
  // `.terraform` links into the shared plugin cache, so the copy needs no `terraform init`.
  cpSync(join(saved, WORKSPACE), workspace.dir, { recursive: true, verbatimSymlinks: true });
  useStack(workspace, stackDir, moto.endpoint);
  return { moto, workspace, appliedHere: false };
}

async function applyAndSave(saved: string, stackDir: string): Promise<void> {
  const moto = await startMoto();
  try {
    const workspace = emulatorWorkspace(offlineTerraformEnv());
    useStack(workspace, stackDir, moto.endpoint);
    await terraformOrThrow(workspace, ['init', '-input=false', '-no-color']);
    await terraformOrThrow(workspace, ['apply', '-auto-approve', '-input=false', '-no-color']);
    await save(moto, workspace, saved);
  } finally {
    await moto.stop();
  }
}

/**
 * Applies and saves, unless the apply of another process failed while this one waited for the
 * lock: then this one fails at once with that error, where it would otherwise spend minutes
 * failing the same way (and so would each file still waiting). The error is kept beside the
 * save; a caller that began waiting after it was written (a later run) tries the apply again.
 */
async function applyUnlessFailedMeanwhile(saved: string, stackDir: string, waitingSince: number): Promise<void> {
  const failure = `${saved}.failed`;
  if (existsSync(failure) && statSync(failure).mtimeMs >= waitingSince) {
    throw new Error(`the shared apply of this stack failed in another test process while this one waited for it:\n${readFileSync(failure, 'utf8')}`);
  }
  rmSync(failure, { force: true });
  try {
    await applyAndSave(saved, stackDir);
  } catch (error) {
    writeFileSync(failure, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

/** Saves of earlier stacks or tool versions, unused for a day: every change of a key leaves one (about 20 MB). */
function forgetOldSaves(): void {
  for (const entry of readdirSync(SNAPSHOT_ROOT, { withFileTypes: true })) {
    const path = join(SNAPSHOT_ROOT, entry.name);
    if (entry.isDirectory() && /^[0-9a-f]{24}$/.test(entry.name) && Date.now() - statSync(path).mtimeMs > KEEP_UNUSED_SAVE_MS) rmSync(path, { recursive: true, force: true });
  }
}

/** Written beside the final folder and renamed into place: a reader never sees half a save. */
async function save(moto: StartedMoto, workspace: EmulatorWorkspace, saved: string): Promise<void> {
  const partial = mkdtempSync(`${saved}.partial-`);
  try {
    await moto.save(join(partial, MOTO_STATE));
    cpSync(workspace.dir, join(partial, WORKSPACE), { recursive: true, verbatimSymlinks: true, filter: (source) => !source.endsWith('.tf.json') });
    renameSync(partial, saved);
    forgetOldSaves();
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    // Saved meanwhile by a process that took over a lock it found stale: that save serves as well.
    if (!existsSync(saved)) throw error;
  }
}
