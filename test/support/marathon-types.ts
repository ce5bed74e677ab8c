/**
 * Holds a JSON value to a type of Marathon 1.10's API description (reference/marathon-api/
 * endpoints.json `types`): every field known, of its type, every required field present, enums
 * respected, nested `ref` types followed. `App` itself is Marathon's app schema (Ajv).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { marathonAppProblems } from '../../lib/apps/marathon-schema';

interface FieldSpec {
  readonly type: string;
  readonly required?: boolean;
  readonly enum?: readonly unknown[];
  readonly ref?: string;
  readonly items?: FieldSpec;
}

const ENDPOINTS = JSON.parse(readFileSync(join(__dirname, '..', '..', 'reference', 'marathon-api', 'endpoints.json'), 'utf8'));
const TYPES: Record<string, { fields: Record<string, FieldSpec>; extends?: string }> = ENDPOINTS.types;
/** The App fields: Marathon's schema allows others, but none of them is Marathon's. */
const APP_FIELDS = Object.keys(JSON.parse(readFileSync(join(__dirname, '..', '..', 'reference', 'marathon-api', 'app-definition.json'), 'utf8')).properties);

const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
const fits = (v: unknown, type: string) => jsonType(v) === type || (type === 'number' && typeof v === 'number');

function fieldProblems(value: unknown, spec: FieldSpec, at: string): string[] {
  if (!fits(value, spec.type)) return [`${at}: ${jsonType(value)}, not ${spec.type}`];
  if (spec.enum && !spec.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} is not one of ${spec.enum.join(', ')}`];
  if (spec.type === 'array' && spec.items) return (value as unknown[]).flatMap((item, i) => fieldProblems(item, spec.items!, `${at}[${i}]`));
  if (spec.type === 'object' && spec.ref) return marathonTypeProblems(value, spec.ref, at);
  return [];
}

/** Problems of `value` as Marathon type `name` (one line each, with its JSON path); [] when it fits. */
export function marathonTypeProblems(value: unknown, name: string, at = ''): string[] {
  const type = TYPES[name];
  if (type === undefined) throw new Error(`reference/marathon-api/endpoints.json has no type ${name}`);
  if (jsonType(value) !== 'object') return [`${at || '/'}: not an object`];
  const object = value as Record<string, unknown>;
  const problems: string[] = [];
  const own = Object.keys(object).filter((k) => k in type.fields);
  for (const key of own) problems.push(...fieldProblems(object[key], type.fields[key], `${at}/${key}`));
  for (const [key, spec] of Object.entries(type.fields)) if (spec.required && !(key in object)) problems.push(`${at}/${key}: required`);
  const rest = Object.fromEntries(Object.entries(object).filter(([k]) => !(k in type.fields)));
  if (type.extends?.startsWith('App ')) {
    // The App part: Marathon's own app schema, which knows every other field.
    problems.push(...marathonAppProblems(rest).map((p) => `${at}${p}`));
    for (const key of Object.keys(rest)) if (!APP_FIELDS.includes(key)) problems.push(`${at}/${key}: not a field of ${name} or App`);
  } else {
    for (const key of Object.keys(rest)) problems.push(`${at}/${key}: not a field of ${name}`);
  }
  return problems;
}
