/** Where a cluster's secrets are kept; one implementation per cloud's store. */
export interface SecretStore {
  /** The stored value, decrypted, or undefined when there is none. */
  get(path: string): Promise<string | undefined>;
  /**
   * Stores a value encrypted. Without `overwrite` an existing value is kept and `exists`
   * returned, so two operators running at once never replace each other's secrets.
   */
  put(path: string, value: string, options: { description: string; overwrite: boolean }): Promise<'written' | 'exists'>;
}

/** What happened to one secret; never its value. */
export interface SecretOutcome {
  readonly path: string;
  readonly action: 'created' | 'kept' | 'rotated' | 'updated';
}
