/**
 * `npm run render -- <cluster-file> <out-dir>`: writes every node's cloud-config document to
 * <out-dir>/<server or pool>.yaml and bastion.yaml, to read or to check with cloud-init schema.
 */
import { renderAllUserData } from '../cloud-init';
import { runCommand } from './command-exit';
import { loadClusterTopology } from './load-cluster';
import { cliPositionals } from './positionals';
import { writeOutputFiles } from './write-output-files';

const USAGE = 'usage: npm run render -- <cluster-file> <out-dir>';

function main(argv: string[]): number {
  const positionals = cliPositionals(argv, USAGE, 2, 2);
  if (positionals === 2) return 2;
  const [clusterFile, outDir] = positionals;
  const topology = loadClusterTopology(clusterFile);
  const documents = renderAllUserData(topology);
  writeOutputFiles(outDir, documents.map(({ name, text }) => ({ name: `${name}.yaml`, text })));
  return 0;
}

runCommand('render', () => main(process.argv.slice(2)));
