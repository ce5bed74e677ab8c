import { App } from 'cdktf';
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { addClusterStack, deployabilityProblems, policyReport } from './lib/cluster-app';
import { CLOUD_RULES } from './lib/cloud-rules';
import { ClusterFilesError, describeFsError, listClusterFiles, loadClusterFiles, printable } from './lib/model';
import { blocksSynth, formatFinding } from './lib/policy';
import { withoutTokenCreationStacks } from './lib/terraform/creation-stacks';
import { runCommand } from './lib/command-exit';

/**
 * Synthesizes one stack per cluster file in `clusters/` (or `$CLUSTERS_DIR`) into
 * `cdktf.out/stacks/<name>/`. Every file is validated first; if any is invalid, every problem
 * is printed and nothing is written.
 */
function main(): number {
  const dir = resolve(process.env.CLUSTERS_DIR ?? 'clusters');
  let files: string[] = [];
  try {
    files = listClusterFiles(dir);
  } catch (error) {
    console.error(`${printable(dir)}: cannot be read: ${describeFsError(error)}`);
    return 1;
  }
  if (files.length === 0) {
    console.error(`${printable(dir)}: no cluster files (*.yaml) found`);
    return 1;
  }
  let clusters;
  try {
    clusters = loadClusterFiles(files, CLOUD_RULES, deployabilityProblems);
  } catch (error) {
    if (!(error instanceof ClusterFilesError)) throw error;
    console.error(error.message);
    const count = error.errors.reduce((n, e) => n + e.problems.length, 0);
    console.error(`${count} problem(s) in ${error.errors.length} cluster file(s); nothing was synthesized`);
    return 1;
  }
  const app = new App();
  const synthesized = withoutTokenCreationStacks(() => {
    const reports = clusters.map((cluster) => policyReport(addClusterStack(app, cluster), cluster));
    // Every finding and every suppression used is shown; an error-level one stops the synth.
    for (const report of reports) {
      for (const finding of report.findings) console.error(formatFinding(finding));
      for (const problem of report.suppressionProblems) console.error(problem);
    }
    if (reports.some(blocksSynth)) {
      removeOutput(app.outdir, clusters.map((c) => c.name));
      console.error('policy rules failed (README, "Policy rules"); nothing was synthesized');
      return false;
    }
    app.synth();
    return true;
  });
  if (!synthesized) return 1;
  for (const cluster of clusters) console.log(`synthesized ${cluster.name} -> ${app.outdir}/stacks/${cluster.name}`);
  return 0;
}

/**
 * Leaves no stack of these clusters behind, not even one from an earlier run that could be
 * deployed by mistake, and removes the folders the App created if they hold nothing else.
 */
function removeOutput(outdir: string, stacks: string[]): void {
  for (const name of stacks) rmSync(join(outdir, 'stacks', name), { recursive: true, force: true });
  for (const dir of [join(outdir, 'stacks'), outdir]) {
    if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
  }
}

runCommand('synth', main);
