import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeFsError, printable } from '../model';
import { overridesFromLabels } from '../plan/change-overrides';
import { checkChange, findingsMarkdown, formatFinding, readClusterPlan } from '../plan/plan-verdict';
import { CHANGE_CHECKS, CheckOptions, DEFAULT_CHECK_OPTIONS, Finding } from '../plan/checks';
import { planBetweenRefs } from '../plan/compare-refs';
import { PlanFileError } from '../plan/plan-json';
import { summaryText } from '../plan/summary-markdown';
import { CommandError, runCommand } from './command-exit';

/**
 * `npm run check-change -- <plan.json>...`: refuses, one line per finding, a plan that would
 * lose a quorum or data (see CHANGE_CHECKS). Exit 0 passes, 1 refuses, 2 is a usage error.
 */
const USAGE = `usage: npm run check-change -- [options] <plan.json>...
       npm run check-change -- [options] --base <git ref> [--head <git ref>]
  <plan.json>                  output of \`terraform show -json <plan>\` (npm run plan writes cdktf.out/stacks/<name>/plan.json)
  --base, --head               local use: apply the base ref's stacks to the moto emulator (or restore a saved apply of the same base), plan the head ref (default HEAD) against them
  --allow-replace <server>     a quorum server the PR replaces on purpose (repeatable; at most one per quorum)
  --allow-quorum-resize        the PR follows the quorum resize procedure (docs/pull-request-checks.md)
  --pr-labels <json>           the PR's labels as a JSON list: allow-replace:<server>, allow-quorum-resize
  --max-pool-removal <share>   share of a pool's agents removable at once, 0..1 (default ${DEFAULT_CHECK_OPTIONS.maxPoolRemovalShare}; one agent always may go)
  --markdown <file>            append the verdict as Markdown (for the PR comment)
checks:
${CHANGE_CHECKS.map((c) => `  ${c.id}: ${c.summary}`).join('\n')}`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        'allow-replace': { type: 'string', multiple: true, default: [] },
        'allow-quorum-resize': { type: 'boolean', default: false },
        'pr-labels': { type: 'string' },
        'max-pool-removal': { type: 'string' },
        markdown: { type: 'string' },
        base: { type: 'string' },
        head: { type: 'string', default: 'HEAD' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length === 0 && values.base === undefined) usageError('no plan file given (or --base <ref>)');
  const options = checkOptions(values);
  const results: { file: string; findings: Finding[] }[] = [];
  let refused = 0;
  if (values.base !== undefined) {
    let planned;
    try {
      planned = await planBetweenRefs(process.cwd(), values.base, values.head, (line) => console.error(line));
    } catch (error) {
      // A ref that is not a commit, a synth or Terraform that fails: the check could not run.
      throw new CommandError(`check-change: ${(error as Error).message}`, 2);
    }
    for (const { planJsonFile, plan, summary } of planned) {
      console.error(summaryText(summary));
      if (plan !== undefined && planJsonFile !== undefined) results.push({ file: planJsonFile, findings: checkChange(plan, options) });
      refused += summary.refusals.length;
    }
  }
  for (const file of positionals) {
    try {
      results.push({ file, findings: checkChange(readClusterPlan(file), options) });
    } catch (error) {
      if (!(error instanceof PlanFileError)) throw error;
      // The file's problem alone: the usage would bury it.
      throw new CommandError(`check-change: ${error.message}`, 2);
    }
  }
  for (const { file, findings } of results) for (const finding of findings) console.error(formatFinding(file, finding));
  if (values.markdown !== undefined) {
    try {
      appendFileSync(values.markdown, findingsMarkdown(results));
    } catch (error) {
      throw new CommandError(`check-change: ${printable(values.markdown)}: cannot be written: ${describeFsError(error)}`, 2);
    }
  }
  const count = results.reduce((n, r) => n + r.findings.length, 0);
  if (count > 0 || refused > 0) {
    const terraform = refused > 0 ? `Terraform refused ${refused} destruction(s) of protected resources; ` : '';
    console.error(`${terraform}${count} finding(s) in ${results.filter((r) => r.findings.length > 0).length} plan(s); the change is refused`);
    return 1;
  }
  console.log(`check-change: ${results.length} plan(s) pass`);
  return 0;
}

function checkOptions(values: { 'allow-replace': string[]; 'allow-quorum-resize': boolean; 'pr-labels'?: string; 'max-pool-removal'?: string }): CheckOptions {
  let labels: string[] = [];
  if (values['pr-labels'] !== undefined && values['pr-labels'].trim() !== '') {
    try {
      labels = JSON.parse(values['pr-labels']);
      if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) throw new Error('not a list of strings');
    } catch (error) {
      usageError(`--pr-labels: ${JSON.stringify(values['pr-labels'])} is not a JSON list of label names (${(error as Error).message})`);
    }
  }
  const fromLabels = overridesFromLabels(labels);
  let share = DEFAULT_CHECK_OPTIONS.maxPoolRemovalShare;
  if (values['max-pool-removal'] !== undefined) {
    share = Number(values['max-pool-removal']);
    if (!Number.isFinite(share) || share < 0 || share > 1) usageError(`--max-pool-removal: ${JSON.stringify(values['max-pool-removal'])} is not a share between 0 and 1`);
  }
  const allowReplace = [...values['allow-replace'].flatMap((v) => v.split(',')), ...fromLabels.allowReplace].map((n) => n.trim()).filter((n) => n !== '');
  return { allowReplace: new Set(allowReplace), allowQuorumResize: values['allow-quorum-resize'] || fromLabels.allowQuorumResize, maxPoolRemovalShare: share };
}

function usageError(message: string): never {
  throw new CommandError(`check-change: ${message}\n${USAGE}`, 2);
}

// Exit 1 means the change is refused; a check that could not run says so with 2.
runCommand('check-change', main, 2);
