import { basename, join } from 'node:path';
import { useStack } from '../emulator/moto-workspace';
import { checkChange, findingsMarkdown, formatFinding } from '../plan/plan-verdict';
import { DEFAULT_CHECK_OPTIONS, Finding } from '../plan/checks';
import { planStack, StackPlan } from '../plan/plan-stack';
import { summaryMarkdown, summaryText } from '../plan/summary-markdown';
import { TerraformWorkspace } from '../plan/terraform-run';
import { writeFileAtomically } from '../write-atomically';
import { CountChange, growPool, synthesize } from './example-cluster';

/** The pool a pull request grows, and by how much: the example's own comment names this change. */
export const GROWN_POOL = 'builds';
export const GROWN_BY = 2;

export interface PullRequestView {
  readonly change: CountChange;
  readonly planned: StackPlan;
  readonly findings: readonly Finding[];
  /** The verdict as check-change gives it: one line per finding, then the outcome. */
  readonly verdict: readonly string[];
  readonly passes: boolean;
}

/** The pull request's copy of the cluster file, synthesized. */
export interface PullRequestStack {
  readonly change: CountChange;
  readonly stackDir: string;
}

/**
 * The changed copy of the cluster file (`baseText` with one pool count raised), synthesized into
 * `synthDir`. It needs nothing applied, so the sandbox runs it while the emulator starts.
 */
export async function synthesizePullRequest(baseText: string, fileName: string, synthDir: string): Promise<PullRequestStack> {
  const change = growPool(baseText, GROWN_POOL, GROWN_BY);
  return { change, stackDir: await synthesize(change.text, fileName, join(synthDir, 'pull-request')) };
}

export interface PullRequestInputs {
  readonly workspace: TerraformWorkspace;
  readonly endpoint: string;
  readonly images: ReadonlyMap<string, string>;
  readonly pullRequest: PullRequestStack;
  /** Where the view is written as Markdown, as a PR comment would show it. */
  readonly markdownFile: string;
  readonly progress: (line: string) => void;
}

/**
 * What CI shows on a pull request that changes one pool count: the changed copy of the cluster
 * file, planned against the applied state as `npm run plan` plans it (plan -out, show -json, the
 * plan summary), and judged by the checks `npm run check-change` runs.
 */
export async function pullRequestView(inputs: PullRequestInputs): Promise<PullRequestView> {
  const { change, stackDir } = inputs.pullRequest;
  const stack = basename(stackDir);
  useStack(inputs.workspace, stackDir, inputs.endpoint, { images: inputs.images, endpointsFromEnvironment: true });
  // The state was read back from the emulator by the apply just before; the plan validates the
  // configuration itself, so a separate `terraform validate` would only load the provider again.
  const planned = await planStack(stack, inputs.workspace, { init: false, validate: false, planArgs: ['-refresh=false'], progress: inputs.progress });
  const findings = planned.plan === undefined ? [] : checkChange(planned.plan, DEFAULT_CHECK_OPTIONS);
  const file = planned.planJsonFile ?? stack;
  const refused = planned.summary.refusals.length;
  const passes = findings.length === 0 && refused === 0 && planned.plan !== undefined;
  const verdict = [
    ...findings.map((finding) => formatFinding(file, finding)),
    passes ? 'check-change: 1 plan(s) pass' : `check-change: ${findings.length} finding(s)${refused > 0 ? `, ${refused} refusal(s) by Terraform` : ''}; the change is refused`,
  ];
  writeFileAtomically(inputs.markdownFile, ['## Terraform plan', '', summaryMarkdown(planned.summary), findingsMarkdown([{ file, findings }])].join('\n'));
  return { change, planned, findings, verdict, passes };
}

/** The view as terminal lines. */
export function pullRequestLines(view: PullRequestView, fileName: string): string[] {
  const { change } = view;
  return [
    `pull request: ${fileName} pools.${change.pool}.count ${change.from} -> ${change.to} (nothing else changed)`,
    ...summaryText(view.planned.summary).split('\n').map((line) => `  ${line}`),
    ...view.verdict.map((line) => `  ${line}`),
  ];
}
