import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { readFileSync, statSync } from 'node:fs';
import { describeFsError, printable, show } from '../model';
import { planFileNotJson, planFileTooLarge, planFileUnreadable, planFormatUnsupported, planShapeWrong } from './messages';
import planSchema from './plan-json.schema.json';

/**
 * The parts of Terraform's plan JSON (`terraform show -json <plan>`, format 1.x) the checks read.
 * Everything a check concludes comes from here, never from the configuration.
 */
export interface TerraformPlan {
  readonly format_version: string;
  readonly resource_changes?: readonly ResourceChange[];
  /** What refreshing found changed or deleted outside Terraform since the last apply. */
  readonly resource_drift?: readonly ResourceChange[];
}

export type ChangeAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget' | 'open';

export interface ResourceChange {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: number | string;
  readonly change: {
    readonly actions: readonly ChangeAction[];
    /** null when the resource does not exist yet. */
    readonly before: Record<string, any> | null;
    /** null when the resource will no longer exist. */
    readonly after: Record<string, any> | null;
    readonly after_unknown?: Record<string, any>;
    /** Attribute paths that force the replacement, e.g. `[["availability_zone"]]`. */
    readonly replace_paths?: readonly (readonly (string | number)[])[];
  };
  /** Why Terraform chose this action, e.g. `replace_because_cannot_update`, `replace_by_request`. */
  readonly action_reason?: string;
}

/** What Terraform will do to a resource, in one word. */
export type Effect = 'create' | 'update' | 'replace' | 'destroy' | 'none';

export function effectOf(change: ResourceChange): Effect {
  const actions = change.change.actions;
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  if (actions.includes('delete')) return 'destroy';
  if (actions.includes('create')) return 'create';
  if (actions.includes('update')) return 'update';
  return 'none';
}

/** Whether the resource existed before this plan (a running cluster has some). */
export function existedBefore(change: ResourceChange): boolean {
  return change.change.before !== null && !(change.change.actions.length === 1 && change.change.actions[0] === 'create');
}

/** Whether the resource exists after this plan. */
export function existsAfter(change: ResourceChange): boolean {
  return change.change.actions.includes('create') || (change.change.after !== null && !change.change.actions.includes('delete'));
}

export class PlanFileError extends Error {}

/** Larger than any plan of a 2,000-agent cluster by far, and well within what Node can hold as one string. */
const MAX_PLAN_FILE_MIB = 256;

/** Reads `terraform show -json` output; a file that is not one is one clear line (PlanFileError). */
export function readPlanJson(file: string): TerraformPlan {
  const shown = printable(file);
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_PLAN_FILE_MIB * 1024 * 1024) throw new PlanFileError(planFileTooLarge(shown, Math.round(size / (1024 * 1024)), MAX_PLAN_FILE_MIB));
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof PlanFileError) throw error;
    throw new PlanFileError(planFileUnreadable(shown, describeFsError(error)));
  }
  return parsePlanJson(text, shown);
}

/**
 * Terraform's plan JSON from its text, checked against the subset of the format the checks
 * read (plan-json.schema.json): a check that cannot read a plan must fail, never pass.
 */
export function parsePlanJson(text: string, source: string): TerraformPlan {
  if (text.trim() === '') throw new PlanFileError(planFileNotJson(source, 'the file is empty'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PlanFileError(planFileNotJson(source, (error as Error).message));
  }
  const version = (parsed as { format_version?: unknown } | null)?.format_version;
  if (typeof version !== 'string' || !/^1\.[0-9]+$/.test(version)) {
    throw new PlanFileError(planFormatUnsupported(source, version === undefined ? 'missing' : show(version)));
  }
  const validate = planSchemaValidator();
  if (!validate(parsed)) {
    const [error] = validate.errors ?? [];
    throw new PlanFileError(planShapeWrong(source, ...problemOf(error)));
  }
  return parsed as TerraformPlan;
}

let compiled: ValidateFunction | undefined;

/** Compiled once, on first use; stops at the first problem, since one is enough to refuse. */
function planSchemaValidator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: false, verbose: true, strict: true, allowUnionTypes: true }).compile(planSchema);
  return compiled;
}

/** Where and what, in the words of the project's other problems: `resource_changes[0].address`, `7 is not a string`. */
function problemOf(error: ErrorObject): [string, string] {
  const path = jsonPath(error.instancePath);
  const at = (name: string) => (path === '(the document)' ? name : `${path}.${name}`);
  switch (error.keyword) {
    case 'required':
      return [at(error.params.missingProperty), 'missing'];
    case 'enum':
      return [path, `${show(error.data)} is not one of ${error.params.allowedValues.map((v: unknown) => show(v)).join(', ')}`];
    case 'type':
      return [path, `${show(error.data)} is not ${[error.params.type].flat().map((t: string) => (t === 'null' ? 'null' : `a${/^[aeiou]/.test(t) ? 'n' : ''} ${t}`)).join(' or ')}`];
    default:
      return [path, `${show(error.data)} ${error.message ?? 'is not allowed'}`];
  }
}

/** `/resource_changes/0/change/actions` as `resource_changes[0].change.actions`. */
function jsonPath(pointer: string): string {
  if (pointer === '') return '(the document)';
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((part, i) => (/^[0-9]+$/.test(part) ? `[${part}]` : `${i === 0 ? '' : '.'}${part}`))
    .join('');
}
