import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Marathon 1.10's own app schema (reference/marathon-api/README.md has its provenance). */
const SCHEMA_FILE = join(__dirname, '..', '..', 'reference', 'marathon-api', 'app-definition.json');

let validate: ReturnType<Ajv2020['compile']> | undefined;

/** Problems Marathon 1.10's app schema finds in `app`, one line each; [] when it passes. */
export function marathonAppProblems(app: unknown): string[] {
  validate ??= new Ajv2020({ strict: true, allErrors: true }).compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
  if (validate(app)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'is invalid'}`);
}
