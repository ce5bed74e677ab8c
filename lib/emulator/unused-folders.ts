import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface ForgetUnusedOptions {
  /** Files whose names `names` matches go too (markers kept beside the folders). @default false */
  readonly files?: boolean;
}

/**
 * Removes the folders directly under `root` whose names `names` matches and whose modification
 * time is older than `unusedForMs`: a folder cache whose readers touch what they use (saved
 * applies, kept syntheses) forgets what nobody used, and the leftovers of killed runs.
 */
export function forgetUnusedFolders(root: string, names: RegExp, unusedForMs: number, options: ForgetUnusedOptions = {}): void {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!(entry.isDirectory() || (options.files === true && entry.isFile())) || !names.test(entry.name)) continue;
    const path = join(root, entry.name);
    try {
      if (Date.now() - statSync(path).mtimeMs > unusedForMs) rmSync(path, { recursive: true, force: true });
    } catch {
      // removed meanwhile by another caller
    }
  }
}
