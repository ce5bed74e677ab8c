import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A resource instance in a local state file: its address and the cloud id Terraform recorded. */
export interface StateEntry {
  readonly address: string;
  readonly id: string;
}

/**
 * The resources of `terraform.tfstate` in `dir`, read straight from the file (Terraform rewrites
 * it while an apply runs: a half-written file is read again). Only what a test compares with the
 * cloud: no module, count or for_each keys in the cut-down stacks these tests use.
 */
export function localStateEntries(dir: string): StateEntry[] {
  const file = join(dir, 'terraform.tfstate');
  for (let attempt = 0; attempt < 20; attempt += 1) {
    if (!existsSync(file)) return [];
    try {
      const state = JSON.parse(readFileSync(file, 'utf8') || '{"resources":[]}');
      return (state.resources ?? [])
        .filter((r: any) => r.mode === 'managed')
        .flatMap((r: any) => r.instances.map((i: any) => ({ address: `${r.type}.${r.name}`, id: String(i.attributes?.id ?? '') })));
    } catch {
      // being written; read again
    }
  }
  throw new Error(`${file} stayed unreadable`);
}
