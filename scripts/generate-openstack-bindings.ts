/**
 * `npm run generate:openstack [-- <out dir>]`: regenerates lib/openstack/generated/ (or <out dir>) from
 * reference/openstack/openstack-provider-schema.json with CDKTF's own generator, the one
 * `cdktf get` drives (@cdktf/provider-generator's TerraformProviderGenerator).
 *
 * `cdktf get` would download the provider and ask Terraform for its schema; the provider binary
 * is not available here, so the schema comes from the reference file instead. Its non-standard
 * keys (ForceNew, conflicts, enums, `x_*` provenance) are for the conformance test; the
 * generator gets the standard `terraform providers schema -json` shape only.
 */
import { ConstructsMakerProviderTarget, LANGUAGES, TerraformProviderConstraint } from '@cdktf/commons';
import { CodeMaker, TerraformProviderGenerator } from '@cdktf/provider-generator';
import { readFileSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { OPENSTACK_PROVIDER_CONSTRAINT, OPENSTACK_PROVIDER_SOURCE } from '../lib/openstack/provider-constraint';

const ROOT = join(__dirname, '..');
const SCHEMA_FILE = join(ROOT, 'reference', 'openstack', 'openstack-provider-schema.json');
const BINDINGS_DIR = join(ROOT, 'lib', 'openstack', 'generated');
const OUT_DIR = process.argv[2] ?? BINDINGS_DIR;
const PROVIDER_VERSION = '3.4.0';

type Json = Record<string, any>;

const ATTRIBUTE_KEYS = ['type', 'description', 'description_kind', 'required', 'optional', 'computed', 'sensitive', 'deprecated'];
const BLOCK_KEYS = ['description', 'description_kind', 'deprecated'];
const BLOCK_TYPE_KEYS = ['nesting_mode', 'min_items', 'max_items'];

function pick(source: Json, keys: readonly string[]): Json {
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
}

/** A block as `terraform providers schema -json` writes it: standard keys only. */
function standardBlock(block: Json): Json {
  return {
    ...pick(block, BLOCK_KEYS),
    attributes: Object.fromEntries(Object.entries(block.attributes ?? {}).map(([name, a]) => [name, pick(a as Json, ATTRIBUTE_KEYS)])),
    block_types: Object.fromEntries(
      Object.entries(block.block_types ?? {}).map(([name, b]) => [name, { ...pick(b as Json, BLOCK_TYPE_KEYS), block: standardBlock((b as Json).block) }]),
    ),
  };
}

function standardSchemas(schemas: Json): Json {
  return Object.fromEntries(Object.entries(schemas).map(([type, s]) => [type, { version: (s as Json).version, block: standardBlock((s as Json).block) }]));
}

async function main(): Promise<void> {
  const reference = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Json;
  const [fqpn, provider] = Object.entries(reference.provider_schemas as Json)[0] as [string, Json];
  const schema = {
    format_version: reference.format_version,
    provider_schemas: {
      [fqpn]: {
        provider: { version: 0, block: standardBlock(provider.provider.block) },
        resource_schemas: standardSchemas(provider.resource_schemas),
        data_source_schemas: standardSchemas(provider.data_source_schemas),
      },
    },
    provider_versions: { [fqpn]: PROVIDER_VERSION },
  };
  const code = new CodeMaker();
  const generator = new TerraformProviderGenerator(code, schema as never);
  const constraint = new TerraformProviderConstraint({ name: 'openstack', source: OPENSTACK_PROVIDER_SOURCE, version: OPENSTACK_PROVIDER_CONSTRAINT });
  generator.generate(new ConstructsMakerProviderTarget(constraint, LANGUAGES[0]));
  rmSync(OUT_DIR, { recursive: true, force: true });
  const saved = await code.save(OUT_DIR);
  // The per-resource READMEs only link to the registry's docs.
  for (const file of saved.filter((f) => f.endsWith('README.md'))) unlinkSync(file);
  process.stdout.write(`generated ${OUT_DIR} from ${SCHEMA_FILE}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
