import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOTO_DISABLED_RESOURCES, MOTO_IGNORED_ATTRIBUTES, MOTO_PROVIDER_SETTINGS, MOTO_REPLACED_ARGUMENTS, MOTO_SERVICES, MOTO_STAND_INS } from './moto-quirks';

/** The file that points the provider at moto; it lives only in the scratch copy, never in the synthesized stack. */
export const MOTO_OVERRIDE_FILE = 'moto_override.tf.json';
const SYNTHESIZED_FILE = 'cdk.tf.json';
const MOTO_STAND_INS_FILE = 'moto_stand_ins.tf.json';

export interface EmulatorWorkspace {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface UseStackOptions {
  /**
   * Drop `prevent_destroy` in the scratch copy, to prove that check-change finds data loss in
   * the plan itself where nothing stops Terraform. @default false
   */
  readonly withoutPreventDestroy?: boolean;
  /** Images to swap for ones moto knows (moto-quirks.ts), by image id. @default none */
  readonly images?: ReadonlyMap<string, string>;
  /**
   * Point the provider at moto through the workspace's environment (motoEndpointEnvironment,
   * which this sets there) instead of an `endpoints` block: the AWS provider spends about 3 CPU-s
   * checking a configured `endpoints` block at every plan and apply, the environment costs it
   * nothing (docs/test-lanes.md). A provider started before this call (a reattached one) must be
   * started with that environment itself. @default false
   */
  readonly endpointsFromEnvironment?: boolean;
}

/** The environment that points every AWS client (the provider's included) at `endpoint`. */
export function motoEndpointEnvironment(endpoint: string): { readonly AWS_ENDPOINT_URL: string } {
  return { AWS_ENDPOINT_URL: endpoint };
}

/**
 * Sets motoEndpointEnvironment in `env` and drops what the provider would put before it: a
 * service's own `AWS_ENDPOINT_URL_<SERVICE>`, and `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`, with which
 * it would go to AWS (reference/terraform/AWS-PROVIDER-ENDPOINTS.md).
 */
function pointEnvironmentAtMoto(env: NodeJS.ProcessEnv, endpoint: string): void {
  for (const name of Object.keys(env)) if (name.startsWith('AWS_ENDPOINT_URL_') || name === 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS') delete env[name];
  Object.assign(env, motoEndpointEnvironment(endpoint));
}

/** A scratch folder for a synthesized stack pointed at moto; Terraform state stays in it across stacks. */
export function emulatorWorkspace(env: NodeJS.ProcessEnv): EmulatorWorkspace {
  return { dir: mkdtempSync(join(tmpdir(), 'mesos-cluster-moto-')), env: { ...env, AWS_EC2_METADATA_DISABLED: 'true', TF_IN_AUTOMATION: '1' } };
}

/**
 * Puts a synthesized stack's configuration into the workspace (replacing the previous one, keeping
 * state and `.terraform`) with an override that points the provider at `endpoint` and ignores the
 * attributes moto reads back wrongly.
 */
export function useStack(workspace: EmulatorWorkspace, stackDir: string, endpoint: string, options: UseStackOptions = {}): void {
  for (const file of readdirSync(workspace.dir)) if (file.endsWith('.tf.json')) rmSync(join(workspace.dir, file));
  cpSync(join(stackDir, SYNTHESIZED_FILE), join(workspace.dir, SYNTHESIZED_FILE));
  if (options.endpointsFromEnvironment === true) pointEnvironmentAtMoto(workspace.env, endpoint);
  const config = JSON.parse(readFileSync(join(stackDir, SYNTHESIZED_FILE), 'utf8'));
  writeFileSync(join(workspace.dir, MOTO_OVERRIDE_FILE), JSON.stringify(motoOverride(config, endpoint, options), null, 2));
  writeFileSync(join(workspace.dir, MOTO_STAND_INS_FILE), JSON.stringify(MOTO_STAND_INS, null, 2));
}

/** Every image the stack launches (`ami`, `image_id`), to swap for one moto knows; none when there is no stack. */
export function imagesOf(stackDir: string): string[] {
  const file = join(stackDir, SYNTHESIZED_FILE);
  if (!existsSync(file)) return [];
  const config = JSON.parse(readFileSync(file, 'utf8'));
  const blocks = Object.values((config.resource ?? {}) as Record<string, Record<string, { ami?: unknown; image_id?: unknown }>>).flatMap((b) => Object.values(b));
  return [...new Set(blocks.flatMap((b) => [b.ami, b.image_id]).filter((i): i is string => typeof i === 'string'))];
}

type Resources = Record<string, Record<string, { ami?: string; image_id?: string; lifecycle?: { ignore_changes?: string[]; prevent_destroy?: boolean } }>>;

function motoOverride(config: { resource?: Resources }, endpoint: string, options: UseStackOptions): Record<string, unknown> {
  const resource: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [type, blocks] of Object.entries(config.resource ?? {})) {
    const ignored = MOTO_IGNORED_ATTRIBUTES.filter((q) => q.resourceType === type).map((q) => q.attribute);
    const disabled = MOTO_DISABLED_RESOURCES.some((q) => q.resourceType === type);
    for (const [name, block] of Object.entries(blocks)) {
      if (disabled) {
        (resource[type] ??= {})[name] = { count: 0 };
        continue;
      }
      const lifecycle: Record<string, unknown> = {};
      // An override's ignore_changes replaces the stack's own, so the stack's are kept in it.
      if (ignored.length > 0) lifecycle.ignore_changes = [...new Set([...(block.lifecycle?.ignore_changes ?? []), ...ignored])];
      if (options.withoutPreventDestroy && block.lifecycle?.prevent_destroy) lifecycle.prevent_destroy = false;
      const override: Record<string, unknown> = Object.keys(lifecycle).length > 0 ? { lifecycle } : {};
      for (const key of ['ami', 'image_id'] as const) {
        const swapped = block[key] === undefined ? undefined : options.images?.get(block[key]);
        if (swapped !== undefined) override[key] = swapped;
      }
      for (const quirk of MOTO_REPLACED_ARGUMENTS) {
        if (quirk.resourceType === type && (block as Record<string, unknown>)[quirk.argument] !== undefined) override[quirk.argument] = quirk.value;
      }
      if (Object.keys(override).length > 0) (resource[type] ??= {})[name] = override;
    }
  }
  const endpoints = Object.fromEntries(MOTO_SERVICES.map((service) => [service, endpoint]));
  return {
    // State stays in the scratch folder whatever backend the stack names: never a real bucket.
    terraform: { backend: { local: { path: 'terraform.tfstate' } } },
    provider: { aws: [{ ...MOTO_PROVIDER_SETTINGS, ...(options.endpointsFromEnvironment === true ? {} : { endpoints: [endpoints] }) }] },
    ...(Object.keys(resource).length > 0 ? { resource } : {}),
  };
}
