import { App } from 'cdktf';
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { addClusterStack, deployabilityProblems, policyReport } from './lib/cluster-app';
import { runCommand } from './lib/cli/command-exit';
import { clustersDir, loadClustersOrExit } from './lib/cli/load-cluster';
import { describeFsError, listClusterFiles, printable } from './lib/model';
import { blocksSynth, formatFinding } from './lib/policy';
import { withoutTokenCreationStacks } from './lib/terraform/creation-stacks';

/**
 * Synthesizes one stack per cluster file in `clusters/` (or `$CLUSTERS_DIR`) into
 * `cdktf.out/stacks/<name>/`. Every file is validated first; if any is invalid, every problem
 * is printed and nothing is written.
 */
function main(): number {
  const dir = clustersDir();
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
  const clusters = loadClustersOrExit(files, deployabilityProblems, 'nothing was synthesized');
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
      console.error('policy rules failed (docs/policy-rules.md); nothing was synthesized');
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
