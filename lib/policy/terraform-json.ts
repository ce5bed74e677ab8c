/**
 * Reading a synthesized Terraform JSON configuration (`cdk.tf.json`), cloud-independent:
 * blocks by type, references between resources, and nested blocks that may be objects or lists.
 */
export type Block = Record<string, any>;

export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Block>>;
  readonly data?: Record<string, Record<string, Block>>;
  readonly locals?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

export interface AddressedBlock {
  /** `type.name`, as Terraform addresses it. */
  readonly address: string;
  readonly type: string;
  readonly body: Block;
}

/** Every resource of the given types, with its address. */
export function resourcesOf(json: TerraformJson, ...types: string[]): AddressedBlock[] {
  return types.flatMap((type) => Object.entries(json.resource?.[type] ?? {}).map(([name, body]) => ({ address: `${type}.${name}`, type, body })));
}

/** Every data source of the given type, addressed `data.type.name`. */
export function dataOf(json: TerraformJson, type: string): AddressedBlock[] {
  return Object.entries(json.data?.[type] ?? {}).map(([name, body]) => ({ address: `data.${type}.${name}`, type, body }));
}

/** The resource a `${type.name.attribute}` reference points at, as `type.name`; undefined for literals. */
export function referencedAddress(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)(\.[A-Za-z0-9_.[\]"-]+)?\}$/.exec(value.trim());
  return match ? `${match[1] ?? ''}${match[2]}.${match[3]}` : undefined;
}

/** A nested block as a list: cdktf writes single blocks as objects and repeated ones as lists. */
export function blocks(value: unknown): Block[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is Block => typeof v === 'object' && v !== null);
}

/** Terraform's loose booleans: `true` and `"true"` are both true. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
