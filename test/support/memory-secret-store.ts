import { SecretStore } from '../../lib/secrets/secret-store';

/** A secret store in memory that can be told to fail on writes to one path (a store lost mid-run). */
export class MemoryStore implements SecretStore {
  readonly values = new Map<string, string>();
  failPutOf?: string;

  async get(path: string): Promise<string | undefined> {
    return this.values.get(path);
  }

  async put(path: string, value: string, { overwrite }: { overwrite: boolean }): Promise<'written' | 'exists'> {
    if (path === this.failPutOf) throw new Error(`${path}: the store went away`);
    if (this.values.has(path) && !overwrite) return 'exists';
    this.values.set(path, value);
    return 'written';
  }
}
