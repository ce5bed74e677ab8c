/**
 * A stack applied to moto once and saved (moto's state and the Terraform workspace), so that any
 * later caller with the same stack and tools starts a moto of its own from the save, in seconds
 * instead of the apply's minutes. The emulator tests share the example's apply this way
 * (docs/test-lanes.md); `check-change --base` reuses the base ref's (docs/pull-request-checks.md).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { withDirLock } from './dir-lock';
import { folderManifest, FolderManifest, manifestMismatch } from './folder-manifest';
import { savedApplyFileChanged, sharedApplyFailedMeanwhile, savedApplyFilesDiffer, savedApplyNotLoaded, savedApplyWithoutManifest, terraformVersionUnknown } from './messages';
import { MOTO_ENVIRONMENT } from './moto-quirks';
import { motoVersion, StartedMoto, startMoto } from './moto-server';
import { EmulatorWorkspace, emulatorWorkspace, UseStackOptions, useStack } from './moto-workspace';
import { forgetUnusedFolders } from './unused-folders';

/** Where saved applies live, one folder per key; `rm -rf` it to start from scratch. */
export const SAVED_APPLIES = join(tmpdir(), 'mesos-cluster-applied-stacks');
const LAUNCHER = join(__dirname, 'launch-moto.py');
/** Part of the key: a save of another layout is never read, nor discarded as corrupt. */
const LAYOUT = 'saved-apply 2';
const MOTO_STATE = 'moto.pickle';
const WORKSPACE = 'workspace';
const MANIFEST = 'manifest.json';
/** An apply of the example took 97 s idle and up to 5 min in a loaded CI run; waiting for one is bounded well above that. */
const WAIT_FOR_OTHER_APPLY_MS = 20 * 60_000;
const KEEP_UNUSED_SAVE_MS = 24 * 60 * 60_000;
/** A provider's platform folder in `.terraform` (`providers/<host>/<namespace>/<type>/<version>/<os_arch>`). */
const PROVIDER_PLATFORM = /^\.terraform\/providers\/[^/]+\/[^/]+\/[^/]+\/[^/]+\/[^/]+$/;

export interface SavedApplyOptions {
  /** Terraform's environment: where it takes the provider from, its plugin cache. */
  readonly env: NodeJS.ProcessEnv;
  /** Runs `terraform <args>` in a workspace and throws when it fails (lib/plan/terraform-run.ts). */
  readonly terraform: (workspace: EmulatorWorkspace, args: readonly string[]) => Promise<unknown>;
  /** Images swapped for ones moto knows (moto-workspace.ts). @default none */
  readonly images?: ReadonlyMap<string, string>;
  /** Anything else that decides the applied state, such as a provider mirror's listing. @default none */
  readonly keyParts?: readonly string[];
  /** @default SAVED_APPLIES */
  readonly root?: string;
  /** Told when this caller starts the apply itself (it takes minutes). */
  readonly onApply?: () => void;
  /** Told why a save found at the key is not used, once it is discarded; the stack is then applied afresh. */
  readonly onUnusable?: (reason: string) => void;
  /**
   * The apply, and every restored workspace, point the provider at moto through the workspace's
   * environment (`AWS_ENDPOINT_URL`) instead of an `endpoints` block, which costs the provider
   * 3-4 CPU-s at every plan (moto-workspace.ts). Only for callers whose providers start with the
   * workspace's environment: a provider started before (a reattached one serving several motos in
   * turn) still needs the block. Part of the key: saves of the two kinds are kept apart. @default false
   */
  readonly endpointsFromEnvironment?: boolean;
}

export interface AppliedStack {
  readonly moto: StartedMoto;
  /** This caller's own workspace: the applied state, `.terraform`, and the stack pointed at its moto. */
  readonly workspace: EmulatorWorkspace;
  /** True when this call made the apply and the save (it then runs on a restore of it, as every other caller does). */
  readonly appliedHere: boolean;
}

/**
 * `stackDir` applied to a moto of the caller's own, from the saved apply when there is a usable
 * one, else applied (under a lock, so that callers side by side apply once) and saved first.
 * `.terraform` comes back as saved, provider links into a plugin cache included; a provider
 * installed as a file is not saved, so without a plugin cache run `terraform init` after this.
 */
export async function applyOrRestore(stackDir: string, options: SavedApplyOptions): Promise<AppliedStack> {
  const root = options.root ?? SAVED_APPLIES;
  const saved = join(root, savedApplyKey(stackDir, options));
  if (existsSync(saved)) {
    const restored = await restore(saved, stackDir, options);
    if (!('unusable' in restored)) return restored;
    discard(saved);
    options.onUnusable?.(restored.unusable);
  }
  mkdirSync(root, { recursive: true });
  const waitingSince = Date.now();
  const appliedHere = await withDirLock(`${saved}.lock`, { timeoutMs: WAIT_FOR_OTHER_APPLY_MS }, async () => {
    // Another process may have saved it while this one waited for the lock.
    if (existsSync(saved)) return false;
    failIfFailedMeanwhile(saved, waitingSince);
    options.onApply?.();
    try {
      await applyAndSave(saved, stackDir, options);
    } catch (error) {
      writeFileSync(`${saved}.failed`, error instanceof Error ? error.message : String(error));
      throw error;
    }
    forgetOldSaves(root);
    return true;
  });
  // The maker too runs on a restore, so every first refreshed plan also proves the restore faithful.
  const restored = await restore(saved, stackDir, options);
  if ('unusable' in restored) throw new Error(`the saved apply cannot be used right after it was made: ${restored.unusable}`);
  return { ...restored, appliedHere };
}

/**
 * Throws the error of another caller's apply of the same stack that failed while this one waited
 * for the lock: it would spend minutes failing the same way (and so would each caller still
 * waiting). The error is kept beside the save; a caller that began waiting after it was written
 * (a later run) tries the apply again.
 */
function failIfFailedMeanwhile(saved: string, waitingSince: number): void {
  const failure = `${saved}.failed`;
  if (existsSync(failure) && statSync(failure).mtimeMs >= waitingSince) throw new Error(sharedApplyFailedMeanwhile(readFileSync(failure, 'utf8')));
  rmSync(failure, { force: true });
}

/**
 * A hash of everything that decides the applied state: the configuration Terraform reads (the
 * stack and the moto overrides, with a fixed endpoint, or none when it comes from the
 * environment), the launcher, moto's environment and version, Terraform's version, the caller's
 * `keyParts` and the save's layout. The provider needs no part of its own: the stack names its
 * version, and the saved lock file pins the one used.
 */
export function savedApplyKey(stackDir: string, options: Pick<SavedApplyOptions, 'env' | 'images' | 'keyParts' | 'endpointsFromEnvironment'>): string {
  const hash = createHash('sha256');
  hash.update(`${LAYOUT}\0`);
  const scratch = mkdtempSync(join(tmpdir(), 'mesos-cluster-saved-apply-key-'));
  try {
    useStack({ dir: scratch, env: {} }, stackDir, 'http://127.0.0.1:0', stackOptions(options));
    for (const file of readdirSync(scratch).sort()) hash.update(`${file}\0${readFileSync(join(scratch, file), 'utf8')}\0`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  hash.update(readFileSync(LAUNCHER));
  hash.update(JSON.stringify(MOTO_ENVIRONMENT));
  hash.update(`moto ${motoVersion()}\0`);
  hash.update(`terraform ${terraformVersion(options.env)}\0`);
  for (const part of options.keyParts ?? []) hash.update(`${part}\0`);
  return hash.digest('hex').slice(0, 24);
}

/** How the saved apply and each restore put the stack into a workspace (and so what the key hashes). */
function stackOptions(options: Pick<SavedApplyOptions, 'images' | 'endpointsFromEnvironment'>): UseStackOptions {
  return { images: options.images, endpointsFromEnvironment: options.endpointsFromEnvironment === true };
}

/** Terraform's version by the PATH it was found on: asked once per process (a test file computes many keys). */
const terraformVersions = new Map<string, string>();

function terraformVersion(env: NodeJS.ProcessEnv): string {
  const path = env.PATH ?? '';
  let version = terraformVersions.get(path);
  if (version === undefined) {
    version = askTerraformVersion(env);
    terraformVersions.set(path, version);
  }
  return version;
}

function askTerraformVersion(env: NodeJS.ProcessEnv): string {
  try {
    const out = execFileSync('terraform', ['version', '-json'], { env: { ...env, CHECKPOINT_DISABLE: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out).terraform_version;
  } catch (error) {
    throw new Error(terraformVersionUnknown((error as Error).message.split('\n')[0]));
  }
}

/** A moto started from the save with a copy of its workspace, or why the save cannot be used. */
async function restore(saved: string, stackDir: string, options: SavedApplyOptions): Promise<AppliedStack | { unusable: string }> {
  const unusable = verify(saved);
  if (unusable !== undefined) return { unusable };
  const now = new Date();
  utimesSync(saved, now, now); // in use: not old (forgetOldSaves)
  let moto: StartedMoto;
  try {
    moto = await startMoto({ load: join(saved, MOTO_STATE) });
  } catch (error) {
    return { unusable: savedApplyNotLoaded(saved, (error as Error).message) };
  }
  const workspace = emulatorWorkspace(options.env);
  cpSync(join(saved, WORKSPACE), workspace.dir, { recursive: true, verbatimSymlinks: true });
  useStack(workspace, stackDir, moto.endpoint, stackOptions(options));
  return { moto, workspace, appliedHere: false };
}

/** Why the save differs from what was written (its manifest), or undefined when it is whole. */
function verify(saved: string): string | undefined {
  let expected: FolderManifest;
  try {
    expected = JSON.parse(readFileSync(join(saved, MANIFEST), 'utf8'));
  } catch {
    return savedApplyWithoutManifest(saved);
  }
  const mismatch = manifestMismatch(expected, folderManifest(saved, (path) => path === MANIFEST));
  if (mismatch === undefined) return undefined;
  return 'changed' in mismatch ? savedApplyFileChanged(saved, mismatch.changed) : savedApplyFilesDiffer(saved, mismatch.missing, mismatch.extra);
}

async function applyAndSave(saved: string, stackDir: string, options: SavedApplyOptions): Promise<void> {
  const moto = await startMoto();
  try {
    const workspace = emulatorWorkspace(options.env);
    useStack(workspace, stackDir, moto.endpoint, stackOptions(options));
    await options.terraform(workspace, ['init', '-input=false', '-no-color']);
    await options.terraform(workspace, ['apply', '-auto-approve', '-input=false', '-no-color']);
    await save(moto, workspace, saved);
  } finally {
    await moto.stop();
  }
}

/**
 * Written beside the final folder, its manifest last, and renamed into place: a reader never sees
 * half a save, and a save changed afterwards fails its manifest.
 */
async function save(moto: StartedMoto, workspace: EmulatorWorkspace, saved: string): Promise<void> {
  const partial = mkdtempSync(`${saved}.partial-`);
  try {
    await moto.save(join(partial, MOTO_STATE));
    cpSync(workspace.dir, join(partial, WORKSPACE), { recursive: true, verbatimSymlinks: true, filter: (source) => kept(relative(workspace.dir, source), source) });
    writeFileSync(join(partial, MANIFEST), JSON.stringify(folderManifest(partial), null, 1));
    renameSync(partial, saved);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    // Saved meanwhile by a process that took over a lock it found stale: that save serves as well.
    if (!existsSync(saved)) throw error;
  }
}

/** The configuration is the caller's to put back; a provider itself (700 MB) is saved only as a link into a plugin cache. */
function kept(path: string, source: string): boolean {
  if (path.endsWith('.tf.json')) return false;
  return !PROVIDER_PLATFORM.test(path) || lstatSync(source).isSymbolicLink();
}

/** Moved aside first, so a reader finds the whole save or none. */
function discard(saved: string): void {
  const aside = `${saved}.discarded-${process.pid}`;
  try {
    renameSync(saved, aside);
  } catch {
    return; // discarded meanwhile by another caller
  }
  rmSync(aside, { recursive: true, force: true });
}

/**
 * Saves of earlier stacks or tool versions unused for a day (every change of a key leaves one,
 * about 20 MB), the errors of failed applies written beside them (`.failed`, read only by callers
 * waiting at that moment), and leftovers of killed runs (a lock outlives no apply by a day).
 */
function forgetOldSaves(root: string): void {
  forgetUnusedFolders(root, /^[0-9a-f]{24}(\.partial-.+|\.discarded-\d+|\.failed|\.lock)?$/, KEEP_UNUSED_SAVE_MS, { files: true });
}
