import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { classifyPlan } from './cluster-resources';
import { parsePlanJson, TerraformPlan } from './plan-json';
import { StackSummary, summarizePlan } from './plan-summary';
import { PlanDiagnostic, refusalsOf } from './terraform-refusal';
import { firstTerraformError, runTerraform, TerraformError, terraformOrThrow, TerraformWorkspace } from './terraform-run';
import { writeFileAtomically } from '../write-atomically';

/** Beside the stack: the binary plan (for `terraform apply`) and its JSON (for `check-change`). */
export const PLAN_FILE = 'plan.tfplan';
export const PLAN_JSON_FILE = 'plan.json';

export interface StackPlan {
  readonly summary: StackSummary;
  /** Undefined when Terraform refused to plan. */
  readonly plan?: TerraformPlan;
  readonly planJsonFile?: string;
}

export interface PlanStackOptions {
  /** Run `terraform init` first. @default true */
  readonly init?: boolean;
  /** Run `terraform validate` before planning. @default true */
  readonly validate?: boolean;
  /** Extra `terraform plan` arguments, e.g. `-replace=<address>`. @default [] */
  readonly planArgs?: readonly string[];
  /** Called with a short line now and then while Terraform works. @default silent */
  readonly progress?: (line: string) => void;
  /** How often a progress line is printed. @default 10000 */
  readonly progressIntervalMs?: number;
}

/** `init`, `validate`, `plan -out`, `show -json` on one stack; a refusal becomes part of the summary. */
export async function planStack(stack: string, workspace: TerraformWorkspace, options: PlanStackOptions = {}): Promise<StackPlan> {
  const say = options.progress ?? (() => {});
  // A plan left from an earlier run must not pass for this one's if this one fails.
  for (const file of [PLAN_FILE, PLAN_JSON_FILE]) rmSync(join(workspace.dir, file), { force: true });
  if (options.init ?? true) {
    say(`${stack}: terraform init`);
    await terraformOrThrow(workspace, ['init', '-input=false', '-no-color']);
  }
  if (options.validate ?? true) await terraformOrThrow(workspace, ['validate', '-no-color']);
  const diagnostics: PlanDiagnostic[] = [];
  let read = 0;
  let planned = 0;
  const started = Date.now();
  const ticker = setInterval(
    () => {
      const counts = [read > 0 ? `${read} resources read` : '', planned > 0 ? `${planned} changes so far` : ''].filter((c) => c !== '').join(', ');
      say(`${stack}: planning${counts === '' ? '' : `, ${counts}`} (${Math.round((Date.now() - started) / 1000)} s)`);
    },
    options.progressIntervalMs ?? 10_000,
  );
  let result;
  try {
    result = await runTerraform(workspace, ['plan', '-input=false', '-no-color', '-json', `-out=${PLAN_FILE}`, ...(options.planArgs ?? [])], (line) => {
      const message = parseJsonLine(line);
      if (message?.type === 'refresh_complete') read += 1;
      if (message?.type === 'planned_change') planned += 1;
      if (message?.type === 'diagnostic') diagnostics.push(message.diagnostic);
    });
  } finally {
    clearInterval(ticker);
  }
  if (result.code !== 0) {
    const refusals = refusalsOf(diagnostics);
    if (refusals.length > 0) return { summary: summarizePlan(stack, [], refusals) };
    const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => `Error: ${d.summary}${d.detail ? `: ${d.detail.split('\n')[0]}` : ''}`);
    throw new TerraformError(`terraform plan failed for ${stack}: ${errors[0] ?? firstTerraformError(result.stderr)}`, errors.join('\n') || result.stderr);
  }
  const json = await terraformOrThrow(workspace, ['show', '-json', '-no-color', PLAN_FILE]);
  const planJsonFile = join(workspace.dir, PLAN_JSON_FILE);
  const plan = parsePlanJson(json, `terraform show -json ${PLAN_FILE} in ${workspace.dir}`);
  writeFileAtomically(planJsonFile, json);
  say(`${stack}: planned in ${Math.round((Date.now() - started) / 1000)} s`);
  return { summary: summarizePlan(stack, classifyPlan(plan)), plan, planJsonFile };
}

function parseJsonLine(line: string): { type?: string; diagnostic: PlanDiagnostic } | undefined {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
