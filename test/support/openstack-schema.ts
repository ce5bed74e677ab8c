import schemaFile from '../../reference/openstack/openstack-provider-schema.json';

/** The reference schema of terraform-provider-openstack 3.4.0 (reference/openstack/NOTES.md). */
type Json = Record<string, any>;
const provider: Json = Object.values((schemaFile as Json).provider_schemas)[0] as Json;

export function resourceSchema(type: string): Json | undefined {
  return provider.resource_schemas[type]?.block;
}

export function dataSourceSchema(type: string): Json | undefined {
  return provider.data_source_schemas[type]?.block;
}

/** Terraform's own meta-arguments and cdktf's comment key: not the provider's to know. */
const META = new Set(['//', 'for_each', 'count', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection']);

/** A Terraform reference or template, whose value is only known at plan time. */
const isExpression = (value: unknown) => typeof value === 'string' && value.includes('${');

/**
 * Every way one resource or data source block breaks the schema: unknown or computed-only
 * arguments, wrong types or nesting, missing required arguments, both of two conflicting ones,
 * values outside an enumeration or a range. [] when it conforms.
 */
export function conformanceProblems(address: string, block: Json, config: Json): string[] {
  const problems: string[] = [];
  checkBlock(address, block, config, config, problems, true);
  return problems;
}

function checkBlock(at: string, block: Json, config: Json, root: Json, problems: string[], topLevel: boolean): void {
  const attributes: Json = block.attributes ?? {};
  const blocks: Json = block.block_types ?? {};
  for (const [key, value] of Object.entries(config)) {
    if (topLevel && META.has(key)) continue;
    const path = `${at}.${key}`;
    if (key in attributes) {
      const attribute = attributes[key];
      if (!attribute.required && !attribute.optional) problems.push(`${path}: computed only, cannot be set`);
      checkType(path, attribute.type, value, problems);
      checkValues(path, attribute, value, problems);
      checkRelations(path, attribute, config, root, problems);
    } else if (key in blocks) {
      checkNested(path, blocks[key], value, root, problems);
      checkRelations(path, blocks[key], config, root, problems);
    } else {
      problems.push(`${path}: not an argument of this type (arguments: ${[...Object.keys(attributes), ...Object.keys(blocks)].join(', ')})`);
    }
  }
  for (const [key, attribute] of Object.entries(attributes)) {
    if (attribute.required && config[key] === undefined) problems.push(`${at}.${key}: required, missing`);
  }
  for (const [key, nested] of Object.entries(blocks)) {
    const count = Array.isArray(config[key]) ? config[key].length : config[key] === undefined ? 0 : 1;
    if ((nested.min_items ?? 0) > count) problems.push(`${at}.${key}: needs at least ${nested.min_items} block(s), has ${count}`);
  }
}

function checkNested(path: string, nested: Json, value: unknown, root: Json, problems: string[]): void {
  if (nested.nesting_mode === 'single') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) problems.push(`${path}: must be one block (an object)`);
    else checkBlock(path, nested.block, value as Json, root, problems, false);
    return;
  }
  if (!Array.isArray(value)) {
    problems.push(`${path}: must be a list of blocks (nesting ${nested.nesting_mode})`);
    return;
  }
  if (nested.max_items !== undefined && value.length > nested.max_items) problems.push(`${path}: at most ${nested.max_items} block(s), has ${value.length}`);
  value.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) problems.push(`${path}[${i}]: must be a block (an object)`);
    else checkBlock(`${path}[${i}]`, nested.block, item, root, problems, false);
  });
}

/** Checks a value against a cty type as `terraform providers schema -json` writes it. */
function checkType(path: string, type: unknown, value: unknown, problems: string[]): void {
  if (isExpression(value)) return;
  const fail = (expected: string) => problems.push(`${path}: ${JSON.stringify(value)} is not ${expected}`);
  if (type === 'string') {
    if (typeof value !== 'string') fail('a string');
  } else if (type === 'number') {
    if (typeof value !== 'number') fail('a number');
  } else if (type === 'bool') {
    if (typeof value !== 'boolean') fail('a bool');
  } else if (Array.isArray(type) && (type[0] === 'list' || type[0] === 'set')) {
    if (!Array.isArray(value)) fail(`a ${type[0]}`);
    else value.forEach((item, i) => checkType(`${path}[${i}]`, type[1], item, problems));
  } else if (Array.isArray(type) && type[0] === 'map') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('a map');
    else for (const [k, v] of Object.entries(value)) checkType(`${path}.${k}`, type[1], v, problems);
  } else if (Array.isArray(type) && type[0] === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('an object');
    else for (const [k, v] of Object.entries(value)) {
      if (!(k in type[1])) problems.push(`${path}.${k}: not an attribute of the object`);
      else checkType(`${path}.${k}`, type[1][k], v, problems);
    }
  } else {
    problems.push(`${path}: unknown schema type ${JSON.stringify(type)}`);
  }
}

/** Enumerations (per element of a list or set) and integer ranges. */
function checkValues(path: string, attribute: Json, value: unknown, problems: string[]): void {
  const values = Array.isArray(value) ? value : [value];
  const validation: Json | undefined = attribute.validation;
  for (const item of values) {
    if (isExpression(item)) continue;
    if (Array.isArray(attribute.valid_values)) {
      const ignoreCase = validation?.ignore_case === true;
      const same = (a: unknown) => (ignoreCase && typeof a === 'string' && typeof item === 'string' ? a.toLowerCase() === item.toLowerCase() : a === item);
      const numeric = validation?.kind === 'custom_enum_or_int' && typeof item === 'string' && /^\d+$/.test(item) && Number(item) >= validation.int_min && Number(item) <= validation.int_max;
      if (!attribute.valid_values.some(same) && !numeric) problems.push(`${path}: ${JSON.stringify(item)} is not one of ${attribute.valid_values.join(', ')}`);
    }
    if (typeof item === 'number' && validation !== undefined) {
      if (validation.min !== undefined && item < validation.min) problems.push(`${path}: ${item} is below ${validation.min}`);
      if (validation.max !== undefined && item > validation.max) problems.push(`${path}: ${item} is above ${validation.max}`);
    }
  }
}

/** conflicts_with, exactly_one_of, at_least_one_of, required_with: names at the same level or dotted paths from the root. */
function checkRelations(path: string, attribute: Json, siblings: Json, root: Json, problems: string[]): void {
  const isSet = (name: string) => lookup(name.includes('.') ? root : siblings, name) !== undefined;
  for (const other of attribute.conflicts_with ?? []) if (isSet(other)) problems.push(`${path}: conflicts with ${other}, both set`);
  for (const other of attribute.required_with ?? []) if (!isSet(other)) problems.push(`${path}: needs ${other} set too`);
  const exactly: string[] = attribute.exactly_one_of ?? [];
  if (exactly.length > 0 && exactly.filter(isSet).length !== 1) problems.push(`${path}: exactly one of ${exactly.join(', ')} must be set`);
  const atLeast: string[] = attribute.at_least_one_of ?? [];
  if (atLeast.length > 0 && !atLeast.some(isSet)) problems.push(`${path}: at least one of ${atLeast.join(', ')} must be set`);
}

function lookup(config: Json, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((value, part) => (value === undefined || value === null ? undefined : (value as Json)[/^\d+$/.test(part) ? Number(part) : part]), config);
}

/** The top-level arguments of a type that are ForceNew: an attribute, or a block that is or holds one. */
export function forceNewArguments(type: string): Set<string> {
  const block = resourceSchema(type);
  if (block === undefined) throw new Error(`no schema for ${type}`);
  const holdsForceNew = (b: Json): boolean =>
    Object.values(b.attributes ?? {}).some((a: any) => a.force_new === true) || Object.values(b.block_types ?? {}).some((n: any) => n.force_new === true || holdsForceNew(n.block));
  return new Set([
    ...Object.entries(block.attributes).filter(([, a]: [string, any]) => a.force_new === true).map(([name]) => name),
    ...Object.entries(block.block_types ?? {}).filter(([, n]: [string, any]) => n.force_new === true || holdsForceNew(n.block)).map(([name]) => name),
  ]);
}

/** Every argument name of a resource type (attributes and blocks). */
export function argumentNames(type: string): Set<string> {
  const block = resourceSchema(type);
  if (block === undefined) throw new Error(`no schema for ${type}`);
  return new Set([...Object.keys(block.attributes), ...Object.keys(block.block_types ?? {})]);
}
