/** One `write_files` entry of a cloud-config document. */
export interface WriteFile {
  readonly path: string;
  readonly content: string;
  /** Octal mode as cloud-init expects it, e.g. `0644`. */
  readonly permissions: '0644' | '0755' | '0600';
}

export function configFile(path: string, content: string): WriteFile {
  return { path, content, permissions: '0644' };
}

export function scriptFile(path: string, content: string): WriteFile {
  return { path, content, permissions: '0755' };
}

/** Quotes a word for a POSIX shell when it needs quoting; plain words stay readable. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
