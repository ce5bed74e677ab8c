import { createHash } from 'node:crypto';
import { RollServer } from './roll-types';
import { ignoredDrift } from './stack-servers';

/** `terraform show -json` output, the part read here: root module resources by address. */
export type StateValues = ReadonlyMap<string, Record<string, any>>;

/** Resources of `terraform show -json` (root module only: the stacks have no child modules), by address. */
export function stateValues(showJson: unknown): StateValues {
  const resources = (showJson as { values?: { root_module?: { resources?: Array<{ address: string; values: Record<string, any> }> } } })?.values?.root_module?.resources;
  return new Map((resources ?? []).map((r) => [r.address, r.values]));
}

/** One resource of Terraform's stored state (format version 4, what `terraform state pull` prints). */
interface StoredResource {
  readonly module?: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly instances?: ReadonlyArray<{ readonly index_key?: string | number; readonly attributes?: Record<string, any> }>;
}

/**
 * The same map from the state as stored (`terraform state pull`): root module instances by
 * address (`type.name`, `type.name[0]`, `type.name["key"]`, `data.` before a data source).
 */
export function pulledStateValues(stored: unknown): StateValues {
  const resources = ((stored as { resources?: StoredResource[] } | null)?.resources ?? []).filter((r) => r.module === undefined);
  return new Map(
    resources.flatMap((r) =>
      (r.instances ?? []).map((i) => [`${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}${i.index_key === undefined ? '' : `[${JSON.stringify(i.index_key)}]`}`, i.attributes ?? {}] as const),
    ),
  );
}

/** What the state says of one server. */
export type ServerDrift =
  | { readonly state: 'missing' }
  | { readonly state: 'current' }
  | { readonly state: 'differs'; readonly reasons: readonly string[] }
  | { readonly state: 'unknown'; readonly reasons: readonly string[] };

/** `${data.openstack_images_image_v2.image.id}` -> that resource's `id` in the state; a literal as it is. */
function resolve(value: string, state: StateValues): string | undefined {
  const ref = /^\$\{((?:data\.)?[\w-]+\.[\w-]+)\.([\w-]+)\}$/.exec(value);
  if (ref === null) return value.includes('${') ? undefined : value;
  const resolved = state.get(ref[1])?.[ref[2]];
  return typeof resolved === 'string' ? resolved : undefined;
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/** A value short enough to print; user data is only said to have changed. */
const shown = (value: unknown) => (typeof value === 'string' && value.length <= 64 ? value : '(changed)');

/**
 * How the server's ignored arguments in the state compare with the stack. Providers keep some
 * user data as a SHA-1 of it (OpenStack's `user_data`); either form counts as equal.
 */
export function serverDrift(server: RollServer, state: StateValues): ServerDrift {
  const values = state.get(server.address);
  if (values === undefined) return { state: 'missing' };
  const actual = ignoredDrift(server.address, values);
  const differs: string[] = [];
  const unknown: string[] = [];
  for (const [field, configured] of Object.entries(server.desired)) {
    const wanted = resolve(configured, state);
    const have = actual[field];
    if (wanted === undefined) unknown.push(`${field}: ${configured} is not in the state`);
    else if (have !== wanted && have !== sha1(wanted)) differs.push(field === 'ami' || field === 'image' || field.endsWith('type') || field === 'flavor_name' ? `${field} ${shown(have)} -> ${shown(wanted)}` : `${field} changed`);
  }
  if (differs.length > 0) return { state: 'differs', reasons: differs };
  if (unknown.length > 0) return { state: 'unknown', reasons: unknown };
  return { state: 'current' };
}
