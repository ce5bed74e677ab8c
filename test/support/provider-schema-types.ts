/**
 * Which types' schemas Terraform is served through the schema pass-through
 * (provider-schema-proxy.ts, reattached-provider.ts `schemaTypes`): every type the project's
 * constructs can synthesize, and every type a workspace configures (moto's stand-ins, a test's
 * own blocks). A type outside both fails the command with `Invalid resource type`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MOTO_STAND_INS } from '../../lib/emulator/moto-quirks';

const LIB = join(__dirname, '..', '..', 'lib');
const BINDING_IMPORT = /@cdktf\/provider-aws\/lib\/([a-z0-9-]+)/g;
/** Each binding names the Terraform type it stands for (`static readonly tfResourceType`). */
const BINDING_TYPE = /tfResourceType = "([a-z0-9_]+)"/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

let synthesizable: string[] | undefined;

/** The resource and data source types of every AWS provider binding that lib/ imports, read from the bindings themselves. */
export function synthesizableTypes(): string[] {
  if (synthesizable !== undefined) return synthesizable;
  const modules = new Set(sources(LIB).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(BINDING_IMPORT)].map((m) => m[1])));
  const types = [...modules].map((module) => {
    const binding = require.resolve(`@cdktf/provider-aws/lib/${module}`);
    const type = BINDING_TYPE.exec(readFileSync(binding, 'utf8'))?.[1];
    if (type === undefined) throw new Error(`${binding} names no tfResourceType`);
    return type;
  });
  // `aws` is the provider's own binding, not a type.
  synthesizable = types.filter((type) => type !== 'aws').sort();
  return synthesizable;
}

/** Every resource and data source type the `*.tf.json` files of a workspace configure (its overrides included). */
export function configuredTypes(workspaceDir: string): string[] {
  const types = new Set<string>();
  for (const file of readdirSync(workspaceDir).filter((name) => name.endsWith('.tf.json'))) {
    const config = JSON.parse(readFileSync(join(workspaceDir, file), 'utf8')) as { resource?: object; data?: object };
    for (const type of [...Object.keys(config.resource ?? {}), ...Object.keys(config.data ?? {})]) types.add(type);
  }
  return [...types].sort();
}

/** The types to serve for a workspace: what the project can synthesize and what the workspace configures. */
export function schemaTypesFor(workspaceDir: string): string[] {
  return [...new Set([...synthesizableTypes(), ...configuredTypes(workspaceDir)])].sort();
}

/**
 * The types to serve when the command under test makes its own workspaces (`npm run plan`,
 * the sandbox), so none is there to read yet: what the project can synthesize and moto's stand-ins.
 */
export function emulatorSchemaTypes(): string[] {
  return [...new Set([...synthesizableTypes(), ...Object.keys(MOTO_STAND_INS.resource)])].sort();
}
