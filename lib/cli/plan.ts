import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PlanFileError } from '../plan/plan-json';
import { planStack, StackPlan } from '../plan/plan-stack';
import { summaryMarkdown, summaryText } from '../plan/summary-markdown';
import { TerraformError } from '../plan/terraform-run';
import { writeFileAtomically } from '../write-atomically';
import { CommandError, runCommand } from './command-exit';

/**
 * `npm run plan`: after synth, per stack `terraform init`, `plan -out` (which validates the
 * configuration first, as `terraform validate` would) and `show -json`, keeping `plan.tfplan` and `plan.json` beside the stack; prints a summary per
 * stack and writes them all as Markdown for a PR comment. Exit 2 when Terraform refused a plan.
 */
const USAGE = `usage: npm run plan -- [--stacks-dir cdktf.out/stacks] [--stack <name>]... [--markdown cdktf.out/plan-summary.md]`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'stacks-dir': { type: 'string', default: 'cdktf.out/stacks' },
        stack: { type: 'string', multiple: true },
        markdown: { type: 'string', default: 'cdktf.out/plan-summary.md' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const stacksDir = resolve(values['stacks-dir']);
  if (!existsSync(stacksDir)) fail(`${values['stacks-dir']}: no synthesized stacks; run npm run synth first`);
  const stacks = values.stack ?? readdirSync(stacksDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const sections = ['## Terraform plan', ''];
  let refused = false;
  for (const stack of stacks) {
    const dir = join(stacksDir, stack);
    if (!existsSync(dir)) fail(`${stack}: no stack folder ${dir}`);
    let planned: StackPlan;
    try {
      // No separate `terraform validate`: the plan reports the same diagnostics, and a command fewer
      // saves loading the provider's schema once more (docs/pull-request-checks.md).
      planned = await planStack(stack, { dir, env: { ...process.env, TF_IN_AUTOMATION: '1' } }, { validate: false, progress: (line) => console.error(line) });
    } catch (error) {
      if (error instanceof TerraformError || error instanceof PlanFileError) fail(`${stack}: ${error.message}; no summary was written`);
      throw error;
    }
    const { summary } = planned;
    refused ||= summary.refusals.length > 0;
    console.log(summaryText(summary));
    sections.push(summaryMarkdown(summary));
  }
  writeFileAtomically(values.markdown, sections.join('\n'));
  console.error(`summary written to ${values.markdown}`);
  return refused ? 2 : 0;
}

function fail(message: string): never {
  throw new CommandError(message, 1);
}

runCommand('plan', main);
