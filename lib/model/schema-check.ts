import type { ErrorObject, ValidateFunction } from 'ajv';
import { joinPath, Problem, show } from './problems';
import { clusterSchemaValidator } from './schema-validator';

/** The published JSON Schema, checked with Ajv: shape, types, unknown and missing keys. */
let compiled: ValidateFunction | undefined;

export function checkSchema(document: unknown): Problem[] {
  compiled ??= clusterSchemaValidator();
  if (compiled(document)) return [];
  return (compiled.errors ?? []).filter((e) => e.keyword !== 'if').map(toProblem);
}

function toProblem(error: ErrorObject): Problem {
  const path = pointerToPath(error.instancePath);
  const value = error.data;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys((error.parentSchema?.properties as object) ?? {}).filter((k) => k !== '$schema');
      return {
        path: joinPath(path, String(params.additionalProperty)),
        message: allowed.length > 0 ? `unknown key; allowed keys here: ${allowed.join(', ')}` : 'unknown key',
      };
    }
    case 'required':
      return { path: joinPath(path, String(params.missingProperty)), message: 'is required' };
    case 'type':
      return { path, message: `${show(value)} must be ${article(String(params.type))}` };
    case 'enum':
      return { path, message: `${show(value)} is not allowed; use one of: ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'const':
      return { path, message: `${show(value)} is not allowed; use ${show(params.allowedValue)}` };
    case 'minimum':
    case 'maximum':
      return { path, message: `${show(value)} must be ${params.comparison} ${params.limit}` };
    case 'minItems':
      return { path, message: `needs at least ${params.limit} item(s), got ${(value as unknown[]).length}` };
    case 'maxItems':
      return { path, message: `allows at most ${params.limit} item(s), got ${(value as unknown[]).length}` };
    case 'uniqueItems':
      return { path, message: `items ${params.j} and ${params.i} are the same (${show((value as unknown[])[Number(params.i)])}); list each once` };
    case 'minLength':
      return { path, message: `${show(value)} is too short; at least ${params.limit} character(s)` };
    default:
      return { path, message: `${show(value)} ${error.message ?? 'is invalid'}` };
  }
}

function article(type: string): string {
  const names = type.split(',').map((t) => (t === 'integer' ? 'an integer (a whole number)' : t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : `a ${t}`));
  return names.join(' or ');
}

/** `/pools/builds/count` -> `pools.builds.count`; `/network/zones/1` -> `network.zones[1]`. */
function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  const segments = pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  return joinPath(...segments);
}
