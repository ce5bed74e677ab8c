/**
 * The Jenkins mesos plugin's configuration model as data (reference/jenkins-mesos-plugin/,
 * read from the plugin's own constructors), and a check of a Configuration-as-Code document's
 * Mesos clouds against it: every key known, of its type, every required key present.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface KeySpec {
  readonly type: 'string' | 'integer' | 'boolean' | 'list' | 'object' | 'enum' | 'describable';
  readonly of?: string;
  readonly required: boolean;
}

interface PluginModel {
  readonly source: { readonly commit: string };
  readonly cloudKey: { readonly key: string };
  readonly types: Readonly<Record<string, { readonly keys: Readonly<Record<string, KeySpec>> }>>;
  readonly enums: Readonly<Record<string, readonly string[]>>;
}

export const MESOS_PLUGIN_MODEL: PluginModel = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'reference', 'jenkins-mesos-plugin', 'mesos-plugin-2.0.json'), 'utf8'),
);

function typeProblems(value: unknown, spec: KeySpec, path: string): string[] {
  switch (spec.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${path}: ${JSON.stringify(value)} is not a string`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: ${JSON.stringify(value)} is not an integer`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: ${JSON.stringify(value)} is not a boolean`];
    case 'enum':
      return MESOS_PLUGIN_MODEL.enums[spec.of!].includes(value as string) ? [] : [`${path}: ${JSON.stringify(value)} is not one of ${MESOS_PLUGIN_MODEL.enums[spec.of!].join(', ')}`];
    case 'object':
      return objectProblems(value, spec.of!, path);
    case 'list':
      if (!Array.isArray(value)) return [`${path}: not a list`];
      return spec.of! in MESOS_PLUGIN_MODEL.types ? value.flatMap((item, i) => objectProblems(item, spec.of!, `${path}[${i}]`)) : [`${path}: ${spec.of} is not in the reference`];
    case 'describable':
      return [`${path}: ${spec.of} is not in the reference`];
  }
}

/** Problems of one object of the plugin's type `type`, one line each. */
export function objectProblems(value: unknown, type: string, path: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: not a mapping`];
  const keys = MESOS_PLUGIN_MODEL.types[type].keys;
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
      .flatMap(([k, v]) => typeProblems(v, keys[k], `${path}.${k}`)),
  ];
}

/** Problems of every Mesos cloud in a Configuration-as-Code document; [] when all fit the plugin. */
export function mesosCloudProblems(casc: { jenkins?: { clouds?: unknown[] } }): string[] {
  const clouds = casc.jenkins?.clouds ?? [];
  return clouds.flatMap((cloud, i) => {
    const entries = Object.entries(cloud as Record<string, unknown>);
    const key = MESOS_PLUGIN_MODEL.cloudKey.key;
    if (entries.length !== 1 || entries[0][0] !== key) return [`jenkins.clouds[${i}]: not one \`${key}:\` cloud`];
    return objectProblems(entries[0][1], 'MesosCloud', `jenkins.clouds[${i}].${key}`);
  });
}
