import { spawnSync } from 'node:child_process';
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';

/**
 * Lints a GitHub Actions workflow offline: action-validator (SchemaStore's workflow schema, the
 * rules actionlint's schema pass covers, compiled to WebAssembly) and shellcheck over every
 * bash `run:` step, as actionlint does.
 */
export function schemaProblems(source: string): string[] {
  return validateWorkflow(source).errors.map((e) => `${'path' in e ? e.path : ''}: ${e.title}${e.detail ? `: ${e.detail}` : ''}`);
}

/** The `run:` scripts of a workflow, with where they are, `${{ }}` expressions replaced as actionlint does. */
export function runScripts(source: string): { where: string; script: string }[] {
  const workflow = parse(source) as { jobs?: Record<string, { steps?: { name?: string; run?: string; shell?: string }[] }> };
  return Object.entries(workflow.jobs ?? {}).flatMap(([job, { steps = [] }]) =>
    steps.flatMap((step, index) =>
      step.run === undefined || (step.shell !== undefined && step.shell !== 'bash')
        ? []
        : [{ where: `jobs.${job}.steps[${index}]${step.name ? ` (${step.name})` : ''}`, script: step.run.replace(/\$\{\{[^}]*\}\}/g, 'EXPR') }],
    ),
  );
}

/** shellcheck's findings for one script run as GitHub runs it (`bash -e`). */
export function shellcheckProblems(script: string): string[] {
  const result = spawnSync('shellcheck', ['--shell=bash', '--format=gcc', '-'], { input: `set -e\n${script}`, encoding: 'utf8' });
  return result.stdout.split('\n').filter((line) => line.trim() !== '');
}
