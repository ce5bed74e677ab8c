/**
 * `npm run apps -- <cluster-file> [out-dir]`: writes, for every Jenkins master (one per agent of
 * a pool reserved for Marathon with volumes), its Marathon app definition and its Jenkins
 * Mesos-cloud settings into <out-dir> (default `apps/<cluster>/`). Every app is checked against
 * Marathon 1.10's app schema and its pool's attributes first; nothing is written if one fails.
 */
import { join } from 'node:path';
import { constraintProblems } from '../apps/constraint-check';
import { jenkinsMasterApp, jenkinsMasters } from '../apps/jenkins-master-app';
import { marathonAppProblems } from '../apps/marathon-schema';
import { mesosCloudCasc } from '../apps/mesos-cloud-casc';
import { printable } from '../model';
import { runCommand } from './command-exit';
import { loadClusterTopology } from './load-cluster';
import { cliPositionals } from './positionals';
import { writeOutputFiles } from './write-output-files';

const USAGE = 'usage: npm run apps -- <cluster-file> [out-dir]';

function main(argv: string[]): number {
  const positionals = cliPositionals(argv, USAGE, 1, 2);
  if (positionals === 2) return 2;
  const topology = loadClusterTopology(positionals[0]);
  const outDir = positionals[1] ?? join('apps', topology.cluster.name);
  const masters = jenkinsMasters(topology);
  if (masters.length === 0) {
    process.stderr.write(`${printable(positionals[0])}: no pool is reserved for role marathon with a volume: no Jenkins master to write\n`);
    return 1;
  }
  const files: [string, string][] = [];
  const problems: string[] = [];
  for (const master of masters) {
    const app = jenkinsMasterApp(master);
    const found = [...marathonAppProblems(app), ...constraintProblems(app.constraints as string[][], master.pool)];
    problems.push(...found.map((p) => `${master.appId}: ${p}`));
    files.push([`${master.agent.name}.marathon.json`, `${JSON.stringify(app, null, 2)}\n`], [`${master.agent.name}.casc.yaml`, mesosCloudCasc(master)]);
  }
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\nnothing was written\n`);
    return 1;
  }
  writeOutputFiles(outDir, files.map(([name, text]) => ({ name, text })));
  return 0;
}

runCommand('apps', () => main(process.argv.slice(2)));
