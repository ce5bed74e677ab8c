import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Each file under a folder (its `/`-separated path from the folder) with its sha256, or `-> <target>` for a symbolic link. */
export type FolderManifest = Readonly<Record<string, string>>;

/** The manifest of `dir` as it is now; `skip` leaves a path (and what is under it) out. */
export function folderManifest(dir: string, skip: (path: string) => boolean = () => false): FolderManifest {
  const manifest: Record<string, string> = {};
  const walk = (folder: string): void => {
    for (const entry of readdirSync(join(dir, folder), { withFileTypes: true })) {
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (skip(path)) continue;
      if (entry.isSymbolicLink()) manifest[path] = `-> ${readlinkSync(join(dir, path))}`;
      else if (entry.isDirectory()) walk(path);
      else manifest[path] = createHash('sha256').update(readFileSync(join(dir, path))).digest('hex');
    }
  };
  walk('');
  return manifest;
}

export type ManifestMismatch = { readonly changed: string } | { readonly missing: string[]; readonly extra: string[] };

/** How `actual` differs from `expected`: files missing or extra, else the first whose contents changed; undefined when equal. */
export function manifestMismatch(expected: FolderManifest, actual: FolderManifest): ManifestMismatch | undefined {
  const missing = Object.keys(expected).filter((path) => !(path in actual)).sort();
  const extra = Object.keys(actual).filter((path) => !(path in expected)).sort();
  if (missing.length > 0 || extra.length > 0) return { missing, extra };
  const changed = Object.keys(expected).sort().find((path) => expected[path] !== actual[path]);
  return changed === undefined ? undefined : { changed };
}
