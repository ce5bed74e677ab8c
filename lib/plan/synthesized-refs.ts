/**
 * Each ref's synthesized stacks for `check-change --base --head`, kept by what decides them: the
 * ref's tree (git's id of its content), the packages it is synthesized with (this checkout's
 * `node_modules`, by npm's record of what it installed there) and Node's version. A later run on a
 * ref with the same tree (a pull request pushed again: the same base, often the same head) reads
 * the kept stacks instead of synthesizing again (docs/pull-request-checks.md).
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forgetUnusedFolders } from '../emulator/unused-folders';

/** Where kept syntheses live, one folder per key; `rm -rf` it to synthesize everything afresh. */
export const SYNTHESIZED_REFS = join(tmpdir(), 'mesos-cluster-synthesized-refs');
/** npm's record of the packages it installed (npm 7 and later). */
const INSTALLED_PACKAGES = '.package-lock.json';
const STACKS = 'stacks';
/** A synthesis is a few MB; one unused for a day is removed when the next is kept. */
const KEEP_UNUSED_MS = 24 * 60 * 60_000;

/**
 * The key of a synthesis of `tree` (`git rev-parse <ref>^{tree}`) with `nodeModules`, or undefined
 * when the installed packages cannot be told apart (no npm record): such a synthesis is not kept.
 */
export function synthesisKey(tree: string, nodeModules: string): string | undefined {
  const record = join(nodeModules, INSTALLED_PACKAGES);
  if (!existsSync(record)) return undefined;
  const hash = createHash('sha256');
  for (const part of [`tree ${tree}`, `node ${process.version}`, `node_modules ${realpathSync(nodeModules)}`]) hash.update(`${part}\0`);
  hash.update(readFileSync(record));
  return hash.digest('hex').slice(0, 24);
}

/** The stacks folder kept under `key`, or undefined when there is none; read it, never change it. */
export function keptStacks(key: string, root = SYNTHESIZED_REFS): string | undefined {
  const kept = join(root, key);
  if (!existsSync(join(kept, STACKS))) return undefined;
  const now = new Date();
  utimesSync(kept, now, now); // in use: not old
  return join(kept, STACKS);
}

/**
 * Copies `stacksDir` under `key` and returns the kept copy. Written aside and renamed into place,
 * so a reader finds the whole folder or none; when another run kept the same key meanwhile, that
 * one serves (same tree, same packages).
 */
export function keepStacks(key: string, stacksDir: string, root = SYNTHESIZED_REFS): string {
  mkdirSync(root, { recursive: true });
  const kept = join(root, key);
  const partial = mkdtempSync(`${kept}.partial-`);
  try {
    cpSync(stacksDir, join(partial, STACKS), { recursive: true });
    renameSync(partial, kept);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(join(kept, STACKS))) throw error;
  }
  // Kept syntheses unused for a day, and leftovers of runs that were killed.
  forgetUnusedFolders(root, /^[0-9a-f]{24}(\.partial-.+)?$/, KEEP_UNUSED_MS);
  return join(kept, STACKS);
}
