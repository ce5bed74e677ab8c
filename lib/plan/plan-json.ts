import { readFileSync } from 'node:fs';

/**
 * The parts of Terraform's plan JSON (`terraform show -json <plan>`, format 1.x) the checks read.
 * Everything a check concludes comes from here, never from the configuration.
 */
export interface TerraformPlan {
  readonly format_version: string;
  readonly resource_changes?: readonly ResourceChange[];
}

export type ChangeAction = 'no-op' | 'create' | 'read' | 'update' | 'delete';

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

/** Reads `terraform show -json` output; a file that is not one is one clear line. */
export function readPlanJson(file: string): TerraformPlan {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PlanFileError(`${file}: not readable as JSON (${(error as Error).message}); pass the output of \`terraform show -json <plan>\``);
  }
  const plan = parsed as Partial<TerraformPlan> | null;
  if (plan === null || typeof plan !== 'object' || typeof plan.format_version !== 'string' || !String(plan.format_version).startsWith('1.')) {
    throw new PlanFileError(`${file}: not a Terraform plan in JSON format 1.x; pass the output of \`terraform show -json <plan>\``);
  }
  if (plan.resource_changes !== undefined && !Array.isArray(plan.resource_changes)) {
    throw new PlanFileError(`${file}: resource_changes is not a list`);
  }
  return plan as TerraformPlan;
}
