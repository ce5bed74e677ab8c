/**
 * `npm run render -- <cluster-file> <out-dir>`: writes every node's cloud-config document to
 * <out-dir>/<server or pool>.yaml and bastion.yaml, to read or to check with cloud-init schema.
 */
import { renderAllUserData } from '../cloud-init';
import { outputFsProblem, printable } from '../model';
import { writeFilesAtomically } from '../write-atomically';
import { runCommand } from './command-exit';
import { loadClusterTopology } from './load-cluster';
import { cliPositionals } from './positionals';

const USAGE = 'usage: npm run render -- <cluster-file> <out-dir>';

function main(argv: string[]): number {
  const positionals = cliPositionals(argv, USAGE, 2, 2);
  if (positionals === 2) return 2;
  const [clusterFile, outDir] = positionals;
  const topology = loadClusterTopology(clusterFile);
  const documents = renderAllUserData(topology);
  let written;
  try {
    written = writeFilesAtomically(outDir, documents.map(({ name, text }) => ({ name: `${name}.yaml`, text })));
  } catch (error) {
    process.stderr.write(`${outputFsProblem(outDir, error)}\n`);
    return 1;
  }
  for (const file of written) process.stdout.write(`${printable(file)}\n`);
  return 0;
}

runCommand('render', () => main(process.argv.slice(2)));
