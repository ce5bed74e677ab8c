/**
 * The mesos plugin's Configuration-as-Code model as data (reference/jenkins-mesos-plugin/, read
 * from the plugin's own constructors), and a check of a JCasC document's Mesos clouds against it:
 * every key known, of its type, every required key present.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface KeySpec {
  readonly type: 'string' | 'integer' | 'boolean' | 'list' | 'object' | 'enum' | 'describable';
  readonly of?: string;
  readonly required: boolean;
}

interface JcascModel {
  readonly source: { readonly repository: string; readonly commit: string };
  readonly types: Readonly<Record<string, { readonly keys: Readonly<Record<string, KeySpec>> }>>;
  readonly enums: Readonly<Record<string, readonly string[]>>;
}

const load = (...path: string[]) => JSON.parse(readFileSync(join(__dirname, '..', '..', 'reference', ...path), 'utf8'));

export const MESOS_PLUGIN_MODEL: JcascModel & { readonly cloudKey: { readonly key: string } } = load('jenkins-mesos-plugin', 'mesos-plugin-2.0.json');

function typeProblems(model: JcascModel, value: unknown, spec: KeySpec, path: string): string[] {
  switch (spec.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${path}: ${JSON.stringify(value)} is not a string`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: ${JSON.stringify(value)} is not an integer`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: ${JSON.stringify(value)} is not a boolean`];
    case 'enum':
      return model.enums[spec.of!].includes(value as string) ? [] : [`${path}: ${JSON.stringify(value)} is not one of ${model.enums[spec.of!].join(', ')}`];
    case 'object':
      return spec.of! in model.types ? objectProblems(model, value, spec.of!, path) : [`${path}: ${spec.of ?? 'its type'} is not in the reference`];
    case 'list':
      if (!Array.isArray(value)) return [`${path}: not a list`];
      return spec.of! in model.types ? value.flatMap((item, i) => objectProblems(model, item, spec.of!, `${path}[${i}]`)) : [`${path}: ${spec.of ?? 'its items'} not in the reference`];
    case 'describable':
      return [`${path}: ${spec.of} is not in the reference`];
  }
}

/** Problems of one object of the model's type `type`, one line each. */
export function objectProblems(model: JcascModel, value: unknown, type: string, path: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: not a mapping`];
  const keys = model.types[type].keys;
  const present = value as Record<string, unknown>;
  return [
    ...Object.keys(present)
      .filter((k) => !(k in keys))
      .map((k) => `${path}.${k}: not a key of ${type} (${Object.keys(keys).join(', ')})`),
    ...Object.entries(keys)
      .filter(([k, spec]) => spec.required && !(k in present))
      .map(([k]) => `${path}.${k}: required by ${type}, missing`),
    ...Object.entries(present)
      .filter(([k]) => k in keys)
      .flatMap(([k, v]) => typeProblems(model, v, keys[k], `${path}.${k}`)),
  ];
}

/** A list of one-key mappings (`- mesos: {...}`), each key one the model knows as a type. */
function symbolListProblems(model: JcascModel, list: unknown, allowed: readonly string[], typeOf: (key: string) => string, path: string): string[] {
  if (!Array.isArray(list)) return [`${path}: not a list`];
  return list.flatMap((item, i) => {
    const entries = Object.entries((item ?? {}) as Record<string, unknown>);
    if (entries.length !== 1 || !allowed.includes(entries[0][0])) return [`${path}[${i}]: not one of ${allowed.map((a) => `\`${a}:\``).join(', ')}`];
    return objectProblems(model, entries[0][1], typeOf(entries[0][0]), `${path}[${i}].${entries[0][0]}`);
  });
}

/** Problems of every Mesos cloud in a JCasC document; [] when all fit the mesos plugin. */
export function mesosCloudProblems(casc: { jenkins?: { clouds?: unknown } }): string[] {
  return symbolListProblems(MESOS_PLUGIN_MODEL, casc.jenkins?.clouds ?? [], [MESOS_PLUGIN_MODEL.cloudKey.key], () => 'MesosCloud', 'jenkins.clouds');
}
