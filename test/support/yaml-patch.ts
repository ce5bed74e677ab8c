import { parse, stringify } from 'yaml';

export type Patch = { readonly [key: string]: unknown };

/**
 * `yamlText` with `patch` deep-merged into it: objects merge, anything else (arrays included)
 * replaces, and `undefined` deletes the key.
 */
export function patchYaml(yamlText: string, patch: Patch = {}): string {
  return stringify(merge(parse(yamlText), patch));
}

function merge(target: Record<string, unknown>, patch: Patch): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete out[key];
    else if (isPlainObject(value) && isPlainObject(out[key])) out[key] = merge(out[key] as Record<string, unknown>, value as Patch);
    else out[key] = value;
  }
  return out;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
