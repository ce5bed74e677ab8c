/**
 * Why a saved apply (saved-apply.ts) is not used, as named functions: each is one line that the
 * caller prints after the stack's name, before it applies afresh.
 */

export function savedApplyWithoutManifest(saved: string): string {
  return `${saved} has no readable manifest (a save cut short or written by another version)`;
}

export function savedApplyFileChanged(saved: string, file: string): string {
  return `${saved}: ${file} does not match the checksum saved with it (changed or truncated since)`;
}

export function savedApplyFilesDiffer(saved: string, missing: readonly string[], extra: readonly string[]): string {
  const parts = [missing.length > 0 ? `missing ${missing.join(', ')}` : '', extra.length > 0 ? `not in its manifest: ${extra.join(', ')}` : ''].filter((p) => p !== '');
  return `${saved}: ${parts.join('; ')}`;
}

export function savedApplyNotLoaded(saved: string, reason: string): string {
  return `moto could not start from ${saved}: ${reason}`;
}

export function terraformVersionUnknown(reason: string): string {
  return `terraform could not report its version (${reason}); install Terraform 1.x (npm run setup) or put it on PATH`;
}

/** Another caller's apply of the same stack failed while this one waited for it. */
export function sharedApplyFailedMeanwhile(error: string): string {
  return `the shared apply of this stack failed in another process while this one waited for it:\n${error}`;
}
