import { App } from 'cdktf';
import { resolve } from 'node:path';
import { addClusterStack, deployabilityProblems } from './lib/cluster-app';
import { CLOUD_RULES } from './lib/cloud-rules';
import { ClusterFilesError, describeFsError, listClusterFiles, loadClusterFiles, printable } from './lib/model';

/**
 * Synthesizes one stack per cluster file in `clusters/` (or `$CLUSTERS_DIR`) into
 * `cdktf.out/stacks/<name>/`. Every file is validated first; if any is invalid, every problem
 * is printed and nothing is written.
 */
function main(): void {
  const dir = resolve(process.env.CLUSTERS_DIR ?? 'clusters');
  let files: string[] = [];
  try {
    files = listClusterFiles(dir);
  } catch (error) {
    console.error(`${printable(dir)}: cannot be read: ${describeFsError(error)}`);
    process.exit(1);
  }
  if (files.length === 0) {
    console.error(`${printable(dir)}: no cluster files (*.yaml) found`);
    process.exit(1);
  }
  let clusters;
  try {
    clusters = loadClusterFiles(files, CLOUD_RULES, deployabilityProblems);
  } catch (error) {
    if (!(error instanceof ClusterFilesError)) throw error;
    console.error(error.message);
    const count = error.errors.reduce((n, e) => n + e.problems.length, 0);
    console.error(`${count} problem(s) in ${error.errors.length} cluster file(s); nothing was synthesized`);
    process.exit(1);
  }
  const app = new App();
  for (const cluster of clusters) addClusterStack(app, cluster);
  app.synth();
  for (const cluster of clusters) console.log(`synthesized ${cluster.name} -> ${app.outdir}/stacks/${cluster.name}`);
}

main();
