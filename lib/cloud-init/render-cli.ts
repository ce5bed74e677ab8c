/**
 * `npm run render -- <cluster-file> <out-dir>`: writes every node's cloud-config document to
 * <out-dir>/<server or pool>.yaml and bastion.yaml, to read or to check with cloud-init schema.
 */
import { buildTopology, ClusterFileError, loadClusterFile, outputFsProblem, printable } from '../model';
import { renderAllUserData } from './index';
import { CLOUD_RULES } from '../cloud-rules';
import { cliPositionals } from '../cli-positionals';
import { runCommand } from '../command-exit';
import { writeFilesAtomically } from '../write-atomically';

const USAGE = 'usage: npm run render -- <cluster-file> <out-dir>';

function main(argv: string[]): number {
  const positionals = cliPositionals(argv, USAGE, 2, 2);
  if (positionals === 2) return 2;
  const [clusterFile, outDir] = positionals;
  let topology;
  try {
    topology = buildTopology(loadClusterFile(clusterFile, CLOUD_RULES));
  } catch (error) {
    if (!(error instanceof ClusterFileError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
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
